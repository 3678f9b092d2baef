// Disconnections with socket.io-client, from either side, with the reasons both sides report, and the client's
// reconnection when the server drops the transport; in the three transport modes. The server's reasons are
// reported by the fixture to sockets of its /observer namespace.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, disconnectAll, request } from "../lib/socketio-client.mjs";
import { nextEvent, withTimeout } from "../lib/waiting.mjs";

let fixture;
let observer;
before(async () => {
  fixture = await startFixture("clients");
  observer = await connect(fixture, MODES[0], { nsp: "/observer", shared: true });
});
after(() => {
  observer?.disconnect();
  return fixture?.stop();
});
afterEach(disconnectAll);

/** Resolves with the reason the server gave for the disconnection of socket `id` of namespace `nsp`. */
function serverReasonFor(id, nsp = "/") {
  return withTimeout(
    new Promise((resolve) => {
      const listener = (report) => {
        if (report.id !== id || report.nsp !== nsp) return;
        observer.off("disconnected", listener);
        resolve(report.reason);
      };
      observer.on("disconnected", listener);
    }),
    5_000,
    `the server's disconnect report for ${id}`,
  );
}

for (const mode of MODES) {
  describe(`socket.io-client disconnect (${mode.name})`, { timeout: 20_000 }, () => {
    it("client socket.disconnect(): the server says 'client namespace disconnect'", async () => {
      const socket = await connect(fixture, mode);
      const serverReason = serverReasonFor(socket.id);
      const clientReason = nextEvent(socket, "disconnect");
      socket.disconnect();
      assert.equal((await clientReason)[0], "io client disconnect");
      assert.equal(await serverReason, "client namespace disconnect");
    });

    it("client closing the whole connection: the server says 'transport close'", async () => {
      const socket = await connect(fixture, mode);
      const serverReason = serverReasonFor(socket.id);
      socket.io.engine.close();
      assert.equal(await serverReason, "transport close");
    });

    it("server socket.Disconnect(): the client says 'io server disconnect' and does not reconnect", async () => {
      const socket = await connect(fixture, mode, { reconnection: true, reconnectionDelay: 50 });
      const serverReason = serverReasonFor(socket.id);
      const clientReason = nextEvent(socket, "disconnect");
      socket.emit("disconnect-me", { close: false });
      assert.equal((await clientReason)[0], "io server disconnect");
      assert.equal(await serverReason, "server namespace disconnect");
      assert.equal(socket.active, false, "a client disconnected by the server stays disconnected");
    });

    it("server socket.Disconnect(close: true) closes the connection and every namespace on it", async () => {
      const main = await connect(fixture, mode);
      const custom = main.io.socket("/custom");
      await nextEvent(custom, "connect", { failOn: ["connect_error"] });
      const reasons = [nextEvent(main, "disconnect"), nextEvent(custom, "disconnect")];
      const serverReasons = [serverReasonFor(main.id), serverReasonFor(custom.id, "/custom")];
      main.emit("disconnect-me", { close: true });
      const [[mainReason], [customReason]] = await Promise.all(reasons);
      assert.equal(mainReason, "io server disconnect");
      assert.equal(customReason, "io server disconnect");
      assert.deepEqual(await Promise.all(serverReasons), ["server namespace disconnect", "server namespace disconnect"]);
    });

    it("reconnects by itself when the server drops the transport, as a new socket that works", async () => {
      const socket = await connect(fixture, mode, { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
      const firstId = socket.id;
      const serverReason = serverReasonFor(firstId);
      const clientReason = nextEvent(socket, "disconnect");
      socket.emit("drop-transport");
      const [reason] = await clientReason;
      assert.equal(reason, "transport close");
      assert.equal(await serverReason, "forced close", "the server closed the session itself");
      await nextEvent(socket, "connect", { timeout: 5_000 });
      assert.notEqual(socket.id, firstId, "a new session (no connection state recovery here)");
      assert.ok(!socket.recovered, "not recovered");
      assert.equal((await request(socket, "echo-ack", "after reconnection")), "after reconnection");
    });
  });
}
