// A mixed cluster over Redis Streams: a Node socket.io 4.8.4 server with @socket.io/redis-streams-adapter 0.3.1 and
// .NET fixture nodes (--redis-mode streams), on one private redis-server, with a real socket.io-client on each node.
// First the shared scenarios (scenarios/common.mjs: broadcasts and requests, both ways); then connection state
// recovery across a Node and a .NET node, both ways: a session stored by the .NET node (while connected: the node is
// killed with SIGKILL) resumed on the Node node, and a session the Node node stored when its client dropped resumed on
// a .NET node. (The npm package stores a session only when its connection drops, so a killed Node node cannot leave
// one behind: that direction is tested with a dropped connection.)

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { io as ioc } from "socket.io-client";
import { createClient } from "redis";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { decode } from "@msgpack/msgpack";
import { startFixture } from "../lib/fixture.mjs";
import { redisSkipReason, startRedis } from "../lib/redis.mjs";
import { nextEvent, waitUntil, withTimeout } from "../lib/waiting.mjs";
import { T, call, clusterScenarios } from "./scenarios/common.mjs";

// A short block time, so that a closed Node adapter stops reading quickly.
const streamsAdapter = (pub) => createAdapter(pub, { blockTimeInMs: 1_000 });

describe("mixed Node/.NET cluster over @socket.io/redis-streams-adapter", { skip: redisSkipReason() }, () => {
  clusterScenarios({ createAdapter: streamsAdapter, fixtureArgs: ["--redis-mode", "streams"] });
});

describe("mixed Node/.NET cluster over @socket.io/redis-streams-adapter, 4 streams and sharded pub/sub", { skip: redisSkipReason() }, () => {
  const cluster = clusterScenarios({
    createAdapter: (pub) => createAdapter(pub, { blockTimeInMs: 1_000, streamCount: 4, useShardedPubSub: true }),
    fixtureArgs: ["--redis-mode", "streams", "--stream-count", "4", "--sharded-pubsub"],
  });

  test("each namespace goes to the stream the npm package picks for it, and the .NET nodes read it there", async () => {
    // With 4 streams, the npm package puts "/" on socket.io-3 and "/custom" on socket.io-0.
    const custom = ioc(`${cluster.dotnet1.url}/custom`, { transports: ["websocket"], forceNew: true, reconnection: false });
    try {
      await nextEvent(custom, "connect", { failOn: ["connect_error"] });
      const before = { main: await cluster.pub.xLen("socket.io-3"), custom: await cluster.pub.xLen("socket.io-0") };
      // The .NET node's reader of socket.io-0 starts with its "/custom" namespace, and nothing tells the test when it
      // reads: the broadcast is repeated until one arrives.
      const note = nextEvent(custom, "note");
      await waitUntil(async () => {
        cluster.nodeIo.of("/custom").emit("note", "from node");
        return Promise.race([note.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 200))]);
      }, { timeout: T, what: "a /custom broadcast from the Node node" });
      assert.deepEqual(await note, ["from node"]);
      assert.ok((await cluster.pub.xLen("socket.io-0")) > before.custom, "the /custom broadcasts are on socket.io-0");
      assert.equal(await cluster.pub.xLen("socket.io-3"), before.main, "nothing of /custom on the stream of /");
      assert.equal(await cluster.pub.exists("socket.io"), 0, "no stream without a suffix");
    } finally {
      custom.disconnect();
    }
  });
});

