// Closing a session from either side: what the client is told, and what the server recorded.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, askSession, closeAllSockets, openSocket } from "../lib/engine-client.mjs";
import { collectEvents, nextEvent, waitUntil } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("engine.io")));
after(() => fixture?.stop());
afterEach(closeAllSockets);

/** Waits until the fixture reports session `sid` closed, and returns its record ({state, reason, description}). */
function serverSideClose(sid) {
  return waitUntil(
    async () => {
      const seen = await askSession(fixture, sid);
      return seen.state === "closed" ? seen : null;
    },
    { timeout: 5_000, interval: 50, what: `the server to close session ${sid}` },
  );
}

for (const mode of MODES) {
  describe(`engine.io close (${mode.name})`, { timeout: 15_000 }, () => {
    it('client close: the client reports "forced close" and the server sees the transport close', async () => {
      const socket = await openSocket(fixture, mode);
      const sid = socket.id;
      const closed = nextEvent(socket, "close");
      socket.close();
      const [reason] = await closed;
      assert.equal(reason, "forced close");
      assert.equal(socket.readyState, "closed");

      const seen = await serverSideClose(sid);
      assert.equal(seen.reason, "TransportClose", `server-side close: ${JSON.stringify(seen)}`);
    });

    it('server close: queued messages arrive first, then the client reports "transport close"', async () => {
      const socket = await openSocket(fixture, mode);
      const sid = socket.id;
      const messages = [];
      socket.on("message", (data) => messages.push(data));
      const closed = nextEvent(socket, "close", { timeout: 5_000 });

      socket.send("before 1");
      socket.send("before 2");
      socket.send("__close__");
      const [reason, details] = await closed;

      assert.equal(reason, "transport close", `close details: ${details?.description ?? details}`);
      assert.deepEqual(messages, ["before 1", "before 2"]);
      const seen = await serverSideClose(sid);
      assert.equal(seen.reason, "ForcedClose", `server-side close: ${JSON.stringify(seen)}`);
    });

    it("server close: a message sent after the close command is not echoed", async () => {
      const socket = await openSocket(fixture, mode);
      const messages = [];
      socket.on("message", (data) => messages.push(data));
      const closed = nextEvent(socket, "close", { timeout: 5_000 });
      socket.send("__close__");
      socket.send("after");
      await closed;
      assert.deepEqual(messages, []);
    });

    it("opens a new session after the previous one closed", async () => {
      const first = await openSocket(fixture, mode);
      const firstSid = first.id;
      const closed = nextEvent(first, "close");
      first.close();
      await closed;

      const second = await openSocket(fixture, mode);
      assert.notEqual(second.id, firstSid);
      const echoes = collectEvents(second, "message", 1, { failOn: ["close"] });
      second.send("still works");
      assert.deepEqual(await echoes, ["still works"]);
    });
  });
}

describe("engine.io close while upgrading", { timeout: 15_000 }, () => {
  const mode = MODES.find((m) => m.upgrades);

  it("client close once the probe succeeded: the close waits for the upgrade, the server sees it", async () => {
    const socket = await openSocket(fixture, mode, { waitForUpgrade: false });
    const sid = socket.id;
    await nextEvent(socket, "upgrading", { failOn: ["upgradeError", "close"] });
    const closed = nextEvent(socket, "close");
    socket.close();
    const [reason] = await closed;
    assert.equal(reason, "forced close");
    const seen = await serverSideClose(sid);
    assert.equal(seen.reason, "TransportClose", `server-side close: ${JSON.stringify(seen)}`);
  });

  it('server close right after open, racing the probe: the client is told "transport close"', async (t) => {
    const socket = await openSocket(fixture, mode, { waitForUpgrade: false });
    const sid = socket.id;
    let upgraded = false;
    socket.on("upgrade", () => (upgraded = true));
    const closed = nextEvent(socket, "close", { timeout: 5_000 });
    socket.send("__close__");
    const [reason] = await closed;
    assert.equal(reason, "transport close");
    // Either order is correct: the close packet goes out on polling, or (like the reference server, which lets a
    // closing session finish its upgrade) on the new WebSocket right after the switch.
    t.diagnostic(upgraded ? "the upgrade completed before the close packet arrived" : "closed before the upgrade");
    const seen = await serverSideClose(sid);
    assert.equal(seen.reason, "ForcedClose", `server-side close: ${JSON.stringify(seen)}`);
  });
});
