// Connection state recovery in the marketplace service: a participant whose connection drops for a moment comes
// back with the same socket and gets the chat messages sent meanwhile, with the real socket.io-client, which resumes
// by itself.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, request, startMarketplace } from "../lib/marketplace.mjs";
import { collectEvents, nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace()));
after(() => market?.stop());
afterEach(closeAllSockets);

let unique = 0;

for (const mode of MODES) {
  describe(`marketplace connection state recovery (${mode.name})`, { timeout: 20_000 }, () => {
    it("a dropped connection resumes with its socket id and receives the messages sent while it was away, in order", async () => {
      const n = ++unique;
      const buyer = { id: `rec-buyer-${n}`, token: market.token({ sub: `rec-buyer-${n}`, name: "Buyer", role: "user" }) };
      const provider = { id: `rec-provider-${n}`, token: market.token({ sub: `rec-provider-${n}`, name: "Provider", role: "provider" }) };
      buyer.socket = await connectUser(market, buyer.token, mode);
      // The provider's client reconnects by itself, after a fixed second: time for the messages below.
      provider.socket = await connectUser(market, provider.token, mode, {
        reconnection: true,
        reconnectionDelay: 1_000,
        randomizationFactor: 0,
      });
      // The provider must have received something before the drop: the client resumes from its last offset.
      const update = nextEvent(provider.socket, "chat.conversation.update");
      const created = await market.api("POST", "/api/conversations", buyer.token, { participantIds: [provider.id] });
      assert.equal(created.status, 201);
      await update;
      const firstId = provider.socket.id;

      const dropped = nextEvent(provider.socket, "disconnect");
      provider.socket.io.engine.close(); // the connection goes away without a Socket.IO disconnect
      await dropped;

      const missed = collectEvents(provider.socket, "chat.message", 3, { timeout: 10_000 });
      const sent = [];
      for (const content of ["one", "two"]) {
        const answer = await request(buyer.socket, "chat.send", { conversationId: created.body.id, content });
        assert.equal(answer.ok, true);
        sent.push(answer.message.id);
      }

      await nextEvent(provider.socket, "connect", { timeout: 10_000 });
      assert.equal(provider.socket.recovered, true, "the socket was recovered");
      assert.equal(provider.socket.id, firstId, "with its id");

      const after = await request(buyer.socket, "chat.send", { conversationId: created.body.id, content: "three" });
      sent.push(after.message.id);
      const received = await missed;
      assert.deepEqual(received.map((m) => m.content), ["one", "two", "three"], "missed messages first, then the new one");
      assert.deepEqual(received.map((m) => m.id), sent);
    });
  });
}
