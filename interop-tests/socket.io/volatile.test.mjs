// Volatile events with socket.io-client: delivered when the transport can take them at once, dropped (not
// queued) when it cannot.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, disconnectAll, request } from "../lib/socketio-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients")));
after(() => fixture?.stop());
afterEach(disconnectAll);

/** Records the "volatile" events `socket` gets until the server's ack of a later request. */
async function volatileEventsUntilNextAck(socket, send) {
  const received = [];
  const listener = (...args) => received.push(args);
  socket.on("volatile", listener);
  try {
    await send();
    // The ack comes after anything the server emitted before it: what has not arrived by then was dropped.
    await request(socket, "echo-ack", "sync");
    return received;
  } finally {
    socket.off("volatile", listener);
  }
}

const [websocket, polling, upgrade] = MODES;

for (const mode of [websocket, upgrade]) {
  describe(`socket.io-client volatile (${mode.name})`, { timeout: 20_000 }, () => {
    it("delivers a volatile event when the WebSocket is idle", async () => {
      const socket = await connect(fixture, mode);
      const received = nextEvent(socket, "volatile");
      socket.emit("volatile", "hello", 1);
      assert.deepEqual(await received, ["hello", 1]);
    });

    it("delivers a volatile broadcast to an idle member", async () => {
      const socket = await connect(fixture, mode, { nsp: "/dynamic-77" });
      const received = nextEvent(socket, "news");
      await request(socket, "broadcast", { event: "news", args: ["volatile news"], volatile: true });
      assert.deepEqual(await received, ["volatile news"]);
    });
  });
}

describe(`socket.io-client volatile (${polling.name})`, { timeout: 20_000 }, () => {
  it("drops a volatile event emitted while the poll is taken by a regular one, and delivers the regular one", async () => {
    const socket = await connect(fixture, polling);
    const regular = nextEvent(socket, "regular");
    const volatiles = await volatileEventsUntilNextAck(socket, async () => {
      socket.emit("regular-then-volatile");
      assert.deepEqual(await regular, [1]);
    });
    assert.deepEqual(volatiles, [], "the volatile event was dropped, not delivered later");
  });
});
