// The mixed-cluster scenarios shared by the adapters' tests (redis-adapter, sharded-adapter, streams-adapter,
// postgres-adapter): a Node socket.io 4.8.4 server with the given npm adapter and two .NET fixture nodes, on one
// private redis-server (or PostgreSQL: the backend), with a real socket.io-client on each node. Each scenario of the adapter's own suite runs with
// the .NET node as sender and as receiver.

import { after, afterEach, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { io as ioc } from "socket.io-client";
import { createClient } from "redis";
import { startFixture } from "../../lib/fixture.mjs";
import { startRedis } from "../../lib/redis.mjs";
import { nextEvent, waitUntil, withTimeout } from "../../lib/waiting.mjs";

export const T = 5_000;

/**
 * The service a cluster shares, for `clusterScenarios`: `start()` resolves with the arguments of the Node node's
 * `createAdapter` after the caller's own (`adapterArgs`), the command-line arguments of each .NET node
 * (`fixtureArgs`, one array per node), the fields it adds to the cluster, and `stop()`.
 */
export const redisBackend = {
  async start() {
    const redis = await startRedis();
    const pub = createClient({ url: redis.url });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    return {
      adapterArgs: [pub, sub],
      // The URL form too, as Node users write it.
      fixtureArgs: [["--redis", redis.config], ["--redis", redis.url]],
      fields: { redis, pub, sub },
      async stop() {
        await Promise.allSettled([pub.quit(), sub.quit()]);
        await redis.stop();
      },
    };
  },
};

/**
 * Defines the hooks and the shared scenarios inside the caller's `describe`. `createAdapter(pub, sub)` (the
 * backend's `adapterArgs`) makes the Node node's adapter; `fixtureArgs` select the same adapter on the .NET nodes;
 * `backend` is the shared service (`redisBackend` by default); `waitForRoom(cluster, room)` resolves once a broadcast
 * to `room` alone, sent from another node, can reach the node that has it (needed in dynamic sharded mode). Returns
 * the cluster, whose fields (`pub`, `nodeIo`, `n`, `d1`, `d2`, …) are set while a test runs, for the caller's own
 * scenarios.
 */
export function clusterScenarios({ createAdapter, fixtureArgs = [], waitForRoom = async () => {}, backend = redisBackend }) {
  const cluster = { serverSide: [] };

  before(async () => {
    cluster.backend = await backend.start();
    Object.assign(cluster, cluster.backend.fields);
    cluster.httpServer = createServer();
    const nodeIo = (cluster.nodeIo = new Server(cluster.httpServer, { adapter: createAdapter(...cluster.backend.adapterArgs) }));
    nodeIo.on("connection", (socket) => {
      socket.data = { who: "node" };
      socket.on("join", (room, cb) => {
        socket.join(room);
        cb?.([...socket.rooms]);
      });
    });
    nodeIo.on("hello", (...args) => cluster.serverSide.push(args));
    nodeIo.on("ask", (value, cb) => cb({ node: "node", value }));
    await new Promise((resolve) => cluster.httpServer.listen(0, "127.0.0.1", resolve));
    [cluster.dotnet1, cluster.dotnet2] = await Promise.all(
      cluster.backend.fixtureArgs.map((args) => startFixture("clients", { args: [...args, ...fixtureArgs] })),
    );
    await waitUntil(async () => (await nodeIo.of("/").adapter.serverCount()) === 3, { timeout: 15_000, what: "three nodes" });
  });

  after(async () => {
    cluster.nodeIo?.close();
    await Promise.all([cluster.dotnet1?.stop(), cluster.dotnet2?.stop()]);
    await cluster.backend?.stop();
  });

  // A client on the Node node (n) and on each .NET node (d1, d2).
  beforeEach(async () => {
    [cluster.n, cluster.d1, cluster.d2] = await Promise.all([
      connect(`http://127.0.0.1:${cluster.httpServer.address().port}`),
      connect(cluster.dotnet1.url),
      connect(cluster.dotnet2.url),
    ]);
  });

  afterEach(() => {
    for (const socket of [cluster.n, cluster.d1, cluster.d2]) socket.disconnect();
  });

  test("Node broadcasts reach .NET clients: to all, to a room, except, to one socket id, binary", async () => {
    const { nodeIo, d1, d2 } = cluster;
    const hello = [nextEvent(d1, "hello"), nextEvent(d2, "hello")];
    nodeIo.emit("hello", 1, "two", { three: [3] });
    for (const args of await Promise.all(hello)) assert.deepEqual(args, [1, "two", { three: [3] }]);

    await call(d1, "join", "team");
    await waitForRoom(cluster, "team");
    const toTeam = nextEvent(d1, "to-team");
    const notTeam = nextEvent(d2, "not-team");
    const toId = nextEvent(d2, "to-id");
    nodeIo.to("team").emit("to-team", "t");
    nodeIo.except("team").emit("not-team", "x");
    nodeIo.to(d2.id).emit("to-id", "i");
    assert.deepEqual(await toTeam, ["t"]);
    assert.deepEqual(await notTeam, ["x"]);
    assert.deepEqual(await toId, ["i"]);

    const bin = nextEvent(d1, "bin");
    nodeIo.emit("bin", Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) });
    const [buffer, nested] = await bin;
    assert.deepEqual([...new Uint8Array(buffer)], [1, 2, 3]);
    assert.deepEqual([...new Uint8Array(nested.nested)], [4]);
  });

  test(".NET broadcasts reach Node and .NET clients: to all, to a room, binary, and local stays local", async () => {
    const { n, d1, d2 } = cluster;
    const all = [nextEvent(n, "from-dotnet"), nextEvent(d2, "from-dotnet")];
    await call(d1, "broadcast", { event: "from-dotnet", args: [1, { x: "y" }] });
    for (const args of await Promise.all(all)) assert.deepEqual(args, [1, { x: "y" }]);

    await call(n, "join", "node-room");
    await waitForRoom(cluster, "node-room");
    const toRoom = nextEvent(n, "to-room");
    await call(d1, "broadcast", { event: "to-room", args: ["r"], to: ["node-room"] });
    assert.deepEqual(await toRoom, ["r"]);

    const bin = nextEvent(n, "bin");
    await call(d1, "broadcast", { event: "bin", args: [Buffer.from([7, 8])] });
    assert.deepEqual([...(await bin)[0]], [7, 8]);

    const seen = [];
    n.on("local", () => seen.push("local"));
    const marker = nextEvent(n, "marker");
    const localHere = nextEvent(d1, "local");
    await call(d1, "broadcast", { event: "local", args: [], local: true });
    await localHere;
    await call(d1, "broadcast", { event: "marker", args: [] });
    await marker;
    assert.deepEqual(seen, [], "a local broadcast stays on its node");
  });

  test("broadcasts with acks collect the answers of every node, binary included, and time out with partial answers", async () => {
    const { nodeIo, n, d1, d2 } = cluster;
    n.on("q", (cb) => cb("n"));
    d1.on("q", (cb) => cb("d1"));
    d2.on("q", (cb) => cb(Buffer.from([9])));
    const answers = await withTimeout(nodeIo.timeout(T).emitWithAck("q"), T + 1_000, "Node's emitWithAck");
    assert.equal(answers.length, 3);
    assert.ok(answers.includes("n") && answers.includes("d1"));
    assert.deepEqual([...answers.find((a) => Buffer.isBuffer(a))], [9]);

    const fromDotnet = await call(d1, "broadcast-with-ack", { event: "q", timeoutMs: T });
    assert.equal(fromDotnet.timedOut, false);
    assert.equal(fromDotnet.answers.length, 3);
    assert.ok(fromDotnet.answers.includes("n") && fromDotnet.answers.includes("d1"));

    n.on("q2", (cb) => cb("n"));
    d1.on("q2", (cb) => cb("d1"));
    d2.on("q2", () => {}); // never answers
    const partial = await withTimeout(
      new Promise((resolve) => nodeIo.timeout(500).emit("q2", (err, responses) => resolve({ err, responses }))),
      T,
      "Node's partial answers",
    );
    assert.ok(partial.err);
    assert.deepEqual([...partial.responses].sort(), ["d1", "n"]);
    const partialDotnet = await call(d1, "broadcast-with-ack", { event: "q2", timeoutMs: 500 });
    assert.equal(partialDotnet.timedOut, true);
    assert.deepEqual([...partialDotnet.answers].sort(), ["d1", "n"]);
  });

  test("fetchSockets returns the remote sockets with handshake, rooms and data, both ways", async () => {
    const { nodeIo, n, d1, d2 } = cluster;
    await call(d1, "set-data", { data: { who: "d1" } });
    await call(d1, "join", "fetch-room");
    const sockets = await nodeIo.fetchSockets();
    assert.deepEqual(sockets.map((s) => s.id).sort(), [n.id, d1.id, d2.id].sort());
    const remote = sockets.find((s) => s.id === d1.id);
    assert.deepEqual(remote.data, { who: "d1" });
    assert.deepEqual([...remote.rooms].sort(), [d1.id, "fetch-room"].sort());
    assert.match(remote.handshake.url, /^\/socket\.io\//);
    assert.equal(typeof remote.handshake.issued, "number");
    const direct = nextEvent(d1, "direct");
    remote.emit("direct", 42);
    assert.deepEqual(await direct, [42]);

    const inRoom = await nodeIo.in("fetch-room").fetchSockets();
    assert.deepEqual(inRoom.map((s) => s.id), [d1.id]);

    const fromDotnet = await call(d2, "cluster-fetch", {});
    assert.deepEqual(fromDotnet.map((s) => s.id).sort(), [n.id, d1.id, d2.id].sort());
    const nodeSocket = fromDotnet.find((s) => s.id === n.id);
    assert.deepEqual(nodeSocket.data, { who: "node" });
    assert.equal(nodeSocket.local, false);
    assert.match(nodeSocket.url, /^\/socket\.io\//);
    assert.deepEqual(fromDotnet.find((s) => s.id === d1.id).data, { who: "d1" });
  });

  test("socketsJoin, socketsLeave and disconnectSockets reach the other nodes, both ways", async () => {
    const { nodeIo, n, d1, d2 } = cluster;
    const dotnetRooms = async (id) => (await call(d1, "cluster-fetch", { to: [id] })).find((s) => s.id === id)?.rooms ?? [];
    nodeIo.in(d2.id).socketsJoin("joined");
    await waitUntil(async () => (await dotnetRooms(d2.id)).includes("joined"), { what: "the .NET socket in the room" });
    nodeIo.in(d2.id).socketsLeave("joined");
    await waitUntil(async () => !(await dotnetRooms(d2.id)).includes("joined"), { what: "the .NET socket out of the room" });

    await call(d1, "cluster-join", { to: [n.id], rooms: ["from-dotnet"] });
    await waitUntil(() => nodeIo.sockets.sockets.get(n.id)?.rooms.has("from-dotnet"), { what: "the Node socket in the room" });
    await call(d1, "cluster-leave", { to: [n.id], rooms: ["from-dotnet"] });
    await waitUntil(() => !nodeIo.sockets.sockets.get(n.id)?.rooms.has("from-dotnet"), { what: "the Node socket out of the room" });

    const d2Gone = nextEvent(d2, "disconnect");
    nodeIo.in(d2.id).disconnectSockets();
    assert.equal((await d2Gone)[0], "io server disconnect");
    const nGone = nextEvent(n, "disconnect");
    await call(d1, "cluster-disconnect", { to: [n.id] });
    assert.equal((await nGone)[0], "io server disconnect");
  });

  test("serverSideEmit with and without acks, both ways; the server count", async () => {
    const { nodeIo, d1, d2, serverSide } = cluster;
    assert.equal(await call(d1, "cluster-count"), 3);

    const relayed = [nextEvent(d1, "server-side"), nextEvent(d2, "server-side")];
    nodeIo.serverSideEmit("hello", 1, "x");
    for (const [payload] of await Promise.all(relayed)) assert.deepEqual(payload, { event: "hello", args: [1, "x"] });

    const answers = await withTimeout(nodeIo.serverSideEmitWithAck("ask", 5), T, "Node's serverSideEmitWithAck");
    assert.deepEqual(answers, [{ node: "dotnet", args: [5] }, { node: "dotnet", args: [5] }]);

    serverSide.length = 0;
    const relayedToOther = nextEvent(d2, "server-side");
    await call(d1, "cluster-server-side-emit", { event: "hello", args: [3] });
    assert.deepEqual((await relayedToOther)[0], { event: "hello", args: [3] });
    await waitUntil(() => serverSide.length === 1, { what: "Node's server-side handler" });
    assert.deepEqual(serverSide[0], [3]);

    const fromDotnet = await call(d1, "cluster-server-side-emit", { event: "ask", args: [7], withAck: true, timeoutMs: T });
    assert.equal(fromDotnet.timedOut, false);
    assert.deepEqual(
      fromDotnet.answers.map((a) => a.node).sort(),
      ["dotnet", "node"],
    );
  });

  return cluster;
}

function connect(url) {
  const socket = ioc(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  return nextEvent(socket, "connect", { failOn: ["connect_error"] }).then(() => socket);
}

/** Emits `event` from a client and resolves with the server's acknowledgement, bounded. */
export function call(socket, event, arg) {
  return withTimeout(arg === undefined ? socket.emitWithAck(event) : socket.emitWithAck(event, arg), T, `the ack of '${event}'`);
}