describe("connection state recovery across Node and .NET nodes over @socket.io/redis-streams-adapter", { skip: redisSkipReason() }, () => {
  const ctx = {};

  before(async () => {
    ctx.redis = await startRedis();
    ctx.pub = createClient({ url: ctx.redis.url });
    await ctx.pub.connect();
    ctx.httpServer = createServer();
    ctx.nodeIo = new Server(ctx.httpServer, {
      adapter: streamsAdapter(ctx.pub),
      connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
    });
    ctx.nodeIo.on("connection", (socket) => {
      socket.on("join", (room, cb) => {
        socket.join(room);
        cb?.();
      });
      socket.on("set-data", (value, cb) => {
        socket.data = value;
        cb?.();
      });
      socket.on("whoami", (cb) => cb({ id: socket.id, recovered: socket.recovered, rooms: [...socket.rooms].sort(), data: socket.data }));
    });
    await new Promise((resolve) => ctx.httpServer.listen(0, "127.0.0.1", resolve));
    ctx.nodeUrl = `http://127.0.0.1:${ctx.httpServer.address().port}`;
    const args = ["--recovery", "--redis", ctx.redis.config, "--redis-mode", "streams"];
    [ctx.doomed, ctx.dotnet] = await Promise.all([startFixture("socket.io", { args }), startFixture("socket.io", { args })]);
  });

  after(async () => {
    ctx.nodeIo?.close();
    await Promise.all([ctx.doomed?.stop(), ctx.dotnet?.stop()]);
    await ctx.pub?.quit().catch(() => {});
    await ctx.redis?.stop();
  });

  const connect = async (url, auth) => {
    const socket = ioc(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth });
    await nextEvent(socket, "connect", { failOn: ["connect_error"] });
    return socket;
  };
  const storedSession = async (pid) => {
    const raw = await ctx.pub.get(`sio:session:${pid}`);
    return raw === null ? null : decode(Buffer.from(raw, "base64"));
  };
  const streamLength = () => ctx.pub.xLen("socket.io");
  // The .NET fixture broadcasts tick 1 to count to the room (RecoveryControls' "ticks").
  const ticks = (socket, room, count) => withTimeout(socket.emitWithAck("ticks", room, count, 10), 5_000, "the ack of 'ticks'");
  const collect = (socket, event) => {
    const values = [];
    socket.on(event, (value) => values.push(value));
    return values;
  };

  test("a client of a .NET node killed with SIGKILL resumes its session on the Node node, with the events it missed", async () => {
    const { nodeIo } = ctx;
    const c1 = await connect(ctx.doomed.url);
    await call(c1, "join", "room1");
    await call(c1, "set-data", "dotnet-data");
    const first = nextEvent(c1, "tick");
    nodeIo.to("room1").emit("tick", 0);
    const [zero, offset] = await first;
    assert.equal(zero, 0);
    assert.match(offset, /^[0-9]+-[0-9]+$/);
    const { id, _pid: pid } = c1;
    // Stored by the .NET node while its client is connected, in the npm package's format.
    await waitUntil(async () => (await storedSession(pid))?.data === "dotnet-data", { what: "the session in Redis" });
    assert.deepEqual(await storedSession(pid), { sid: id, pid, rooms: [id, "room1"], data: "dotnet-data" });

    await ctx.doomed.kill();
    c1.close();
    const before = await streamLength();
    nodeIo.to("room1").emit("tick", 1);
    nodeIo.to("other").emit("tick", 99);
    nodeIo.except("room1").emit("tick", 98);
    nodeIo.to("room1").emit("tick", 2);
    await waitUntil(async () => (await streamLength()) === before + 4, { what: "the broadcasts in the stream" });

    const c2 = ioc(ctx.nodeUrl, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { pid, offset } });
    const ticks = collect(c2, "tick");
    await nextEvent(c2, "connect", { failOn: ["connect_error"] });
    assert.equal(c2.id, id);
    await waitUntil(() => ticks.length >= 2, { what: "the missed ticks" });
    nodeIo.to("room1").emit("tick", 3);
    await waitUntil(() => ticks.length >= 3, { what: "a live tick" });
    assert.deepEqual(ticks, [1, 2, 3]);
    assert.deepEqual(await call(c2, "whoami"), { id, recovered: true, rooms: [id, "room1"].sort(), data: "dotnet-data" });
    c2.close();
  });

  test("a session the Node node stored when its client dropped resumes on a .NET node, with the events it missed", async () => {
    const helper = await connect(ctx.dotnet.url);
    const c3 = await connect(ctx.nodeUrl);
    await call(c3, "join", "room2");
    await call(c3, "set-data", "node-data");
    const first = nextEvent(c3, "tick");
    await ticks(helper, "room2", 1);
    const [one, offset] = await first;
    assert.equal(one, 1);
    const { id, _pid: pid } = c3;

    // The transport closes as if the network failed: Node stores the session.
    c3.io.engine.close();
    await waitUntil(async () => (await storedSession(pid)) !== null, { what: "the session Node stores" });
    const before = await streamLength();
    await ticks(helper, "room2", 2);
    await waitUntil(async () => (await streamLength()) === before + 2, { what: "the broadcasts in the stream" });

    const c4 = ioc(ctx.dotnet.url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { pid, offset } });
    const received = collect(c4, "tick");
    await nextEvent(c4, "connect", { failOn: ["connect_error"] });
    assert.equal(c4.id, id);
    await waitUntil(() => received.length >= 2, { what: "the missed ticks" });
    await ticks(helper, "room2", 1);
    await waitUntil(() => received.length >= 3, { what: "a live tick" });
    assert.deepEqual(received, [1, 2, 1]);
    assert.deepEqual(await call(c4, "whoami"), { id, recovered: true, rooms: [id, "room2"].sort(), data: "node-data" });
    c4.close();
    helper.close();
  });
});
