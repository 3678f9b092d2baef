// Heartbeat: the server pings every 300 ms and waits 200 ms for the pong. A live client stays connected while idle;
// one that stops answering is dropped after about pingInterval + pingTimeout.
//
// These tests mostly wait, so they run concurrently (one suite, concurrency: true): each closes its own sockets
// rather than relying on a shared afterEach, which would close the sockets of the tests still running.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, PING_INTERVAL_MS, PING_TIMEOUT_MS, askSession, openSocket } from "../lib/engine-client.mjs";
import { collectEvents, nextEvent, sleep, waitUntil, withTimeout } from "../lib/waiting.mjs";

/** Slack for scheduling on a loaded 2-core machine; the deadlines below are still well under a second. */
const MARGIN_MS = 700;
const IDLE_MS = 1_600;

let fixture;
before(async () => (fixture = await startFixture("engine.io")));
after(() => fixture?.stop());

describe("engine.io heartbeat", { concurrency: true, timeout: 15_000 }, () => {
  for (const mode of MODES) {
    it(`${mode.name}: stays connected while idle for ${IDLE_MS} ms, answering every ping`, async () => {
      const socket = await openSocket(fixture, mode);
      try {
        let pings = 0;
        let closeReason = null;
        socket.on("ping", () => pings++);
        socket.on("close", (reason) => (closeReason = reason));

        await sleep(IDLE_MS); // letting time pass is the point of this test

        assert.equal(closeReason, null, "closed while idle");
        assert.equal(socket.readyState, "open");
        // One ping per interval is expected (5 in 1.6 s); fewer than 3 means the server is not pinging on schedule.
        assert.ok(pings >= 3, `only ${pings} pings in ${IDLE_MS} ms`);
        const echo = collectEvents(socket, "message", 1, { failOn: ["close"] });
        socket.send("still there");
        assert.deepEqual(await echo, ["still there"]);
        const seen = await askSession(fixture, socket.id);
        assert.equal(seen.state, "open");
      } finally {
        socket.close();
      }
    });

    it(`${mode.name}: is closed by the server when the client stops answering pings ("ping timeout" on the server)`, async () => {
      const socket = await openSocket(fixture, mode);
      try {
        const sid = socket.id;
        // engine.io-client answers a ping with _sendPacket("pong"): swallow exactly that, everything else still goes.
        const sendPacket = socket._sendPacket.bind(socket);
        socket._sendPacket = (type, ...rest) => (type === "pong" ? undefined : sendPacket(type, ...rest));
        const stoppedAt = Date.now();

        // The client's own timer would fire only pingInterval + pingTimeout after the last ping; the server's
        // deadline (next ping + pingTimeout) comes first, so the client learns it from the server's close.
        const [reason] = await nextEvent(socket, "close", { timeout: PING_INTERVAL_MS + PING_TIMEOUT_MS + MARGIN_MS });
        const elapsed = Date.now() - stoppedAt;
        assert.equal(reason, "transport close", `closed after ${elapsed} ms`);

        const seen = await waitUntil(
          async () => {
            const state = await askSession(fixture, sid);
            return state.state === "closed" ? state : null;
          },
          { what: `session ${sid} closed on the server` },
        );
        assert.equal(seen.reason, "PingTimeout", `server-side close: ${JSON.stringify(seen)}`);
      } finally {
        socket.close();
      }
    });
  }

  const deadline = PING_INTERVAL_MS + PING_TIMEOUT_MS;

  it("raw WebSocket: closes a WebSocket that receives pings but never answers them", async () => {
    // Timed from before the connection exists, so that the server's timer (started by the handshake) cannot have
    // started earlier: a close sooner than the deadline means the server gave up too early.
    const connectingAt = Date.now();
    const socket = new WebSocket(`ws://127.0.0.1:${fixture.port}/engine.io/?EIO=4&transport=websocket`);
    try {
      const frames = [];
      socket.on("message", (data, isBinary) => frames.push(isBinary ? data : data.toString()));
      const closed = new Promise((resolve) => socket.once("close", (code) => resolve(code)));
      await nextEvent(socket, "open", { failOn: ["error", "close"] });

      await withTimeout(closed, deadline + MARGIN_MS, `the server to close the WebSocket within ${deadline} ms + margin`);
      const elapsed = Date.now() - connectingAt;

      assert.match(frames[0] ?? "", /^0\{/, "first frame is the open packet");
      assert.deepEqual(frames.slice(1), ["2"], "then exactly one ping, and no close packet (the WebSocket is simply closed)");
      assert.ok(elapsed >= deadline - 20, `closed ${elapsed} ms after connecting, before the ping could time out`);
    } finally {
      socket.terminate();
    }
  });

  it("raw polling: forgets a polling session that never polls again: its next GET gets 400 Session ID unknown", async () => {
    const base = `${fixture.url}/engine.io/?EIO=4&transport=polling`;
    const handshake = await withTimeout(fetch(base).then((r) => r.text()), 5_000, "the handshake");
    assert.match(handshake, /^0\{/);
    const { sid } = JSON.parse(handshake.slice(1));

    await sleep(deadline + MARGIN_MS); // the client stays silent past the server's deadline

    const response = await withTimeout(fetch(`${base}&sid=${sid}`), 5_000, "the late poll");
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { code: 1, message: "Session ID unknown" });
    const seen = await askSession(fixture, sid);
    assert.equal(seen.reason, "PingTimeout", `server-side close: ${JSON.stringify(seen)}`);
  });

  it("raw polling: answers a waiting poll with the close packet when the ping goes unanswered", async () => {
    const base = `${fixture.url}/engine.io/?EIO=4&transport=polling`;
    const handshake = await withTimeout(fetch(base).then((r) => r.text()), 5_000, "the handshake");
    const { sid } = JSON.parse(handshake.slice(1));
    const poll = () => withTimeout(fetch(`${base}&sid=${sid}`).then((r) => r.text()), deadline + MARGIN_MS, "a poll");

    assert.equal(await poll(), "2", "the first poll returns the ping");
    // Never POST the pong: the next poll waits until the ping times out, then carries the close packet.
    assert.equal(await poll(), "1", "the second poll returns the close packet");
  });
});
