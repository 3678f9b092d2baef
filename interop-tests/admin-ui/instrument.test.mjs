// The scenarios of @socket.io/admin-ui 0.5.1's own test/index.ts, against our server instrumented with
// io.Instrument(...) (fixture-server/AdminUiSuite.cs), with the real socket.io-client.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { startFixture } from "../lib/fixture.mjs";
import { nextEvent, waitUntil, withTimeout } from "../lib/waiting.mjs";
import { client, closeAll, connected, isIsoTimestamp, nextMatching, refusal } from "./helpers.mjs";

let fixture;
before(async () => (fixture = await startFixture("admin-ui")));
after(() => fixture?.stop());
afterEach(closeAll);

const ALL_FEATURES = ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS"];

// First, while the server has no other socket: the list is exactly the client and the admin socket.
test("returns the list of all sockets upon connection", async () => {
  const clientSocket = await connected(client(fixture, "/"));
  const adminSocket = client(fixture, "/readonly");
  const [sockets] = await nextEvent(adminSocket, "all_sockets");
  assert.equal(sockets.length, 2);
  for (const socket of sockets) {
    if (socket.nsp === "/") assert.equal(socket.id, clientSocket.id);
    else {
      assert.equal(socket.id, adminSocket.id);
      assert.equal(socket.nsp, "/readonly");
    }
  }
  const mine = sockets.find((s) => s.nsp === "/");
  assert.deepEqual(mine.rooms, [clientSocket.id]);
  assert.ok(["polling", "websocket"].includes(mine.transport), mine.transport);
  assert.deepEqual(mine.data, {});
  assert.equal(mine.clientId, clientSocket.io.engine.id.slice(0, 12));
});

test("creates an admin namespace", async () => {
  await connected(client(fixture, "/admin"));
});

test("creates an admin namespace with a custom name", async () => {
  await connected(client(fixture, "/custom"));
});

describe("authentication", () => {
  test("prevents anonymous connection", async () => {
    assert.equal(await refusal(client(fixture, "/secure")), "invalid credentials");
  });

  test("prevents connection with a wrong password or user", async () => {
    assert.equal(await refusal(client(fixture, "/secure", { auth: { username: "admin", password: "wrong" } })), "invalid credentials");
    assert.equal(await refusal(client(fixture, "/secure", { auth: { username: "root", password: "changeit" } })), "invalid credentials");
    assert.equal(await refusal(client(fixture, "/secure", { auth: { username: "admin", password: 42 } })), "invalid credentials");
  });

  for (const nsp of ["/secure", "/secure-2a", "/secure-2y"]) {
    test(`allows connection with valid credentials (${nsp.slice(1)} hash)`, async () => {
      await connected(client(fixture, nsp, { auth: { username: "admin", password: "changeit" } }));
    });
  }

  test("allows connection with a valid session ID", async () => {
    const adminSocket = client(fixture, "/secure", { auth: { username: "admin", password: "changeit" } });
    const [sessionId] = await nextEvent(adminSocket, "session", { failOn: ["connect_error"] });
    assert.match(sessionId, /^[0-9a-f]{16}$/);
    await connected(adminSocket);
    adminSocket.disconnect();
    // As the UI does after a reload: the session id instead of the password.
    adminSocket.auth = { sessionId };
    adminSocket.connect();
    await connected(adminSocket);
  });

  test("prevents connection with an invalid session ID", async () => {
    assert.equal(await refusal(client(fixture, "/secure", { auth: { sessionId: "1234" } })), "invalid credentials");
  });
});

test("returns the list of supported features", async () => {
  const [config] = await nextEvent(client(fixture, "/admin"), "config");
  assert.deepEqual(config.supportedFeatures, ALL_FEATURES);
});

test("returns only the aggregated and all-events features when in readonly mode", async () => {
  const [config] = await nextEvent(client(fixture, "/readonly"), "config");
  assert.deepEqual(config.supportedFeatures, ["AGGREGATED_EVENTS", "ALL_EVENTS"]);
});

