// socket.io-client's browser bundle in a real headless Chromium, against the fixture's "clients" suite, in the three
// transport modes. The page comes from another origin than the server (another port), so polling goes through CORS
// as it does for a web app, and binary arrives as ArrayBuffers.
//
// Chromium: CHROMIUM_PATH, else /usr/bin/chromium (scripts/test.sh installs Debian's package when it can). Without
// it the tests are skipped, except under CI=true, where a missing browser is a failure.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { startFixture } from "../lib/fixture.mjs";
import { MODES } from "../lib/socketio-client.mjs";
import { withTimeout } from "../lib/waiting.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === "true") {
  throw new Error(`Chromium not found at ${CHROMIUM}: the browser interop tests cannot run (set CHROMIUM_PATH)`);
}

const CLIENT_BUNDLE = readFileSync(fileURLToPath(new URL("../../node_modules/socket.io-client/dist/socket.io.min.js", import.meta.url)));
const PAGE = `<!doctype html><meta charset="utf-8"><title>interop</title><script src="/socket.io.min.js"></script>`;

let fixture;
let pageServer;
let pageUrl;
let browser;
let page;

/** Serves the test page and the client bundle on a port of its own: another origin than the Socket.IO server. */
function startPageServer() {
  const server = createServer((request, response) => {
    if (request.url === "/socket.io.min.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(CLIENT_BUNDLE);
    } else {
      response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("socket.io-client in Chromium", { skip: haveChromium ? false : `no Chromium at ${CHROMIUM}`, timeout: 60_000 }, () => {
  before(async () => {
    const { chromium } = await import("playwright-core");
    fixture = await startFixture("clients");
    pageServer = await startPageServer();
    pageUrl = `http://127.0.0.1:${pageServer.address().port}/`;
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await withTimeout(chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }), 30_000, "Chromium to start");
    page = await browser.newPage();
    await page.goto(pageUrl);
  });

  after(async () => {
    await browser?.close();
    pageServer?.close();
    await fixture?.stop();
  });

  for (const mode of MODES) {
    describe(mode.name, () => {
      it("connects cross-origin with auth, acks both ways, binary both ways as ArrayBuffers, rooms, disconnect", async () => {
        const result = await page.evaluate(runScenario, { url: fixture.url, options: mode.options, upgrades: mode.upgrades });
        assert.equal(result.error, undefined, result.error);
        assert.equal(result.pageOrigin === new URL(fixture.url).origin, false, "the page is on another origin");
        assert.equal(result.me.id, result.id);
        assert.deepEqual(result.me.auth, { token: "from the browser" });
        assert.equal(result.me.transport, mode.upgrades ? "websocket" : mode.firstTransport);
        assert.equal(result.transport, mode.upgrades ? "websocket" : mode.firstTransport);
        assert.deepEqual(result.binary, { allIsArrayBuffer: true, all: 256, lastByte: 255, nested: [1, 2, 3], text: "not binary" });
        assert.deepEqual(result.ackBytes, [0xca, 0xfe]);
        assert.deepEqual(result.echoed, { bytes: [1, 2, 3], blob: [4, 5], name: "upload" });
        assert.deepEqual(result.answeredServer, { ok: true, answer: ["pong from the browser"] });
        assert.deepEqual(result.news, ["hello room"]);
        assert.equal(result.disconnectReason, "io server disconnect");
      });

      it("gets a refusal's message and data in connect_error", async () => {
        const result = await page.evaluate(
          ({ url, options }) =>
            new Promise((resolve) => {
              const socket = io(url, { ...options, forceNew: true, auth: { token: "refused" }, reconnection: false });
              socket.on("connect", () => resolve({ connected: true }));
              socket.on("connect_error", (err) => resolve({ message: err.message, data: err.data }));
              setTimeout(() => resolve({ error: "no answer within 5 s" }), 5_000);
            }),
          { url: fixture.url, options: mode.options },
        );
        assert.deepEqual(result, { message: "refused by the fixture", data: { code: "E_REFUSED", detail: "the token is 'refused'" } });
      });
    });
  }
});

/** Runs in the page: one connection through every feature; returns what it saw, or {error}. */
async function runScenario({ url, options, upgrades }) {
  const bounded = (promise, what) =>
    Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), 5_000))]);
  const once = (emitter, event) => new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
  const bytes = (buffer) => [...new Uint8Array(buffer)];
  const nsp = `/dynamic-${Math.floor(Math.random() * 1e9)}`;
  const socket = io(`${url}${nsp}`, { ...options, forceNew: true, auth: { token: "from the browser" }, reconnection: false });
  const peer = io(`${url}${nsp}`, { ...options, forceNew: true, reconnection: false });
  try {
    const upgraded = upgrades ? once(socket.io.engine, "upgrade") : Promise.resolve();
    await bounded(Promise.all([once(socket, "connect"), once(peer, "connect")]), "connect");
    await bounded(upgraded, "upgrade");
    const ask = (target, event, ...args) => bounded(target.timeout(5_000).emitWithAck(event, ...args), event);

    const me = await ask(socket, "whoami");

    const binaryEvent = once(socket, "binary");
    const ackBytes = await ask(socket, "send-binary");
    const [all, nested, text] = await bounded(binaryEvent, "binary event");

    const blob = new Blob([new Uint8Array([4, 5])]);
    const echoed = await ask(socket, "echo-ack", { name: "upload", bytes: new Uint8Array([1, 2, 3]), blob });

    socket.on("ping-browser", (callback) => callback("pong from the browser"));
    const answeredServer = await ask(socket, "ask", { event: "ping-browser", args: [], timeoutMs: 5_000 });

    await ask(socket, "join", "room");
    const news = once(socket, "news");
    await ask(peer, "broadcast", { event: "news", args: ["hello room"], to: ["room"] });

    const disconnected = once(socket, "disconnect");
    socket.emit("disconnect-me", { close: false });
    return {
      pageOrigin: location.origin,
      id: socket.id,
      me,
      transport: socket.io.engine.transport.name,
      binary: {
        allIsArrayBuffer: all instanceof ArrayBuffer,
        all: all.byteLength,
        lastByte: new Uint8Array(all)[255],
        nested: bytes(nested.nested.bytes),
        text,
      },
      ackBytes: bytes(ackBytes),
      echoed: { bytes: bytes(echoed.bytes), blob: bytes(echoed.blob), name: echoed.name },
      answeredServer,
      news: await bounded(news, "room broadcast"),
      disconnectReason: (await bounded(disconnected, "disconnect"))[0],
    };
  } catch (error) {
    return { error: String(error?.stack ?? error) };
  } finally {
    socket.disconnect();
    peer.disconnect();
  }
}
