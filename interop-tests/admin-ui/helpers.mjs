// Shared by the admin UI interop tests: clients of the fixture's "admin-ui" suite (fixture-server/AdminUiSuite.cs).

import { io } from "socket.io-client";
import { nextEvent } from "../lib/waiting.mjs";

const open = new Set();

/** A socket.io-client socket for `nsp`; no reconnection; disconnected by closeAll(). */
export function client(fixture, nsp = "/", options = {}) {
  const socket = io(`${fixture.url}${nsp}`, { forceNew: true, reconnection: false, ...options });
  open.add(socket);
  return socket;
}

/** Connects and resolves with the socket once connected (fails on connect_error). */
export async function connected(socket) {
  if (!socket.connected) await nextEvent(socket, "connect", { failOn: ["connect_error"] });
  return socket;
}

/** The message of the connect_error the socket gets (fails if it connects instead). */
export async function refusal(socket) {
  const [error] = await nextEvent(socket, "connect_error", { failOn: ["connect"] });
  return error.message;
}

/** The next `event` whose arguments satisfy `match`, as an array of arguments. */
export function nextMatching(socket, event, match, { timeout = 5_000 } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out after ${timeout} ms waiting for a matching '${event}'`));
    }, timeout);
    const handler = (...args) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(args);
    };
    socket.on(event, handler);
  });
}

/** Disconnects every socket made by client(). */
export function closeAll() {
  for (const socket of open) socket.disconnect();
  open.clear();
}

/** Whether `value` is an ISO 8601 timestamp as JavaScript writes one. */
export function isIsoTimestamp(value) {
  return typeof value === "string" && new Date(value).toISOString() === value;
}
