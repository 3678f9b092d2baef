// The real npm engine.io-client, connected to the fixture server in each of the three ways a client can run.

import assert from "node:assert/strict";
import { Socket } from "engine.io-client";
import { nextEvent } from "./waiting.mjs";

/** The fixture's handshake settings (interop-tests/fixture-server/EngineSuite.cs). */
export const PING_INTERVAL_MS = 300;
export const PING_TIMEOUT_MS = 200;
export const MAX_PAYLOAD = 1_000_000;

/**
 * The transport modes every scenario runs in.
 * - websocket: WebSocket from the start (no polling at all).
 * - polling: HTTP long-polling only (upgrades disabled by the client's transport list).
 * - upgrade: the client's default, polling first then upgraded to WebSocket.
 */
export const MODES = [
  { name: "websocket", options: { transports: ["websocket"] }, firstTransport: "websocket", upgrades: false },
  { name: "polling", options: { transports: ["polling"] }, firstTransport: "polling", upgrades: false },
  { name: "polling then upgrade", options: {}, firstTransport: "polling", upgrades: true },
];

const openSockets = new Set();

/**
 * Opens a client socket and waits for "open". In the upgrade mode it then also waits for the "upgrade" event and
 * checks the client is on WebSocket, unless `waitForUpgrade` is false.
 */
export async function openSocket(fixture, mode, { waitForUpgrade = true, options = {} } = {}) {
  const socket = new Socket(fixture.url, { ...mode.options, ...options });
  openSockets.add(socket);
  socket.on("close", () => openSockets.delete(socket));
  await nextEvent(socket, "open", { failOn: ["error", "close"] });
  assert.equal(socket.transport.name, mode.firstTransport, "transport right after open");
  if (mode.upgrades && waitForUpgrade) await waitForUpgraded(socket);
  return socket;
}

/** Waits for the client's "upgrade" event and checks the socket then runs on WebSocket. */
export async function waitForUpgraded(socket) {
  const [transport] = await nextEvent(socket, "upgrade", { failOn: ["upgradeError", "close"] });
  assert.equal(transport.name, "websocket", "transport of the 'upgrade' event");
  assert.equal(socket.transport.name, "websocket", "socket.transport after the upgrade");
}

/** Closes every socket a test left open (an afterEach hook), so that one failure does not leak into the next test. */
export function closeAllSockets() {
  for (const socket of openSockets) socket.close();
  openSockets.clear();
}

/**
 * Asks the fixture, over a separate connection, how it sees session `sid`: {state: "open", transport} or
 * {state: "closed", reason, description} or {state: "unknown"} (see fixture-server/ControlHandler.cs).
 */
export async function askSession(fixture, sid) {
  const probe = await openSocket(fixture, MODES[0]);
  try {
    const answer = nextEvent(probe, "message", { failOn: ["close"] });
    probe.send(`__session__:${sid}`);
    const [json] = await answer;
    return JSON.parse(json);
  } finally {
    probe.close();
  }
}

/** Bytes of whatever binary form a message arrived in (Buffer, ArrayBuffer or a typed array). */
export function bytesOf(data) {
  if (typeof data === "string") throw new assert.AssertionError({ message: `expected binary data, got text '${data.slice(0, 50)}'` });
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
