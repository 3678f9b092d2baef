// Opening a session: the handshake values the real client sees, and the transport it ends up on.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Socket } from "engine.io-client";
import { startFixture } from "../lib/fixture.mjs";
import { MAX_PAYLOAD, MODES, PING_INTERVAL_MS, PING_TIMEOUT_MS, askSession, closeAllSockets, openSocket, waitForUpgraded } from "../lib/engine-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("engine.io")));
after(() => fixture?.stop());
afterEach(closeAllSockets);

for (const mode of MODES) {
  describe(`engine.io handshake (${mode.name})`, { timeout: 15_000 }, () => {
    it("opens with the server's sid, heartbeat settings and upgrades", async () => {
      const socket = new Socket(fixture.url, mode.options);
      try {
        const [handshake] = await nextEvent(socket, "handshake", { failOn: ["error", "close"] });
        assert.match(handshake.sid, /^[A-Za-z0-9_-]{20}$/);
        assert.equal(handshake.pingInterval, PING_INTERVAL_MS);
        assert.equal(handshake.pingTimeout, PING_TIMEOUT_MS);
        assert.equal(handshake.maxPayload, MAX_PAYLOAD);
        // A WebSocket session has nowhere to upgrade to; a polling one is offered WebSocket.
        assert.deepEqual(handshake.upgrades, mode.firstTransport === "websocket" ? [] : ["websocket"]);

        // "handshake" is emitted just before "open", synchronously: the socket is open by now.
        assert.equal(socket.readyState, "open");
        assert.equal(socket.id, handshake.sid);
        assert.equal(socket.transport.name, mode.firstTransport);
        // The client keeps the heartbeat settings in private fields; checked because its ping timeout relies on them.
        assert.equal(socket._pingInterval, PING_INTERVAL_MS);
        assert.equal(socket._pingTimeout, PING_TIMEOUT_MS);
      } finally {
        socket.close();
      }
    });

    it(`ends up on ${mode.upgrades ? "websocket after the upgrade" : mode.firstTransport}, on both sides`, async () => {
      const socket = await openSocket(fixture, mode, { waitForUpgrade: false });
      if (mode.upgrades) await waitForUpgraded(socket);
      const expected = mode.upgrades ? "websocket" : mode.firstTransport;
      assert.equal(socket.transport.name, expected);
      const seen = await askSession(fixture, socket.id);
      assert.deepEqual(seen, { sid: socket.id, state: "open", transport: expected });
    });

    it("gives every session its own sid", async () => {
      const sockets = await Promise.all([1, 2, 3].map(() => openSocket(fixture, mode)));
      assert.equal(new Set(sockets.map((s) => s.id)).size, 3);
    });
  });
}
