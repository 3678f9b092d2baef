// The scenarios of @socket.io/admin-ui 0.5.1's own test/events.ts: event_sent and event_received in development
// mode, with and without acknowledgements, with binary arguments.

import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { startFixture } from "../lib/fixture.mjs";
import { nextEvent } from "../lib/waiting.mjs";
import { client, closeAll, connected, isIsoTimestamp, nextMatching } from "./helpers.mjs";

let fixture;
before(async () => (fixture = await startFixture("admin-ui")));
after(() => fixture?.stop());
afterEach(closeAll);

test("tracks events sent to the client", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = client(fixture, "/", { query: { greet: "binary" } });
  const sent = nextMatching(adminSocket, "event_sent", (nsp, id, args) => args[0] === "hello");
  const [received] = await Promise.all([nextEvent(clientSocket, "hello"), connected(clientSocket)]);
  assert.deepEqual(received, [1, "2", Buffer.from([3])]);
  const [nsp, id, args, at] = await sent;
  assert.equal(nsp, "/");
  assert.equal(id, clientSocket.id);
  assert.deepEqual(args, ["hello", 1, "2", Buffer.from([3])]);
  assert.ok(isIsoTimestamp(at), at);
});

test("tracks events sent to the client (with ack)", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = client(fixture, "/", { query: { greet: "ack" } });
  clientSocket.on("hello", (cb) => cb("world"));
  const sent = nextMatching(adminSocket, "event_sent", (nsp, id, args) => args[0] === "hello");
  const acked = nextEvent(clientSocket, "hello-acked");
  const [nsp, id, args, at] = await sent;
  // The report may arrive before the client has processed its own CONNECT reply (another connection).
  await connected(clientSocket);
  assert.equal(nsp, "/");
  assert.equal(id, clientSocket.id);
  assert.deepEqual(args, ["hello"]);
  assert.ok(isIsoTimestamp(at));
  assert.deepEqual(await acked, ["world"]);
});

test("tracks events received from the client", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = await connected(client(fixture, "/"));
  const received = nextMatching(adminSocket, "event_received", (nsp, id, args) => args[0] === "hello");
  clientSocket.emit("hello", 1, "2", Buffer.from([3]));
  const [nsp, id, args, at] = await received;
  assert.equal(nsp, "/");
  assert.equal(id, clientSocket.id);
  assert.deepEqual(args, ["hello", 1, "2", Buffer.from([3])]);
  assert.ok(isIsoTimestamp(at));
});

test("tracks events received from the client (with ack)", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const clientSocket = await connected(client(fixture, "/"));
  const received = nextMatching(adminSocket, "event_received", (nsp, id, args) => args[0] === "hello");
  const answer = await clientSocket.timeout(5_000).emitWithAck("hello", "world");
  assert.equal(answer, "123");
  const [nsp, id, args, at] = await received;
  assert.deepEqual([nsp, id, args], ["/", clientSocket.id, ["hello", "world"]]);
  assert.ok(isIsoTimestamp(at));
});

test("does not report the admin sockets' own events, nor in production mode", async () => {
  const adminSocket = await connected(client(fixture, "/admin"));
  const production = await connected(client(fixture, "/production"));
  const seen = [];
  adminSocket.on("event_received", (nsp) => seen.push(nsp));
  production.on("event_received", () => seen.push("production"));
  production.on("event_sent", () => seen.push("production"));
  const clientSocket = await connected(client(fixture, "/"));
  const marker = nextMatching(adminSocket, "event_received", (nsp, id, args) => args[0] === "hello");
  adminSocket.emit("emit", "/", "nowhere-room", "x");
  await clientSocket.timeout(5_000).emitWithAck("hello", "marker");
  await marker;
  assert.deepEqual(seen, ["/"]);
});
