// socket.io-client 2.5.0 (Engine.IO v3, Socket.IO protocol v4) against the clients fixture with --allow-eio3
// (fixture-server/ClientSuite.cs): connection, events and acknowledgements both ways, binary both ways, namespaces,
// refusals, heartbeat.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, closeAllSockets, connect, createSocket, emitWithAck } from "../lib/v2-client.mjs";
import { collectEvents, nextEvent } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients", { args: ["--allow-eio3"] })));
after(() => fixture?.stop());
afterEach(closeAllSockets);

for (const mode of MODES) {
  describe(`socket.io-client 2.x (${mode.name})`, { timeout: 20_000 }, () => {
    it("is joined to the main namespace without asking, under its engine id", async () => {
      const socket = await connect(fixture, mode);
      const [me] = await emitWithAck(socket, "whoami");
      // A 2.x client works its socket id out itself; the server must use the same one.
      assert.equal(socket.id, socket.io.engine.id);
      assert.equal(me.id, socket.id);
      assert.equal(me.nsp, "/");
      assert.deepEqual(me.auth, {});
      assert.equal(me.query.EIO, "3");
    });

    it("emits to the server and receives the server's emits", async () => {
      const socket = await connect(fixture, mode);
      const args = ["héllo wörld ✓ 中文 😀", 42, { nested: [true, null, "x"] }, "x".repeat(50_000)];
      const back = nextEvent(socket, "echo", { failOn: ["disconnect"] });
      socket.emit("echo", ...args);
      assert.deepEqual(await back, args);
    });

    it("gets acknowledgements from the server", async () => {
      const socket = await connect(fixture, mode);
      assert.deepEqual(await emitWithAck(socket, "echo-ack", 1, "two", [3]), [1, "two", [3]]);
    });

    it("acknowledges the server's emits", async () => {
      const socket = await connect(fixture, mode);
      socket.on("question", (question, ack) => ack(`answer to ${question}`, 7));
      const [result] = await emitWithAck(socket, "ask", { event: "question", args: ["life"], timeoutMs: 4_000 });
      assert.deepEqual(result, { ok: true, answer: ["answer to life", 7] });
    });

    it("sends and receives binary, in events and in acknowledgements", async () => {
      const socket = await connect(fixture, mode);
      const small = Buffer.from([0, 1, 2, 127, 128, 254, 255]);
      const large = randomBytes(100_000);

      const back = nextEvent(socket, "echo", { failOn: ["disconnect"] });
      socket.emit("echo", small, { inner: large, text: "t" });
      const [echoedSmall, echoedObject] = await back;
      assert.deepEqual(Buffer.from(echoedSmall), small);
      assert.deepEqual(Buffer.from(echoedObject.inner), large);
      assert.equal(echoedObject.text, "t");

      const [acked] = await emitWithAck(socket, "echo-ack", small);
      assert.deepEqual(Buffer.from(acked), small);

      const binary = nextEvent(socket, "binary", { failOn: ["disconnect"] });
      const [ackBytes, ackObject] = await emitWithAck(socket, "send-binary");
      const [all, nested, text] = await binary;
      assert.deepEqual(Buffer.from(all), Buffer.from([...Array(256).keys()]));
      assert.deepEqual(Buffer.from(nested.nested.bytes), Buffer.from([1, 2, 3]));
      assert.deepEqual(Buffer.from(nested.nested.list[2]), Buffer.from([5, 6]));
      assert.equal(text, "not binary");
      assert.deepEqual(Buffer.from(ackBytes), Buffer.from([0xca, 0xfe]));
      assert.deepEqual(Buffer.from(ackObject.inside), Buffer.from([0xbe, 0xef]));

      socket.on("reverse", (data, ack) => ack(Buffer.from(data).reverse()));
      const [result] = await emitWithAck(socket, "ask", { event: "reverse", args: [Buffer.from([1, 2, 3])], timeoutMs: 4_000 });
      assert.equal(result.ok, true);
      assert.deepEqual(Buffer.from(result.answer[0]), Buffer.from([3, 2, 1]));
    });

    it("joins a custom namespace, its query becoming the handshake's auth", async () => {
      const socket = await connect(fixture, mode, "/custom", { query: { token: "abc", emoji: "😀 &=" } });
      assert.equal(socket.id, `/custom#${socket.io.engine.id}`);
      const [me] = await emitWithAck(socket, "whoami");
      assert.equal(me.id, socket.id);
      assert.equal(me.nsp, "/custom");
      assert.deepEqual(me.auth, { token: "abc", emoji: "😀 &=" });
      assert.deepEqual(await emitWithAck(socket, "echo-ack", "custom ack"), ["custom ack"]);
    });

    it("is refused by a middleware with an error event carrying the refusal's data", async () => {
      const socket = createSocket(fixture, mode, "/custom", { query: { token: "refused" } });
      const [error] = await nextEvent(socket, "error", { failOn: ["connect", "connect_error"] });
      // A 2.x client gets the data alone when there is some (err.data || err.message in the reference).
      assert.deepEqual(error, { code: "E_REFUSED", detail: "the token is 'refused'" });
    });

    it("is told that an unknown namespace does not exist", async () => {
      const socket = createSocket(fixture, mode, "/nowhere");
      assert.deepEqual(await nextEvent(socket, "error", { failOn: ["connect", "connect_error"] }), [
        { message: "Invalid namespace" },
      ]);
    });

    it("leaves a namespace and keeps the others", async () => {
      const main = await connect(fixture, mode);
      const custom = main.io.socket("/custom");
      await nextEvent(custom, "connect", { failOn: ["error", "disconnect"] });
      custom.close();
      assert.deepEqual(await emitWithAck(main, "echo-ack", "main still here"), ["main still here"]);
    });
  });
}

describe("socket.io-client 2.x heartbeat (polling)", { timeout: 20_000 }, () => {
  // The clients fixture's heartbeat (fixture-server/ClientSuite.cs).
  const PING_INTERVAL_MS = 500;
  const PING_TIMEOUT_MS = 2_000;

  it("keeps the connection alive with its own pings, each answered and each renewing the server's deadline", async () => {
    const socket = await connect(fixture, MODES.find((m) => m.name === "polling"));
    // Six pongs take longer than pingInterval + pingTimeout: a server that answered the pings but did not count
    // them as signs of life would have closed the session in the meantime.
    const pongs = 6;
    assert.ok(pongs * PING_INTERVAL_MS > PING_INTERVAL_MS + PING_TIMEOUT_MS);
    await collectEvents(socket, "pong", pongs, { timeout: (pongs + 4) * PING_INTERVAL_MS, failOn: ["disconnect"] });
    assert.ok(socket.connected, "still connected");
    assert.deepEqual(await emitWithAck(socket, "echo-ack", "alive"), ["alive"]);
  });
});
