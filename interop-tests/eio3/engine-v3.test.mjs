// Engine.IO protocol v3 against the engine.io echo fixture with --allow-eio3: engine.io-client 3.x in each transport
// mode, and raw polling requests framed by the reference v3 codec (engine.io-parser 2.x), both in the text form
// (b64=1, lengths in UTF-16 code units) and in the binary form that XHR2 clients use.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startFixture } from "../lib/fixture.mjs";
import { EngineSocketV3, MODES, parserV3 } from "../lib/v2-client.mjs";
import { collectEvents, nextEvent } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("engine.io", { args: ["--allow-eio3"] })));
after(() => fixture?.stop());

const openSockets = new Set();
afterEach(() => {
  for (const socket of openSockets) socket.close();
  openSockets.clear();
});

// Texts whose UTF-16 length differs from their UTF-8 length, and from their code point count.
const TEXTS = ["plain", "héllo wörld", "😀 emoji 👍🏽 and 中文", "4 starts like a packet", "x".repeat(70_000)];

for (const mode of MODES) {
  describe(`engine.io-client 3.x (${mode.name})`, { timeout: 15_000 }, () => {
    it("opens a session and echoes text and binary in order", async () => {
      const socket = new EngineSocketV3(fixture.url, { path: "/engine.io", ...mode.options });
      openSockets.add(socket);
      await nextEvent(socket, "open", { failOn: ["error", "close"] });
      if (mode.upgrades) await nextEvent(socket, "upgrade", { failOn: ["upgradeError", "close"] });

      const sent = [...TEXTS, Buffer.from([0, 1, 2, 255]), randomBytes(20_000), "last"];
      const echoes = collectEvents(socket, "message", sent.length, { failOn: ["close"] });
      for (const message of sent) socket.send(message);
      (await echoes).forEach((echo, i) => {
        if (typeof sent[i] === "string") assert.equal(echo, sent[i], `message ${i}`);
        else assert.deepEqual(Buffer.from(echo), sent[i], `message ${i}`);
      });
    });
  });
}

/** One raw polling session of protocol v3, framed by the reference codec. */
async function openRawSession(query) {
  const base = `${fixture.url}/engine.io/?EIO=3&transport=polling`;
  const handshake = await fetch(`${base}${query}`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(handshake.status, 200);
  const packets = decodeTextPayload(await handshake.text());
  assert.equal(packets[0].type, "open");
  const open = JSON.parse(packets[0].data);
  assert.deepEqual(Object.keys(open).sort(), ["pingInterval", "pingTimeout", "sid", "upgrades"]);
  return `${base}&sid=${open.sid}`;
}

function decodeTextPayload(text) {
  const packets = [];
  parserV3.decodePayload(text, (packet) => {
    assert.notEqual(packet.type, "error", `the reference decoder refused the payload ${JSON.stringify(text.slice(0, 80))}`);
    packets.push(packet);
  });
  return packets;
}

function decodeBinaryPayload(buffer) {
  const packets = [];
  parserV3.decodePayloadAsBinary(buffer, (packet) => {
    assert.notEqual(packet.type, "error", "the reference decoder refused the binary payload");
    packets.push(packet);
  });
  return packets;
}

const encodeTextPayload = (packets) => new Promise((resolve) => parserV3.encodePayload(packets, false, resolve));
const encodeBinaryPayload = (packets) => new Promise((resolve) => parserV3.encodePayloadAsBinary(packets, resolve));

async function post(url, body, contentType) {
  const response = await fetch(url, { method: "POST", body, headers: { "Content-Type": contentType }, signal: AbortSignal.timeout(5_000) });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "ok");
}

describe("protocol v3 polling payloads, framed by engine.io-parser 2.x", { timeout: 15_000 }, () => {
  const messages = () => [...TEXTS.map((data) => ({ type: "message", data })), { type: "message", data: Buffer.from([9, 8, 7]) }];

  it("text payloads (b64=1): lengths in UTF-16 code units, binary as b4 base64", async () => {
    const url = await openRawSession("&b64=1");
    await post(url, await encodeTextPayload(messages()), "text/plain;charset=UTF-8");

    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    assert.equal(response.headers.get("content-type"), "text/plain; charset=UTF-8");
    const text = await response.text();
    assert.ok(text.includes(":b4CQgH"), "the binary message as a b4 base64 record");
    const echoes = decodeTextPayload(text);
    assert.deepEqual(echoes.slice(0, TEXTS.length).map((p) => p.data), TEXTS);
    assert.deepEqual(Buffer.from(echoes[TEXTS.length].data), Buffer.from([9, 8, 7]));
  });

  it("binary payloads (XHR2 clients): sent and received as application/octet-stream", async () => {
    const url = await openRawSession("");
    await post(url, await encodeBinaryPayload(messages()), "application/octet-stream");

    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    assert.equal(response.headers.get("content-type"), "application/octet-stream");
    const echoes = decodeBinaryPayload(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual(echoes.slice(0, TEXTS.length).map((p) => p.data), TEXTS);
    assert.deepEqual(Buffer.from(echoes[TEXTS.length].data), Buffer.from([9, 8, 7]));
  });

  it("text-only answers stay text payloads for XHR2 clients", async () => {
    const url = await openRawSession("");
    await post(url, await encodeTextPayload([{ type: "message", data: "😀" }]), "text/plain;charset=UTF-8");
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    assert.equal(response.headers.get("content-type"), "text/plain; charset=UTF-8");
    assert.equal(await response.text(), "3:4😀");
  });

  it("refuses a payload whose length does not match with 400", async () => {
    const url = await openRawSession("&b64=1");
    // "😀" is two UTF-16 code units: a length of 2 ends in the middle of the character.
    const response = await fetch(url, { method: "POST", body: "2:4😀", signal: AbortSignal.timeout(5_000) });
    assert.equal(response.status, 400);
  });
});
