// Connection state recovery with the real socket.io-client (JSON parser), in the three transport modes.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, disconnectAll, request } from "../lib/socketio-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";
import { keepsIdRoomsAndData, nothingMissedOrDuplicated, receiveOneTick } from "./scenarios/resume.mjs";

let fixture;
before(async () => (fixture = await startFixture("socket.io", { args: ["--recovery"] })));
after(() => fixture?.stop());
afterEach(disconnectAll);

for (const mode of MODES) {
  describe(`recovery (${mode.name})`, { timeout: 30_000 }, () => {
    it("nothing broadcast while the connection was down is missed or received twice, and socket.recovered is true", (t) =>
      nothingMissedOrDuplicated(t, fixture, mode));

    it("a recovered socket keeps its id, rooms and data", () => keepsIdRoomsAndData(fixture, mode));
  });
}

describe("recovery after an explicit disconnect", { timeout: 15_000 }, () => {
  it("a client that disconnected on purpose gets a new session when it connects again", async () => {
    const socket = await connect(fixture, MODES[0]);
    await request(socket, "join", "club");
    await receiveOneTick(socket, "club");
    const id = socket.id;

    socket.disconnect();
    const reconnected = nextEvent(socket, "connect", { failOn: ["connect_error"] });
    socket.connect();
    await reconnected;

    assert.equal(socket.recovered, false);
    assert.notEqual(socket.id, id);
    assert.deepEqual((await request(socket, "whoami")).rooms, [socket.id]);
  });
});
