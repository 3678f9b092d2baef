// Connection state recovery with socket.io-msgpack-parser against --parser msgpack: the offsets travel as msgpack
// strings. WebSocket and polling only (the upgrade adds nothing here).

import { after, afterEach, before, describe, it } from "node:test";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, disconnectAll } from "../lib/socketio-client.mjs";
import { keepsIdRoomsAndData, nothingMissedOrDuplicated } from "./scenarios/resume.mjs";

let fixture;
before(async () => (fixture = await startFixture("socket.io", { args: ["--recovery", "--parser", "msgpack"] })));
after(() => fixture?.stop());
afterEach(disconnectAll);

for (const mode of MODES.filter((m) => !m.upgrades)) {
  describe(`recovery with msgpack (${mode.name})`, { timeout: 30_000 }, () => {
    it("nothing broadcast while the connection was down is missed or received twice", (t) =>
      nothingMissedOrDuplicated(t, fixture, mode, { parser: "msgpack" }));

    it("a recovered socket keeps its id, rooms and data", () => keepsIdRoomsAndData(fixture, mode, { parser: "msgpack" }));
  });
}
