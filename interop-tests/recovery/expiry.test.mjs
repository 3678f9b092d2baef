// Connection state recovery with a short window (--recovery-window-ms): a client that comes back in time resumes its
// session, one that comes back too late gets a new one.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, disconnectAll, request } from "../lib/socketio-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";
import { receiveOneTick } from "./scenarios/resume.mjs";

// Wide enough for a quick reconnection on a busy machine, short enough to wait out.
const WINDOW_MS = 1_500;

let fixture;
before(async () => (fixture = await startFixture("socket.io", { args: ["--recovery-window-ms", String(WINDOW_MS)] })));
after(() => fixture?.stop());
afterEach(disconnectAll);

/** Connects, joins a room, gets an offset, has the fixture drop the connection, and waits for the reconnection after `delayMs`. */
async function reconnectAfter(delayMs) {
  const socket = await connect(fixture, MODES[0], {
    reconnection: true,
    reconnectionDelay: delayMs,
    reconnectionDelayMax: delayMs,
    randomizationFactor: 0,
  });
  await request(socket, "join", "club");
  await receiveOneTick(socket, "club");
  const id = socket.id;
  const reconnected = nextEvent(socket, "connect", { timeout: delayMs + 10_000 });
  socket.emit("drop");
  await reconnected;
  return { socket, id, state: await request(socket, "whoami") };
}

describe("recovery window", { timeout: 30_000 }, () => {
  it("a client back within the window resumes its session", async () => {
    const { socket, id, state } = await reconnectAfter(50);
    assert.equal(socket.recovered, true);
    assert.equal(socket.id, id);
    assert.ok(state.rooms.includes("club"));
  });

  it("a client back after the window gets a new session, without its rooms", async () => {
    const { socket, id, state } = await reconnectAfter(WINDOW_MS + 1_000);
    assert.equal(socket.recovered, false);
    assert.notEqual(socket.id, id);
    assert.deepEqual(state.rooms, [socket.id]);
  });
});
