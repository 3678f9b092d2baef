// Messages through the echo fixture: text and binary, every binary form the client accepts, both ways.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, bytesOf, closeAllSockets, openSocket } from "../lib/engine-client.mjs";
import { collectEvents } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("engine.io")));
after(() => fixture?.stop());
afterEach(closeAllSockets);

/** Sends `messages` and resolves with the echoes, in the order they arrived. */
async function echo(socket, messages) {
  const echoes = collectEvents(socket, "message", messages.length, { failOn: ["close"] });
  for (const message of messages) socket.send(message);
  return echoes;
}

/** deepEqual, without dumping 100 kB strings into the report when it fails. */
function assertSameTexts(actual, expected) {
  assert.equal(actual.length, expected.length, "number of messages");
  actual.forEach((text, i) => {
    if (text === expected[i]) return;
    const shorten = (s) => (typeof s === "string" && s.length > 80 ? `${s.slice(0, 80)}… (${s.length} chars)` : s);
    assert.fail(`message ${i}: got ${JSON.stringify(shorten(text))}, expected ${JSON.stringify(shorten(expected[i]))}`);
  });
}

for (const mode of MODES) {
  describe(`engine.io echo (${mode.name})`, { timeout: 15_000 }, () => {
    it("echoes text, including empty, non-ASCII and large strings", async () => {
      const socket = await openSocket(fixture, mode);
      const texts = [
        "hello",
        "",
        "héllo wörld ✓ 中文 😀 \u0000 \n\t",
        '{"json":["looking",1,true]}',
        "4starts with a packet-type digit",
        "x".repeat(100_000),
      ];
      const echoes = await echo(socket, texts);
      // engine.io-parser (client side) decodes the packet "4" to a message without data: "" comes back undefined,
      // as it does from the reference server.
      assert.equal(echoes[1], undefined, "the empty message");
      echoes[1] = "";
      assertSameTexts(echoes, texts);
    });

    it("echoes binary sent as Buffer, Uint8Array (also a view at an offset) and ArrayBuffer", async () => {
      const socket = await openSocket(fixture, mode);
      const backing = Uint8Array.from([9, 9, 9, 1, 2, 3, 4, 5, 9, 9]);
      const sent = [
        Buffer.from([0, 1, 2, 127, 128, 254, 255]),
        Uint8Array.from([10, 20, 30]),
        new Uint8Array(backing.buffer, 3, 5),
        Uint8Array.from([0xde, 0xad, 0xbe, 0xef]).buffer,
        randomBytes(64 * 1024),
      ];
      const echoes = await echo(socket, sent);
      // In Node the client's default binaryType is "nodebuffer": every binary message arrives as a Buffer.
      echoes.forEach((data, i) => {
        assert.ok(Buffer.isBuffer(data), `echo ${i} is a Buffer`);
        assert.deepEqual(bytesOf(data), bytesOf(sent[i]), `bytes of echo ${i}`);
      });
    });

    it("echoes an empty binary message", async () => {
      const socket = await openSocket(fixture, mode);
      const [data] = await echo(socket, [new Uint8Array(0)]);
      assert.equal(bytesOf(data).length, 0);
    });

    it('delivers binary as ArrayBuffer when binaryType is "arraybuffer"', async () => {
      const socket = await openSocket(fixture, mode);
      socket.binaryType = "arraybuffer";
      const sent = randomBytes(1000);
      const [data] = await echo(socket, [sent]);
      assert.ok(data instanceof ArrayBuffer, "an ArrayBuffer");
      assert.deepEqual(bytesOf(data), sent);
    });

    it("keeps text and binary interleaved in order", async () => {
      const socket = await openSocket(fixture, mode);
      const sent = ["a", Buffer.from([1]), "b", Buffer.from([2, 2]), Buffer.from([3, 3, 3]), "c"];
      const echoes = await echo(socket, sent);
      echoes.forEach((data, i) => {
        if (typeof sent[i] === "string") assert.equal(data, sent[i], `echo ${i}`);
        else assert.deepEqual(bytesOf(data), sent[i], `echo ${i}`);
      });
    });
  });
}
