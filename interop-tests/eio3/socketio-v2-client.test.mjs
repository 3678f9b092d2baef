// socket.io-client 2.5.0 (Engine.IO v3, Socket.IO protocol v4) against the socket.io fixture with --allow-eio3:
// connection, events and acknowledgements both ways, binary both ways, namespaces, refusals, heartbeat.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, closeAllSockets, connect, createSocket, emitWithAck } from "../lib/v2-client.mjs";
import { collectEvents, nextEvent } from "../lib/waiting.mjs";

// The fixture's heartbeat (fixture-server/EngineSuite.cs).
const PING_INTERVAL_MS = 300;
const PING_TIMEOUT_MS = 200;

let fixture;
before(async () => (fixture = await startFixture("socket.io", { args: ["--allow-eio3"] })));
after(() => fixture?.stop());
afterEach(closeAllSockets);

for (const mode of MODES) {
  describe(`socket.io-client 2.x (${mode.name})`, { timeout: 20_000 }, () => {
    it("is joined to the main namespace without asking, under its engine id", async () => {
      const socket = await connect(fixture, mode);
      // A 2.x client works its socket id out itself; the server must use the same one.
      assert.equal(socket.id, socket.io.engine.id);
      const [auth] = await nextEvent(socket, "auth", { failOn: ["disconnect"] });
      assert.deepEqual(auth, {});
    });

    it("emits to the server and receives the server's emits", async () => {
      const socket = await connect(fixture, mode);
      const args = ["héllo wörld ✓ 中文 😀", 42, { nested: [true, null, "x"] }, "x".repeat(50_000)];
      const back = nextEvent(socket, "message-back", { failOn: ["disconnect"] });
      socket.emit("message", ...args);
      assert.deepEqual(await back, args);
    });

    it("gets acknowledgements from the server", async () => {
      const socket = await connect(fixture, mode);
      assert.deepEqual(await emitWithAck(socket, "message-with-ack", 1, "two", [3]), [1, "two", [3]]);
    });

    it("acknowledges the server's emits", async () => {
      const socket = await connect(fixture, mode);
      socket.on("question", (question, ack) => ack(`answer to ${question}`, 7));
      const answer = nextEvent(socket, "answer", { failOn: ["disconnect"] });
      socket.emit("ask", "life");
      assert.deepEqual(await answer, ["answer to life", 7]);
    });

    it("sends and receives binary, in events and in acknowledgements", async () => {
      const socket = await connect(fixture, mode);
      const small = Buffer.from([0, 1, 2, 127, 128, 254, 255]);
      const large = randomBytes(100_000);

      const back = nextEvent(socket, "message-back", { failOn: ["disconnect"] });
      socket.emit("message", small, { inner: large, text: "t" });
      const [echoedSmall, echoedObject] = await back;
      assert.deepEqual(Buffer.from(echoedSmall), small);
      assert.deepEqual(Buffer.from(echoedObject.inner), large);
      assert.equal(echoedObject.text, "t");

      const [acked] = await emitWithAck(socket, "message-with-ack", small);
      assert.deepEqual(Buffer.from(acked), small);

      socket.on("question", (question, ack) => ack(Buffer.from(question).reverse()));
      const answer = nextEvent(socket, "answer", { failOn: ["disconnect"] });
      socket.emit("ask", Buffer.from([1, 2, 3]));
      const [answered] = await answer;
      assert.deepEqual(Buffer.from(answered), Buffer.from([3, 2, 1]));
    });

    it("joins a custom namespace, its query becoming the handshake's auth", async () => {
      const socket = createSocket(fixture, mode, "/custom", { query: { token: "abc", emoji: "😀 &=" } });
      const auth = nextEvent(socket, "auth", { failOn: ["error", "connect_error", "disconnect"] });
      await nextEvent(socket, "connect", { failOn: ["error", "connect_error", "disconnect"] });
      assert.equal(socket.id, `/custom#${socket.io.engine.id}`);
      assert.deepEqual(await auth, [{ token: "abc", emoji: "😀 &=" }]);

      const back = nextEvent(socket, "message-back", { failOn: ["disconnect"] });
      socket.emit("message", "to custom");
      assert.deepEqual(await back, ["to custom"]);
      assert.deepEqual(await emitWithAck(socket, "message-with-ack", "custom ack"), ["custom ack"]);
    });

    it("is told with an error event when a middleware refuses it: the message, or the data when there is some", async () => {
      const noToken = createSocket(fixture, mode, "/guarded");
      assert.deepEqual(await nextEvent(noToken, "error", { failOn: ["connect", "connect_error"] }), ["no token"]);

      const wrongToken = createSocket(fixture, mode, "/guarded", { query: { token: "wrong" } });
      assert.deepEqual(await nextEvent(wrongToken, "error", { failOn: ["connect", "connect_error"] }), [
        { reason: "the token is wrong" },
      ]);

      const rightToken = createSocket(fixture, mode, "/guarded", { query: { token: "letmein" } });
      await nextEvent(rightToken, "connect", { failOn: ["error", "connect_error"] });
    });

    it("is told that an unknown namespace does not exist", async () => {
      const socket = createSocket(fixture, mode, "/nowhere");
      assert.deepEqual(await nextEvent(socket, "error", { failOn: ["connect", "connect_error"] }), [
        { message: "Invalid namespace" },
      ]);
    });

    it("keeps the connection alive with its own pings, answered by the server", async () => {
      const socket = await connect(fixture, mode);
      // With protocol v3 the client pings every pingInterval; a server that did not answer, or that expected
      // pings of its own to be answered, would drop the connection within pingInterval + pingTimeout.
      // Three pongs take longer than pingInterval + pingTimeout: the server must also have reset its own timeout.
      await collectEvents(socket, "pong", 3, { timeout: 4 * PING_INTERVAL_MS + 2_000, failOn: ["disconnect"] });
      assert.ok(3 * PING_INTERVAL_MS > PING_INTERVAL_MS + PING_TIMEOUT_MS);
      assert.ok(socket.connected, "still connected");
      assert.deepEqual(await emitWithAck(socket, "message-with-ack", "alive"), ["alive"]);
    });

    it("is disconnected when it leaves a namespace, and keeps the others", async () => {
      const main = await connect(fixture, mode);
      const custom = main.io.socket("/custom");
      await nextEvent(custom, "connect", { failOn: ["error", "disconnect"] });
      custom.close();
      assert.deepEqual(await emitWithAck(main, "message-with-ack", "main still here"), ["main still here"]);
    });
  });
}
