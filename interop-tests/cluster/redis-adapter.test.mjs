// A mixed cluster: a Node socket.io 4.8.4 server with @socket.io/redis-adapter 8.3.0 (classic) and two .NET fixture
// nodes (--redis), on one private redis-server, with a real socket.io-client on each node. The shared scenarios
// (scenarios/common.mjs) run with the .NET node as sender and as receiver; then @socket.io/redis-emitter publishes to
// the .NET nodes and our RedisEmitter (the fixture's redis-emit command) to the Node node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { redisSkipReason } from "../lib/redis.mjs";
import { nextEvent, waitUntil } from "../lib/waiting.mjs";
import { call, clusterScenarios } from "./scenarios/common.mjs";

describe("mixed Node/.NET cluster over @socket.io/redis-adapter (classic)", { skip: redisSkipReason() }, () => {
  const cluster = clusterScenarios({ createAdapter });

  test("@socket.io/redis-emitter reaches the .NET nodes; our RedisEmitter reaches the Node node", async () => {
    const { pub, n, d1, d2 } = cluster;
    const emitter = new Emitter(pub);
    const toOne = nextEvent(d1, "from-emitter");
    emitter.to(d1.id).emit("from-emitter", 1, { b: Buffer.from([5]) });
    const [one, obj] = await toOne;
    assert.equal(one, 1);
    assert.deepEqual([...new Uint8Array(obj.b)], [5]);

    emitter.in(d2.id).socketsJoin("emitter-room");
    const inRoom = nextEvent(d2, "room-event");
    await waitUntil(async () => {
      const sockets = await call(d1, "cluster-fetch", { to: ["emitter-room"] });
      return sockets.some((s) => s.id === d2.id);
    }, { what: "the emitter's socketsJoin" });
    emitter.to("emitter-room").emit("room-event", "r");
    assert.deepEqual(await inRoom, ["r"]);

    const relayed = nextEvent(d1, "server-side");
    emitter.serverSideEmit("hello", "em");
    assert.deepEqual((await relayed)[0], { event: "hello", args: ["em"] });

    const gone = nextEvent(d2, "disconnect");
    emitter.in(d2.id).disconnectSockets();
    assert.equal((await gone)[0], "io server disconnect");

    const fromCsharp = [nextEvent(n, "from-csharp"), nextEvent(d1, "from-csharp")];
    await call(d1, "redis-emit", { event: "from-csharp", args: [1, "x"] });
    for (const args of await Promise.all(fromCsharp)) assert.deepEqual(args, [1, "x"]);
    const toNode = nextEvent(n, "only-node");
    await call(d1, "redis-emit", { event: "only-node", args: [Buffer.from([6])], to: [n.id] });
    assert.deepEqual([...(await toNode)[0]], [6]);
  });
});