test("production mode: no socket list nor live events, statistics only", async () => {
  const adminSocket = client(fixture, "/production");
  const unexpected = [];
  for (const event of ["all_sockets", "socket_connected", "room_joined"]) adminSocket.on(event, () => unexpected.push(event));
  const [config] = await nextEvent(adminSocket, "config");
  assert.deepEqual(config.supportedFeatures, ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS"]);
  await connected(client(fixture, "/"));
  const [stats] = await nextEvent(adminSocket, "server_stats", { timeout: 5_000 });
  assert.equal(stats.serverId, "fixture-production");
  assert.deepEqual(unexpected, []);
});

test("sends server statistics every 2 seconds with the npm package's fields", async () => {
  const adminSocket = client(fixture, "/admin");
  await connected(client(fixture, "/", { transports: ["polling"] }));
  const [first] = await nextEvent(adminSocket, "server_stats", { timeout: 5_000 });
  const started = Date.now();
  const [stats] = await nextEvent(adminSocket, "server_stats", { timeout: 5_000 });
  const elapsed = Date.now() - started;
  assert.ok(elapsed > 1_000 && elapsed < 4_000, `2 s apart (measured ${elapsed} ms)`);
  assert.deepEqual(Object.keys(stats).sort(), ["aggregatedEvents", "clientsCount", "hostname", "namespaces", "pid", "pollingClientsCount", "serverId", "uptime"]);
  assert.equal(stats.serverId, `${stats.hostname}#${stats.pid}`);
  assert.ok(stats.clientsCount >= 2);
  assert.ok(stats.pollingClientsCount >= 1);
  assert.ok(stats.uptime > 0 && stats.uptime >= first.uptime);
  assert.ok(stats.namespaces.some((n) => n.name === "/" && n.socketsCount >= 1));
  assert.ok(stats.namespaces.some((n) => n.name === "/admin" && n.socketsCount >= 1));
  const raw = [...first.aggregatedEvents, ...stats.aggregatedEvents].filter((e) => e.type === "rawConnection");
  assert.ok(raw.length >= 1, "rawConnection events are counted");
  for (const e of raw) assert.equal(e.timestamp % 1000, 0);
});

test("emits administrative events: connect, room joined and left, disconnect", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = client(fixture, "/", { query: { tag: "events" } });
  const [socket, connectedAt] = await nextMatching(adminSocket, "socket_connected", (s) => s.nsp === "/" && s.handshake.query.tag === "events");
  await connected(clientSocket);
  assert.equal(socket.id, clientSocket.id);
  assert.ok(isIsoTimestamp(connectedAt));
  assert.deepEqual(socket.rooms, [clientSocket.id]);
  const { handshake } = socket;
  assert.deepEqual(Object.keys(handshake).sort(), ["address", "headers", "issued", "query", "secure", "time", "url", "xdomain"]);
  assert.match(handshake.address, /127\.0\.0\.1|::1/);
  assert.equal(handshake.headers.host, new URL(fixture.url).host);
  assert.equal(handshake.query.EIO, "4");
  assert.equal(handshake.secure, false);
  assert.equal(handshake.xdomain, false);
  assert.ok(Math.abs(handshake.issued - Date.now()) < 60_000);
  assert.ok(Math.abs(new Date(handshake.time).getTime() - handshake.issued) < 1_000, handshake.time);
  assert.match(handshake.url, /^\/socket\.io\/\?/);

  const joined = nextMatching(adminSocket, "room_joined", (nsp, room) => room === "room1");
  await clientSocket.emitWithAck("join", "room1");
  const [nsp, room, id, joinedAt] = await joined;
  assert.deepEqual([nsp, room, id], ["/", "room1", clientSocket.id]);
  assert.ok(isIsoTimestamp(joinedAt));

  const left = nextMatching(adminSocket, "room_left", (nsp, room) => room === "room1");
  await clientSocket.emitWithAck("leave", "room1");
  assert.deepEqual((await left).slice(0, 3), ["/", "room1", clientSocket.id]);

  const id3 = clientSocket.id;
  const gone = nextMatching(adminSocket, "socket_disconnected", (nsp, sid) => sid === id3);
  clientSocket.emit("bye");
  const [nsp3, , reason, at] = await gone;
  assert.equal(nsp3, "/");
  assert.equal(reason, "server namespace disconnect");
  assert.ok(isIsoTimestamp(at));
});

test("reports socket.Data changes and transport upgrades as socket_updated", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  // Other sockets upgrade too (the admin socket itself): keep every update, then look for this client's.
  const updates = [];
  adminSocket.on("socket_updated", (u) => updates.push(u));
  const clientSocket = await connected(client(fixture, "/", { transports: ["polling", "websocket"] }));
  await waitUntil(() => updates.some((u) => u.id === clientSocket.id && u.transport === "websocket"), { what: "the upgrade's socket_updated" });
  assert.deepEqual(updates.find((u) => u.id === clientSocket.id), { id: clientSocket.id, nsp: "/", transport: "websocket" });

  const updated = nextMatching(adminSocket, "socket_updated", (u) => u.id === clientSocket.id && u.data);
  await clientSocket.emitWithAck("set-data", { user: "ada", cart: [1, 2] });
  const [update] = await updated;
  assert.deepEqual(update, { id: clientSocket.id, nsp: "/", data: { user: "ada", cart: [1, 2] } });

  // A fresh admin sees the data in the socket list too.
  const [sockets] = await nextEvent(client(fixture, "/admin"), "all_sockets");
  assert.deepEqual(sockets.find((s) => s.id === clientSocket.id).data, { user: "ada", cart: [1, 2] });
});

