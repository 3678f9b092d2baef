// The real npm socket.io-client, connected to the fixture server's "clients" suite (fixture-server/ClientSuite.cs)
// in each of the three transport modes.

import assert from "node:assert/strict";
import { io } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { MODES } from "./engine-client.mjs";
import { nextEvent, withTimeout } from "./waiting.mjs";

export { MODES };

/** The client-side parser matching the fixture's `--parser` flag. */
export const PARSERS = {
  json: undefined, // socket.io-client's default
  msgpack: msgpackParser,
};

const openSockets = new Set();

/**
 * Creates a client socket for namespace `nsp` without waiting for anything. No reconnection unless asked: a test
 * that fails must not leave a client retrying in the background. Unless `shared` (a socket the caller disconnects
 * itself, used across tests), disconnectAll() disconnects it.
 */
export function createSocket(fixture, mode, { nsp = "/", parser = "json", shared = false, ...options } = {}) {
  const socket = io(`${fixture.url}${nsp}`, {
    ...mode.options,
    forceNew: true,
    reconnection: false,
    parser: PARSERS[parser],
    ...options,
  });
  if (!shared) openSockets.add(socket);
  return socket;
}

/**
 * Connects a client socket and waits for "connect" (failing on "connect_error"). In the upgrade mode it then also
 * waits until the connection runs on WebSocket.
 */
export async function connect(fixture, mode, options = {}) {
  const socket = createSocket(fixture, mode, options);
  // The engine exists as soon as io() returns: listen for the upgrade before it can happen.
  const upgraded = mode.upgrades ? upgradeOf(socket) : undefined;
  await nextEvent(socket, "connect", { failOn: ["connect_error"] });
  assert.equal(socket.connected, true);
  if (upgraded) await upgraded;
  return socket;
}

function upgradeOf(socket) {
  const engine = socket.io.engine;
  if (engine.transport?.name === "websocket") return Promise.resolve();
  return nextEvent(engine, "upgrade", { failOn: ["upgradeError", "close"] }).then(() =>
    assert.equal(engine.transport.name, "websocket", "transport after the upgrade"),
  );
}

/** Emits with an ack and resolves with the ack's arguments (the first one unless `all`); times out. */
export async function request(socket, event, ...args) {
  const answer = await withTimeout(socket.timeout(5_000).emitWithAck(event, ...args), 6_000, `the ack of '${event}'`);
  return answer;
}

/** Disconnects every socket a test left connected (an afterEach hook). */
export function disconnectAll() {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

/** Asserts `value` is binary with exactly `bytes` (socket.io-client delivers Buffers in Node). */
export function assertBytes(value, bytes, what = "binary value") {
  assert.ok(Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value), `${what} is binary, got ${typeof value}`);
  const actual = value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  assert.deepEqual([...actual], [...bytes], what);
}
