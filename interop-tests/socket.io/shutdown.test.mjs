// The server stopping (SIGTERM: the host's graceful shutdown) as socket.io-client sees it, in the three transport
// modes: every event the server emitted before arrives, in order, then the connection closes as the reference
// server's close() leaves it: the client reports "transport close" (so that it would reconnect, to another node),
// not a transport error or a ping timeout; and the server process exits well within its 5 s shutdown timeout.

import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, disconnectAll, request } from "../lib/socketio-client.mjs";
import { collectEvents, nextEvent, withTimeout } from "../lib/waiting.mjs";

afterEach(disconnectAll);

const COUNT = 50;

for (const mode of MODES) {
  describe(`socket.io-client and the server shutting down (${mode.name})`, { timeout: 60_000 }, () => {
    it("gets every event emitted before, then 'transport close'", async () => {
      const fixture = await startFixture("clients");
      let stopped;
      try {
        const socket = await connect(fixture, mode);
        const events = collectEvents(socket, "echo", COUNT, { failOn: ["disconnect"] });
        for (let i = 0; i < COUNT; i++) socket.emit("echo", i);
        // Its acknowledgement comes after the server has sent every echo before it.
        assert.deepEqual(await request(socket, "echo-ack", "last"), "last");
        const disconnected = nextEvent(socket, "disconnect", { timeout: 10_000 });

        const started = Date.now();
        stopped = fixture.stop();
        assert.deepEqual(await events, Array.from({ length: COUNT }, (_, i) => i));
        const [reason] = await disconnected;
        assert.equal(reason, "transport close");
        await withTimeout(stopped, 10_000, "the fixture server's exit");
        assert.ok(Date.now() - started < 5_000, `the server took ${Date.now() - started} ms to stop`);
      } finally {
        await (stopped ?? fixture.stop());
      }
    });
  });
}
