// socket.io-client with socket.io-msgpack-parser against the server's msgpack parser (`--parser msgpack`):
// events, acks, binary, namespaces and rooms, in each transport mode.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, createSocket, disconnectAll, request } from "../lib/socketio-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";
import { binaryScenarios } from "./scenarios/binary.mjs";
import { eventScenarios } from "./scenarios/events.mjs";
import { roomScenarios } from "./scenarios/rooms.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients", { args: ["--parser", "msgpack"] })));
after(() => fixture?.stop());
afterEach(disconnectAll);

const server = () => fixture;
eventScenarios(server, "msgpack");
binaryScenarios(server, "msgpack");
roomScenarios(server, "msgpack");

for (const mode of MODES) {
  describe(`socket.io-client namespaces, msgpack parser (${mode.name})`, { timeout: 20_000 }, () => {
    it("connects to a custom namespace with an auth payload", async () => {
      const socket = await connect(fixture, mode, { parser: "msgpack", nsp: "/custom", auth: { token: "t", n: 1 } });
      const me = await request(socket, "whoami");
      assert.deepEqual([me.nsp, me.id, me.auth], ["/custom", socket.id, { token: "t", n: 1 }]);
    });

    it("gets a refusal's message and data", async () => {
      const socket = createSocket(fixture, mode, { parser: "msgpack", auth: { token: "refused" } });
      const [error] = await nextEvent(socket, "connect_error", { failOn: ["connect"] });
      assert.equal(error.message, "refused by the fixture");
      assert.deepEqual(error.data, { code: "E_REFUSED", detail: "the token is 'refused'" });
    });

    it("is refused by a server speaking JSON: the parsers do not mix", async () => {
      const jsonFixture = await startFixture("clients");
      try {
        const socket = createSocket(jsonFixture, mode, { parser: "msgpack" });
        await assert.rejects(nextEvent(socket, "connect", { timeout: 1_500, failOn: ["connect_error"] }));
      } finally {
        await jsonFixture.stop();
      }
    });
  });
}
