// Events and acknowledgements with socket.io-client, both ways, in each transport mode. Run by events.test.mjs
// (JSON parser) and msgpack.test.mjs.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, connect, request } from "../../lib/socketio-client.mjs";
import { collectEvents, nextEvent } from "../../lib/waiting.mjs";

/** Defines the scenarios; `server()` is the running fixture ("clients" suite) whose parser is `parser`. */
export function eventScenarios(server, parser) {
  for (const mode of MODES) {
    describe(`socket.io-client events, ${parser} parser (${mode.name})`, { timeout: 20_000 }, () => {
      it("emits events the server receives, with every JSON type, and receives the server's", async () => {
        const socket = await connect(server(), mode, { parser });
        const args = ["text é 😀", 42, -1.5, true, false, null, [1, [2, { three: 3 }]], { a: { b: ["c"] }, empty: {} }, ""];
        const echoed = nextEvent(socket, "echo");
        socket.emit("echo", ...args);
        assert.deepEqual(await echoed, args);
      });

      it("keeps the order of many events in both directions", async () => {
        const socket = await connect(server(), mode, { parser });
        const count = 200;
        const echoes = collectEvents(socket, "echo", count, { failOn: ["disconnect"] });
        for (let i = 0; i < count; i++) socket.emit("echo", i);
        assert.deepEqual(await echoes, [...Array(count).keys()]);
      });

      it("gets the server's acknowledgement with its arguments", async () => {
        const socket = await connect(server(), mode, { parser });
        const answer = await new Promise((resolve) => socket.emit("echo-ack", "one", { two: 2 }, (...ackArgs) => resolve(ackArgs)));
        assert.deepEqual(answer, ["one", { two: 2 }]);
        assert.deepEqual(await request(socket, "echo-ack", [3]), [3], "emitWithAck resolves with the first argument");
      });

      it("answers the server's emit with an ack (server-side EmitWithAckAsync)", async () => {
        const socket = await connect(server(), mode, { parser });
        socket.on("question", (x, y, callback) => callback({ sum: x + y }, "and more"));
        const result = await request(socket, "ask", { event: "question", args: [2, 3], timeoutMs: 5_000 });
        assert.deepEqual(result, { ok: true, answer: [{ sum: 5 }, "and more"] });
      });

      it("lets the server's EmitWithAckAsync time out when the client does not answer", async () => {
        const socket = await connect(server(), mode, { parser });
        socket.on("silence", () => {}); // receives it, never calls back
        const result = await request(socket, "ask", { event: "silence", args: [], timeoutMs: 150 });
        assert.equal(result.ok, false);
        assert.match(result.error, /time/i);
      });

      it("times out emitWithAck on the client when the server never acknowledges", async () => {
        const socket = await connect(server(), mode, { parser });
        await assert.rejects(socket.timeout(150).emitWithAck("no-such-command", 1), /operation has timed out/);
        // The connection is unaffected.
        assert.deepEqual(await request(socket, "echo-ack", "still here"), "still here");
      });
    });
  }
}
