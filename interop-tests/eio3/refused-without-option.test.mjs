// Without --allow-eio3 (AllowEIO3 is off by default) a 2.x client cannot connect, and gets the reference's error.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, closeAllSockets, createSocket } from "../lib/v2-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("socket.io")));
after(() => fixture?.stop());
afterEach(closeAllSockets);

describe("a protocol v3 client without AllowEIO3", { timeout: 15_000 }, () => {
  it("gets 400 with code 5 to its handshake", async () => {
    const response = await fetch(`${fixture.url}/socket.io/?EIO=3&transport=polling`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { code: 5, message: "Unsupported protocol version" });
  });

  for (const mode of MODES.filter((m) => !m.upgrades)) {
    it(`fails to connect over ${mode.name} with connect_error`, async () => {
      const socket = createSocket(fixture, mode);
      await nextEvent(socket, "connect_error", { failOn: ["connect"] });
      assert.equal(socket.connected, false);
    });
  }
});
