// The marketplace service (src/MarketplaceEvents) as a child process for one test file, and the pieces its
// scenarios share: HS256 tokens minted with node:crypto, a REST helper, and socket.io-client connections.
//
//   const market = await startMarketplace({ "Limits:EventsPerWindow": 5 });
//   const token = market.token({ sub: "buyer-1", role: "user" });
//   const socket = await connectUser(market, token, mode);
//   const { status, body } = await market.api("POST", "/api/listings", providerToken, { ... });
//   await market.stop();
//
// Environment: FIXTURE_CONFIGURATION (Debug or Release) picks the build, FIXTURE_VERBOSE=1 copies the service's
// output to stderr, as for the fixture server (lib/fixture.mjs).

import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { dotnetDllPath, startDotnet } from "./dotnet-process.mjs";
import { withTimeout } from "./waiting.mjs";

const STARTUP_TIMEOUT_MS = 30_000;
const LISTENING = /MarketplaceEvents listening on (http:\/\/\S+)/;

/** The transport modes the scenarios run in: WebSocket only, and HTTP long-polling only (a mobile fallback). */
export const MODES = [
  { name: "websocket", options: { transports: ["websocket"] } },
  { name: "polling", options: { transports: ["polling"] } },
];

/** Settings every test server gets: fast heartbeats, generous limits (the limit tests lower them). */
const TEST_SETTINGS = {
  "Realtime:PingInterval": "00:00:01",
  "Realtime:PingTimeout": "00:00:01",
  "Limits:ConnectionsPerIp": 10_000,
  "Limits:EventsPerWindow": 10_000,
};

/** The service DLL of the configuration chosen by FIXTURE_CONFIGURATION. */
export function marketplaceDllPath() {
  return dotnetDllPath("src/MarketplaceEvents", "MarketplaceEvents.dll", "marketplace service");
}

/**
 * Starts the service on a free loopback port with a fresh SQLite file in a temporary folder, a known signing key,
 * and `settings` (configuration keys such as "Limits:EventsPerWindow") on top of the test defaults. A setting given
 * as null is left out: `{ "Auth:SigningKey": null }` runs the service with its generated development key. `label`
 * prefixes the service's output lines copied to stderr (several nodes of a cluster).
 */
export async function startMarketplace(settings = {}, { label = "marketplace" } = {}) {
  const folder = mkdtempSync(path.join(tmpdir(), "marketplace-"));
  // A key given in `settings` is kept (several nodes of one cluster share it); otherwise a fresh one.
  const signingKey = typeof settings["Auth:SigningKey"] === "string" ? settings["Auth:SigningKey"] : randomBytes(32).toString("base64url");
  const all = { ...TEST_SETTINGS, "Storage:Sqlite": path.join(folder, "marketplace.db"), "Auth:SigningKey": signingKey, ...settings };
  const args = [marketplaceDllPath(), "--urls", "http://127.0.0.1:0"];
  for (const [key, value] of Object.entries(all)) if (value !== null) args.push(`--${key}=${value}`);

  // The service's own folder as working directory: nothing it writes lands in the repository.
  const { child, exited, listening, tail, stop: stopChild } = startDotnet(args, {
    label,
    tailLines: 60,
    cwd: folder,
    listeningOn: (line) => LISTENING.exec(line)?.[1],
  });

  const stop = async () => {
    await stopChild();
    rmSync(folder, { recursive: true, force: true });
  };

  let url;
  try {
    url = await withTimeout(
      Promise.race([
        listening,
        exited.then(({ code, signal }) => {
          throw new Error(`marketplace service exited (code ${code}, signal ${signal}) before listening`);
        }),
      ]),
      STARTUP_TIMEOUT_MS,
      "the marketplace service to listen",
    );
  } catch (error) {
    await stop();
    error.message += `\n${tail.join("\n")}`;
    throw error;
  }

  const market = {
    url,
    signingKey,
    stop,
    /** Sends `signal` to the service's process ("SIGKILL": a node dying without warning); resolves when it is gone. */
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
    /** Output lines of the service so far (the last 60). */
    output: () => tail.slice(),
    /** A token signed with the server's key; `claims` overrides the defaults, `expiresIn` is in seconds. */
    token: (claims, options) => mintToken(signingKey, claims, options),
    /** A REST call: resolves with { status, headers, body } (body parsed when JSON). */
    api: (method, route, token, body) => callApi(url, method, route, token, body),
  };
  return market;
}

/** An HS256 JWT over `claims` (defaults: iat now, exp in `expiresIn` seconds), signed with `key` as UTF-8 text. */
export function mintToken(key, claims, { expiresIn = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iat: now, exp: now + expiresIn, ...claims }));
  const signature = createHmac("sha256", Buffer.from(key, "utf8")).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

function base64url(text) {
  return Buffer.from(text, "utf8").toString("base64url");
}

async function callApi(baseUrl, method, route, token, body) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await withTimeout(
    fetch(new URL(route, baseUrl), { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) }),
    10_000,
    `${method} ${route}`,
  );
  const text = await response.text();
  let parsed = text;
  if ((response.headers.get("content-type") || "").includes("json") && text.length > 0) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed };
}

const openSockets = new Set();

/** A socket.io-client socket that is not connected yet (no automatic reconnection unless asked). */
export function createSocket(market, mode, options = {}) {
  const socket = io(market.url, { reconnection: false, forceNew: true, ...mode.options, ...options });
  openSockets.add(socket);
  return socket;
}

/** Connects with `auth: { token: "Bearer <token>" }` and resolves once connected; rejects with the connect_error. */
export async function connectUser(market, token, mode, options = {}) {
  const socket = createSocket(market, mode, { auth: { token: `Bearer ${token}` }, ...options });
  await connected(socket);
  return socket;
}

/** Resolves when `socket` connects, rejects with its connect_error. */
export function connected(socket) {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    }),
    5_000,
    "connect",
  );
}

/** The connect_error a refused socket gets (rejects if it connects instead). */
export function refused(socket) {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once("connect", () => reject(new Error("connected, but a refusal was expected")));
      socket.once("connect_error", resolve);
    }),
    5_000,
    "connect_error",
  );
}

/** Emits with an acknowledgement and resolves with the answer. */
export function request(socket, event, payload, timeout = 5_000) {
  return socket.timeout(timeout).emitWithAck(event, payload);
}

/** Closes every socket a test opened (an afterEach hook). */
export function closeAllSockets() {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

/** Records every event a socket receives, so that a test can check what did (or did not) arrive. */
export function record(socket) {
  const events = [];
  socket.onAny((event, ...args) => events.push({ event, args }));
  return {
    events,
    of: (name) => events.filter((e) => e.event === name).map((e) => e.args[0]),
  };
}
