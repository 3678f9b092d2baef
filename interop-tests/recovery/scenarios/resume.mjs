// Recovery scenarios shared by the JSON run (recovery.test.mjs) and the msgpack run (msgpack.test.mjs), against the
// socket.io suite started with --recovery: the fixture drops a connection the way a network failure would, the client
// reconnects on its own and must resume its session.

import assert from "node:assert/strict";
import { connect, request } from "../../lib/socketio-client.mjs";
import { nextEvent, waitUntil } from "../../lib/waiting.mjs";

// The client reconnects on its own, at once: the default delay (about a second) only makes the tests slower.
const RECONNECTING = { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 };

/** Has the fixture drop the connection, and waits for the client to notice and to reconnect. */
export async function dropAndReconnect(socket) {
  const disconnected = nextEvent(socket, "disconnect", { timeout: 10_000 });
  // Not failing on "connect_error": in polling mode the aborted POST may report its failure after the GET's, and the
  // client then counts it as a failed attempt and retries, as it would after a real network failure.
  const reconnected = nextEvent(socket, "connect", { timeout: 10_000 });
  socket.emit("drop");
  const [reason] = await disconnected;
  assert.match(reason, /^transport (error|close)$/, "the client sees a lost connection, so it reconnects");
  await reconnected;
}

/** Has the fixture send one event to `room` and waits for it: the client then holds an offset to resume from. */
export async function receiveOneTick(socket, room) {
  const tick = nextEvent(socket, "tick");
  await request(socket, "ticks", room, 1, 0);
  await tick;
}

/** Ticks broadcast to a room across a dropped connection arrive exactly once and in order; the socket is recovered. */
export async function nothingMissedOrDuplicated(t, fixture, mode, options = {}) {
  const socket = await connect(fixture, mode, { ...RECONNECTING, ...options });
  assert.equal(socket.recovered, false);
  const id = socket.id;
  const room = `ticks ${mode.name}`;
  const count = 60;
  const ticks = [];
  socket.on("tick", (n) => ticks.push(n));
  await request(socket, "join", room);
  await request(socket, "ticks", room, count, 10);
  await waitUntil(() => ticks.length >= 10, { what: "the first ticks" });

  await dropAndReconnect(socket);
  const atReconnect = ticks.length;
  assert.equal(socket.recovered, true);
  assert.equal(socket.id, id);

  await waitUntil(() => ticks.length >= count, { timeout: 10_000, what: `${count} ticks (got ${ticks.length})` });
  assert.deepEqual(ticks, Array.from({ length: count }, (_, i) => i + 1));
  t.diagnostic(`${atReconnect} ticks before the reconnection, ${count - atReconnect} after it (missed ones first)`);
}

/** A recovered socket has the same id, rooms and data. */
export async function keepsIdRoomsAndData(fixture, mode, options = {}) {
  const socket = await connect(fixture, mode, { ...RECONNECTING, ...options });
  await request(socket, "join", "club");
  await request(socket, "set-data", "precious");
  await receiveOneTick(socket, "club");
  const before = await request(socket, "whoami");
  assert.deepEqual(before, { id: socket.id, recovered: false, rooms: [socket.id, "club"].sort(), data: "precious" });

  await dropAndReconnect(socket);

  assert.equal(socket.recovered, true);
  assert.deepEqual(await request(socket, "whoami"), { ...before, recovered: true });
}
