// The shared scenarios (scenarios/common.mjs) on the sharded adapter: a Node socket.io 4.8.4 server with
// @socket.io/redis-adapter 8.3.0's createShardedAdapter (Redis 7 sharded pub/sub, subscription mode dynamic, the
// default) and two .NET fixture nodes (--redis-mode sharded), on one private redis-server, with a real
// socket.io-client on each node. The emitter scenario of redis-adapter.test.mjs is left out:
// @socket.io/redis-emitter speaks the classic channels only.

import { describe } from "node:test";
import { createShardedAdapter } from "@socket.io/redis-adapter";
import { redisSkipReason } from "../lib/redis.mjs";
import { waitUntil } from "../lib/waiting.mjs";
import { clusterScenarios } from "./scenarios/common.mjs";

describe("mixed Node/.NET cluster over @socket.io/redis-adapter (sharded, dynamic)", { skip: redisSkipReason() }, () => {
  clusterScenarios({
    createAdapter: createShardedAdapter,
    fixtureArgs: ["--redis-mode", "sharded"],
    // Dynamic mode, in Node as here: a node subscribes to a room's channel when the room appears there, and a
    // broadcast to that one room sent before the SSUBSCRIBE is done would miss it.
    waitForRoom: ({ pub }, room) =>
      waitUntil(async () => (await pub.sendCommand(["PUBSUB", "SHARDNUMSUB", `socket.io#/#${room}#`]))[1] > 0, {
        what: `the channel of room ${room}`,
      }),
  });
});
