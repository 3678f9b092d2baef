// Binary attachments with socket.io-client, both ways, in each transport mode. Run by binary.test.mjs (JSON
// parser, where binary travels as attachments) and msgpack.test.mjs (where it is native msgpack bin).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { MODES, assertBytes, connect, request } from "../../lib/socketio-client.mjs";
import { nextEvent } from "../../lib/waiting.mjs";

/** Defines the scenarios; `server()` is the running fixture ("clients" suite) whose parser is `parser`. */
export function binaryScenarios(server, parser) {
  for (const mode of MODES) {
    describe(`socket.io-client binary, ${parser} parser (${mode.name})`, { timeout: 20_000 }, () => {
      it("sends a Buffer, an ArrayBuffer and a Uint8Array view, which come back byte for byte", async () => {
        const socket = await connect(server(), mode, { parser });
        const buffer = Buffer.from([0, 1, 127, 128, 255]);
        const arrayBuffer = Uint8Array.from([9, 8, 7]).buffer;
        const view = new Uint8Array(Uint8Array.from([1, 2, 3, 4, 5, 6]).buffer, 2, 3);
        const echoed = nextEvent(socket, "echo");
        socket.emit("echo", buffer, arrayBuffer, view, "text");
        const [a, b, c, text] = await echoed;
        assertBytes(a, buffer, "Buffer");
        assertBytes(b, [9, 8, 7], "ArrayBuffer");
        // notepack.io (under socket.io-msgpack-parser) encodes a typed array as its whole underlying ArrayBuffer
        // (msgpack ext 0), whatever the view's offset: the view's own bytes do not survive that parser, with any server.
        assertBytes(c, parser === "msgpack" ? [1, 2, 3, 4, 5, 6] : [3, 4, 5], "Uint8Array view");
        assert.equal(text, "text");
      });

      it("sends binary nested in objects and arrays, with several attachments in one event", async () => {
        const socket = await connect(server(), mode, { parser });
        const payload = {
          name: "files",
          files: [
            { id: 1, content: Buffer.from("first") },
            { id: 2, content: Buffer.from("second"), thumbnails: [Buffer.from([1]), Buffer.from([2, 2])] },
          ],
          empty: Buffer.alloc(0),
        };
        const answer = await request(socket, "echo-ack", payload);
        assert.equal(answer.name, "files");
        assertBytes(answer.files[0].content, Buffer.from("first"), "files[0].content");
        assertBytes(answer.files[1].content, Buffer.from("second"), "files[1].content");
        assertBytes(answer.files[1].thumbnails[0], [1], "thumbnails[0]");
        assertBytes(answer.files[1].thumbnails[1], [2, 2], "thumbnails[1]");
        assertBytes(answer.empty, [], "an empty buffer");
        assert.equal(answer.files[1].id, 2);
      });

      it("receives binary the server emits: a byte array, nested ones, and binary in an ack", async () => {
        const socket = await connect(server(), mode, { parser });
        const received = nextEvent(socket, "binary");
        const [ackBytes, ackObject] = await new Promise((resolve) => socket.emit("send-binary", (...args) => resolve(args)));
        const [all, nested, text] = await received;
        assertBytes(all, [...Array(256).keys()], "all byte values");
        assertBytes(nested.nested.bytes, [1, 2, 3], "nested.bytes");
        assertBytes(nested.nested.list[0], [4], "nested.list[0]");
        assert.equal(nested.nested.list[1], "text");
        assertBytes(nested.nested.list[2], [5, 6], "nested.list[2]");
        assert.equal(text, "not binary");
        assertBytes(ackBytes, [0xca, 0xfe], "binary ack argument");
        assertBytes(ackObject.inside, [0xbe, 0xef], "binary inside an ack argument");
      });

      it("answers the server's ack request with binary", async () => {
        const socket = await connect(server(), mode, { parser });
        socket.on("give-me-bytes", (callback) => callback(Buffer.from([42, 43]), { more: Buffer.from([44]) }));
        const result = await request(socket, "ask", { event: "give-me-bytes", args: [], timeoutMs: 5_000 });
        assert.equal(result.ok, true);
        assertBytes(result.answer[0], [42, 43], "first ack argument");
        assertBytes(result.answer[1].more, [44], "binary inside the second ack argument");
      });

      it("carries a large binary payload (512 KiB) both ways", async () => {
        const socket = await connect(server(), mode, { parser });
        const big = randomBytes(512 * 1024);
        const echoed = nextEvent(socket, "echo", { timeout: 10_000 });
        socket.emit("echo", big);
        const [back] = await echoed;
        assert.ok(Buffer.from(back).equals(big), "the same 512 KiB");
      });
    });
  }
}
