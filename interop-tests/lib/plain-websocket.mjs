// A plain WebSocket client (the `ws` package) for the service's older JSON-envelope APIs: resolves messages in
// order, with every wait bounded, and is terminated by closeAllPlainClients() after each test.

import WebSocket from "ws";
import { withTimeout } from "./waiting.mjs";

const open = new Set();

/**
 * Connects to `path` of the service. `token` goes in the Authorization header, or in ?token= with `header: false`.
 * The socket gets: `opened` (a promise), `next()` (the next message, parsed), `nextOfType(type)` (skipping others),
 * `closed()` ({code, reason}), `sendJson(message)`.
 */
export function plainClient(market, path, { token, header = true, query } = {}) {
  const url = new URL(path, market.url.replace(/^http/, "ws"));
  if (query) url.search = query;
  if (token && !header) url.searchParams.set("token", token);
  const ws = new WebSocket(url, token && header ? { headers: { authorization: `Bearer ${token}` } } : {});
  open.add(ws);
  const messages = [];
  const waiters = [];
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.next = () => withTimeout(messages.length ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiters.push(resolve)), 5_000, `a message on ${path}`);
  ws.nextOfType = async (type) => {
    for (;;) {
      const message = await ws.next();
      if (message.type === type) return message;
    }
  };
  ws.closed = () => withTimeout(closed, 5_000, `${path} to close`);
  ws.sendJson = (message) => ws.send(JSON.stringify(message));
  ws.opened = withTimeout(new Promise((resolve, reject) => { ws.once("open", resolve); ws.once("error", reject); }), 5_000, `${path} to open`);
  return ws;
}

/** Terminates every plain client still open (call it in afterEach). */
export function closeAllPlainClients() {
  for (const ws of open) ws.terminate();
  open.clear();
}
