// The Socket.IO 2.x client stack (npm socket.io-client 2.5.0, installed as socket.io-client-v2), which speaks
// Engine.IO protocol v3 and Socket.IO protocol v4, connected to a fixture started with --allow-eio3.
//
// Its own dependencies (engine.io-client 3.x, engine.io-parser 2.x) are resolved from its folder, so they are the
// exact versions it runs with, not the v4 ones of the root package.json.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { nextEvent, withTimeout } from "./waiting.mjs";

const require = createRequire(import.meta.url);
const clientEntry = require.resolve("socket.io-client-v2");
const requireFromClient = createRequire(clientEntry);

/** socket.io-client 2.5.0's `io()`. */
export const io = require("socket.io-client-v2");

/** engine.io-client 3.x's Socket, as socket.io-client 2.5.0 uses it. */
export const EngineSocketV3 = requireFromClient("engine.io-client");

/** engine.io-parser 2.x: the reference codec of protocol v3 payloads. */
export const parserV3 = createRequire(requireFromClient.resolve("engine.io-client"))("engine.io-parser");

/**
 * The transport modes: WebSocket only, polling only, and the client's default (polling, then upgraded). In Node the
 * 2.x client polls with b64=1 (its XHR has no binary support), and sends binary WebSocket frames.
 */
export const MODES = [
  { name: "websocket", options: { transports: ["websocket"] }, upgrades: false },
  { name: "polling", options: { transports: ["polling"] }, upgrades: false },
  { name: "polling then upgrade", options: {}, upgrades: true },
];

const openSockets = new Set();

/** A new 2.x client socket for namespace `nsp` (its own connection; no reconnection, so failures stay visible). */
export function createSocket(fixture, mode, nsp = "/", options = {}) {
  const socket = io(fixture.url + nsp, { forceNew: true, reconnection: false, ...mode.options, ...options });
  openSockets.add(socket);
  return socket;
}

/** Connects a 2.x client to `nsp` and waits for "connect" (and, in the upgrade mode, for the upgrade). */
export async function connect(fixture, mode, nsp = "/", options = {}) {
  const socket = createSocket(fixture, mode, nsp, options);
  await nextEvent(socket, "connect", { failOn: ["error", "connect_error", "disconnect"] });
  if (mode.upgrades) {
    const engine = socket.io.engine;
    if (engine.transport.name !== "websocket") await nextEvent(engine, "upgrade", { failOn: ["upgradeError", "close"] });
    assert.equal(engine.transport.name, "websocket", "transport after the upgrade");
  }
  return socket;
}

/** Emits an event and resolves with the arguments of its acknowledgement (within 5 s). */
export function emitWithAck(socket, event, ...args) {
  const answered = new Promise((resolve) => socket.emit(event, ...args, (...answer) => resolve(answer)));
  return withTimeout(answered, 5_000, `the acknowledgement of '${event}'`);
}

/** Closes every socket a test left open (an afterEach hook). */
export function closeAllSockets() {
  for (const socket of openSockets) socket.close();
  openSockets.clear();
}