test("performs administrative tasks: emit, join, leave, disconnect", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = await connected(client(fixture, "/"));
  const id = clientSocket.id;

  // emit, to the socket's own room
  const hello = nextEvent(clientSocket, "hello");
  adminSocket.emit("emit", "/", id, "hello", "world", { n: 1 });
  assert.deepEqual(await hello, ["world", { n: 1 }]);

  // emit to the whole namespace (no filter)
  const everyone = nextEvent(clientSocket, "announce");
  adminSocket.emit("emit", "/", "", "announce", 42);
  assert.deepEqual(await everyone, [42]);

  // join
  const joined = nextMatching(adminSocket, "room_joined", (nsp, room, sid) => room === "room1" && sid === id);
  adminSocket.emit("join", "/", "room1", id);
  await joined;
  assert.ok((await clientSocket.emitWithAck("rooms")).includes("room1"));

  // leave
  const left = nextMatching(adminSocket, "room_left", (nsp, room, sid) => room === "room1" && sid === id);
  adminSocket.emit("leave", "/", "room1", id);
  await left;
  assert.ok(!(await clientSocket.emitWithAck("rooms")).includes("room1"));

  // disconnect
  const [reason] = await Promise.all([
    nextEvent(clientSocket, "disconnect").then(([r]) => r),
    adminSocket.emit("_disconnect", "/", false, id),
  ]);
  assert.equal(reason, "io server disconnect");
});

test("_disconnect with close=true closes the whole connection", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = await connected(client(fixture, "/"));
  // As the reference's socket.disconnect(true): a DISCONNECT packet for each namespace, then the connection closes.
  const disconnected = nextEvent(clientSocket, "disconnect");
  const closed = nextEvent(clientSocket.io, "close");
  adminSocket.emit("_disconnect", "/", true, clientSocket.id);
  assert.equal((await disconnected)[0], "io server disconnect");
  await closed;
});

test("refuses the commands in readonly mode and ignores malformed ones", async () => {
  const readonly = await connected(client(fixture, "/readonly"));
  const admin = await connected(client(fixture, "/admin"));
  const clientSocket = await connected(client(fixture, "/"));
  const got = [];
  clientSocket.onAny((event) => got.push(event));
  readonly.emit("emit", "/", clientSocket.id, "sneaky");
  readonly.emit("_disconnect", "/", false, clientSocket.id);
  // Malformed: unknown namespace, reserved event name, missing arguments. None may break the server.
  admin.emit("emit", "/nowhere", "", "x");
  admin.emit("emit", "/", clientSocket.id, "connect");
  admin.emit("join", 42);
  admin.emit("_disconnect");
  // The admin socket's packets are handled in order: once this one arrives, the others were handled.
  const marker = nextEvent(clientSocket, "marker");
  admin.emit("emit", "/", clientSocket.id, "marker");
  await marker;
  assert.deepEqual(got, ["marker"]);
  assert.ok(clientSocket.connected);
});

test("dynamic namespaces: their sockets are reported and listed", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const dynamic = client(fixture, "/dynamic-7");
  const [socket] = await nextMatching(adminSocket, "socket_connected", (s) => s.nsp === "/dynamic-7");
  await connected(dynamic);
  assert.equal(socket.id, dynamic.id);
  const joined = nextMatching(adminSocket, "room_joined", (nsp, room) => nsp === "/dynamic-7" && room === "r");
  await dynamic.emitWithAck("join", "r");
  await joined;
  const [stats] = await nextMatching(adminSocket, "server_stats", (s) => s.namespaces.some((n) => n.name === "/dynamic-7"));
  assert.equal(stats.namespaces.find((n) => n.name === "/dynamic-7").socketsCount, 1);
  const [sockets] = await nextEvent(client(fixture, "/admin"), "all_sockets");
  assert.ok(sockets.some((s) => s.nsp === "/dynamic-7" && s.id === dynamic.id && s.rooms.includes("r")));
  // The commands reach them too.
  const hello = nextEvent(dynamic, "hi");
  adminSocket.emit("emit", "/dynamic-7", "r", "hi", 1);
  assert.deepEqual(await withTimeout(hello, 5_000, "hi"), [1]);
});
