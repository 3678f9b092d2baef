// Connecting with socket.io-client: auth and query, namespaces (custom, dynamic, several on one connection),
// refusals, each in the three transport modes.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Manager } from "socket.io-client";
import { startFixture } from "../lib/fixture.mjs";
import { MODES, connect, createSocket, disconnectAll, request } from "../lib/socketio-client.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients")));
after(() => fixture?.stop());
afterEach(disconnectAll);

for (const mode of MODES) {
  describe(`socket.io-client connect (${mode.name})`, { timeout: 20_000 }, () => {
    it("connects to the main namespace with an auth payload and a query, which the server sees", async () => {
      const auth = { token: "abc", nested: { n: 1, list: [true, null] } };
      const socket = await connect(fixture, mode, { auth, query: { room: "lobby", lang: "fr" } });
      const me = await request(socket, "whoami");
      assert.equal(me.id, socket.id, "the socket id the client got in the CONNECT reply");
      assert.equal(me.nsp, "/");
      assert.deepEqual(me.auth, auth);
      assert.equal(me.query.room, "lobby");
      assert.equal(me.query.lang, "fr");
      assert.equal(me.query.EIO, "4");
      assert.equal(me.transport, mode.upgrades ? "websocket" : mode.firstTransport);
    });

    it("connects to a custom namespace", async () => {
      const socket = await connect(fixture, mode, { nsp: "/custom" });
      const me = await request(socket, "whoami");
      assert.equal(me.nsp, "/custom");
      assert.equal(me.id, socket.id);
    });

    it("connects to dynamic namespaces that match the server's pattern, each its own namespace", async () => {
      const first = await connect(fixture, mode, { nsp: "/dynamic-1" });
      const second = await connect(fixture, mode, { nsp: "/dynamic-22" });
      assert.equal((await request(first, "whoami")).nsp, "/dynamic-1");
      assert.equal((await request(second, "whoami")).nsp, "/dynamic-22");
    });

    it("joins several namespaces over one connection (multiplexing)", async () => {
      const manager = new Manager(fixture.url, { ...mode.options, reconnection: false });
      try {
        const main = manager.socket("/");
        const custom = manager.socket("/custom", { auth: { who: "custom" } });
        await Promise.all([
          nextEvent(main, "connect", { failOn: ["connect_error"] }),
          nextEvent(custom, "connect", { failOn: ["connect_error"] }),
        ]);
        const [a, b] = await Promise.all([request(main, "whoami"), request(custom, "whoami")]);
        assert.equal(a.nsp, "/");
        assert.equal(b.nsp, "/custom");
        assert.deepEqual(b.auth, { who: "custom" });
        assert.notEqual(a.id, b.id, "one socket id per namespace");
        // Leaving one namespace leaves the other connected.
        custom.disconnect();
        assert.equal((await request(main, "whoami")).nsp, "/");
      } finally {
        manager.engine?.close();
      }
    });

    it("gets 'Invalid namespace' for a namespace the server does not have", async () => {
      const socket = createSocket(fixture, mode, { nsp: "/nowhere" });
      const [error] = await nextEvent(socket, "connect_error", { failOn: ["connect"] });
      assert.equal(error.message, "Invalid namespace");
      assert.equal(socket.connected, false);
    });

    it("gets the middleware's refusal with its message and data in connect_error", async () => {
      const socket = createSocket(fixture, mode, { auth: { token: "refused" } });
      const [error] = await nextEvent(socket, "connect_error", { failOn: ["connect"] });
      assert.equal(error.message, "refused by the fixture");
      assert.deepEqual(error.data, { code: "E_REFUSED", detail: "the token is 'refused'" });
      assert.equal(socket.connected, false);
      // The same client connects once it presents another token.
      socket.auth = { token: "fine" };
      socket.connect();
      await nextEvent(socket, "connect", { failOn: ["connect_error"] });
      assert.equal((await request(socket, "whoami")).auth.token, "fine");
    });
  });
}
