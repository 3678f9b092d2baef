// Many messages: none lost, none reordered, in each mode and across the polling-to-WebSocket upgrade.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, bytesOf, closeAllSockets, openSocket } from "../lib/engine-client.mjs";
import { collectEvents, withTimeout } from "../lib/waiting.mjs";

const COUNT = 500;

let fixture;
before(async () => (fixture = await startFixture("engine.io")));
after(() => fixture?.stop());
afterEach(closeAllSockets);

/** Message i: mostly text, every 10th one binary (its index as 4 bytes), so both kinds share one sequence. */
function message(i) {
  if (i % 10 === 9) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(i);
    return bytes;
  }
  return `message ${i}`;
}

/** The index a received echo stands for, or a description of what arrived instead. */
function indexOf(data) {
  if (typeof data === "string") {
    const match = /^message (\d+)$/.exec(data);
    return match ? Number(match[1]) : `unexpected text ${JSON.stringify(data)}`;
  }
  const bytes = bytesOf(data);
  return bytes.length === 4 ? bytes.readUInt32BE(0) : `unexpected ${bytes.length}-byte binary`;
}

function assertInOrder(echoes, count) {
  const indices = echoes.map(indexOf);
  const firstWrong = indices.findIndex((index, position) => index !== position);
  assert.equal(firstWrong, -1, `echo ${firstWrong} is ${indices[firstWrong]} (echoes around it: ${indices.slice(Math.max(0, firstWrong - 3), firstWrong + 4).join(", ")})`);
  assert.equal(indices.length, count);
}

for (const mode of MODES) {
  describe(`engine.io message order (${mode.name})`, { timeout: 20_000 }, () => {
    it(`echoes ${COUNT} messages sent in one burst, in order`, async () => {
      const socket = await openSocket(fixture, mode);
      const echoes = collectEvents(socket, "message", COUNT, { timeout: 10_000, failOn: ["close"] });
      for (let i = 0; i < COUNT; i++) socket.send(message(i));
      assertInOrder(await echoes, COUNT);
    });

    it(`echoes ${COUNT} messages sent one event-loop turn apart, in order`, async () => {
      const socket = await openSocket(fixture, mode);
      const echoes = collectEvents(socket, "message", COUNT, { timeout: 10_000, failOn: ["close"] });
      for (let i = 0; i < COUNT; i++) {
        socket.send(message(i));
        // Each send then goes out on its own (one frame, or one small POST) rather than batched with the others.
        await new Promise(setImmediate);
      }
      assertInOrder(await echoes, COUNT);
    });
  });
}

describe("engine.io message order across the upgrade", { timeout: 20_000 }, () => {
  it("loses and reorders nothing sent before, during and after the upgrade", async (t) => {
    const mode = MODES.find((m) => m.upgrades);
    const socket = await openSocket(fixture, mode, { waitForUpgrade: false });

    // Where the stream stood when the client started upgrading and when it switched transports.
    let sent = 0;
    let sentAtUpgrading = -1;
    let sentAtUpgrade = -1;
    socket.on("upgrading", () => (sentAtUpgrading = sent));
    socket.on("upgrade", () => (sentAtUpgrade = sent));

    const echoes = [];
    socket.on("message", (data) => echoes.push(data));
    const closed = new Promise((_, reject) => socket.on("close", (reason) => reject(new Error(`closed: ${reason}`))));

    // A steady stream from the moment the socket opened (on polling), through the probe and the switch, until
    // enough has gone out over WebSocket too. A timer tick between bursts lets the upgrade make progress.
    const stream = (async () => {
      while (sent < COUNT || sentAtUpgrade < 0 || sent - sentAtUpgrade < 50) {
        for (let burst = 0; burst < 3; burst++) socket.send(message(sent++));
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (sent > 20 * COUNT) throw new Error(`no upgrade after ${sent} messages`);
      }
    })();
    await withTimeout(Promise.race([stream, closed]), 10_000, "the message stream to span the upgrade");
    assert.equal(socket.transport.name, "websocket");
    assert.ok(sentAtUpgrading > 0, `messages sent on polling before the upgrade started (${sentAtUpgrading})`);

    const total = sent;
    const allEchoed = new Promise((resolve) => {
      const check = () => {
        if (echoes.length < total) return;
        socket.off("message", check);
        resolve();
      };
      socket.on("message", check);
      check();
    });
    const progress = { toString: () => `${total} echoes (got ${echoes.length})` };
    await withTimeout(Promise.race([allEchoed, closed]), 10_000, progress);
    // Visible in the report: how the stream was split between the transports in this run.
    t.diagnostic(`sent ${sentAtUpgrading} before the probe succeeded, ${sentAtUpgrade - sentAtUpgrading} while upgrading, ${total - sentAtUpgrade} after`);
    assertInOrder(echoes, total);
  });
});
