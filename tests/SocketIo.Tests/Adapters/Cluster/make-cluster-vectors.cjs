// Prints the golden vectors of ClusterMessageGoldenTests: each cluster message as @socket.io/redis-adapter 8.3.0's
// sharded adapter encodes it (JSON.stringify, or notepack.io 3 when the data holds binary), keys in the order
// socket.io-adapter 2.5's ClusterAdapter builds them. Run: node tests/SocketIo.Tests/Adapters/Cluster/make-cluster-vectors.cjs
const notepack = require("../../../../node_modules/@socket.io/redis-adapter/node_modules/notepack.io");
const { hasBinary } = require("../../../../node_modules/@socket.io/redis-adapter/dist/util");
const uid = "0123456789abcdef", requestId = "fedcba9876543210", nsp = "/";
const opts = (rooms, except, flags) => ({ rooms, except, flags });
const msg = (type, data) => { const m = data === undefined ? { type } : { type, data }; m.uid = uid; m.nsp = nsp; return m; };
const mayContainBinary = [3, 12, 8, 9, 10];
const encode = (m) => mayContainBinary.includes(m.type) && hasBinary(m.data) ? notepack.encode(m) : Buffer.from(JSON.stringify(m));
const cases = {
  initialHeartbeat: msg(1),
  heartbeat: msg(2),
  broadcast: msg(3, { packet: { type: 2, data: ["hello", 1, { a: "é" }] }, opts: opts(["room1"], ["s1"], {}) }),
  broadcastVolatile: msg(3, { packet: { type: 2, data: ["hello"] }, opts: opts([], [], { compress: false, volatile: true }) }),
  broadcastBinary: msg(3, { packet: { type: 2, data: ["bin", Buffer.from([1, 2, 3])] }, opts: opts([], [], {}) }),
  broadcastWithAck: msg(3, { packet: { type: 2, data: ["ask"] }, requestId, opts: opts([], [], { timeout: 1000 }) }),
  socketsJoin: msg(4, { opts: opts(["a"], [], {}), rooms: ["r1", "r2"] }),
  socketsLeave: msg(5, { opts: opts([], ["b"], {}), rooms: ["r1"] }),
  disconnectSockets: msg(6, { opts: opts(["a"], [], {}), close: true }),
  fetchSockets: msg(7, { opts: opts(["a"], [], {}), requestId }),
  fetchSocketsResponse: msg(8, { requestId, sockets: [{
    id: "AAAAAAAAAAAAAAAAAAAA",
    handshake: { headers: { host: "localhost" }, time: "Sun Dec 06 2026", address: "127.0.0.1", xdomain: false, secure: false, issued: 1700000000123, url: "/socket.io/?EIO=4&transport=websocket", query: { EIO: "4" }, auth: { token: "t" } },
    rooms: ["AAAAAAAAAAAAAAAAAAAA", "team"],
    data: { who: "node" },
  }] }),
  serverSideEmit: msg(9, { packet: ["ping", 1] }),
  serverSideEmitWithAck: msg(9, { requestId, packet: ["ping", 1] }),
  serverSideEmitResponse: msg(10, { requestId, packet: "pong" }),
  broadcastClientCount: msg(11, { requestId, clientCount: 3 }),
  broadcastAck: msg(12, { requestId, packet: "ok" }),
  broadcastAckBinary: msg(12, { requestId, packet: Buffer.from([9]) }),
  adapterClose: msg(13),
};
for (const [name, m] of Object.entries(cases)) console.log(`${name} ${encode(m).toString("hex")}`);
