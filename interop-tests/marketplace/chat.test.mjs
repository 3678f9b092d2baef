// Chat and presence between a buyer (on two connections) and a provider, with the real socket.io-client in each
// transport mode: conversations, messages to every connection, idempotent retries, batches, history pages,
// statuses, typing, activity and presence.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, record, request, startMarketplace } from "../lib/marketplace.mjs";
import { collectEvents, nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace()));
after(() => market?.stop());
afterEach(closeAllSockets);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let unique = 0;

/** A buyer and a provider (fresh ids), both connected, and a conversation between them created over REST. */
async function conversationBetween(mode) {
  const n = ++unique;
  const buyer = { id: `buyer-${n}`, name: `Buyer ${n}` };
  const provider = { id: `provider-${n}`, name: `Provider ${n}`, avatar: `https://example.test/p${n}.png` };
  buyer.token = market.token({ sub: buyer.id, name: buyer.name, role: "user" });
  provider.token = market.token({ sub: provider.id, name: provider.name, role: "provider", avatar: provider.avatar });
  buyer.socket = await connectUser(market, buyer.token, mode);
  provider.socket = await connectUser(market, provider.token, mode);
  const updates = [nextEvent(buyer.socket, "chat.conversation.update"), nextEvent(provider.socket, "chat.conversation.update")];
  const created = await market.api("POST", "/api/conversations", buyer.token, { participantIds: [provider.id] });
  assert.equal(created.status, 201);
  const [[forBuyer], [forProvider]] = await Promise.all(updates);
  return { buyer, provider, conversation: created.body, updates: { forBuyer, forProvider } };
}

function assertMessageShape(message) {
  assert.deepEqual(Object.keys(message).sort(), ["attachments", "content", "conversationId", "id", "sender", "status", "timestamp"]);
  assert.deepEqual(Object.keys(message.sender).sort(), ["avatar", "id", "name"]);
  assert.match(message.timestamp, ISO);
}

for (const mode of MODES) {
  describe(`marketplace chat (${mode.name})`, { timeout: 20_000 }, () => {
    it("creates a conversation over REST and tells every participant with chat.conversation.update 'new'", async () => {
      const { buyer, provider, conversation, updates } = await conversationBetween(mode);
      assert.match(conversation.id, /^conv_/);
      assert.equal(conversation.status, "active");
      const participants = [
        { id: buyer.id, name: buyer.name, avatar: null },
        { id: provider.id, name: provider.name, avatar: provider.avatar },
      ];
      assert.deepEqual(conversation.participants, participants);
      for (const update of [updates.forBuyer, updates.forProvider]) {
        assert.deepEqual(update, { conversationId: conversation.id, type: "new", participants });
      }
      const listed = await market.api("GET", "/api/conversations", provider.token);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.map((c) => c.id), [conversation.id]);
    });

    it("delivers chat.send to every connection of every participant, stored and acknowledged", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      const secondBuyerConnection = await connectUser(market, buyer.token, mode);
      const arrivals = [buyer.socket, secondBuyerConnection, provider.socket].map((s) => nextEvent(s, "chat.message"));
      const attachments = [{ type: "image", url: "https://example.test/i.png", name: "i.png", size: 1234 }];
      const answer = await request(buyer.socket, "chat.send", { conversationId: conversation.id, content: "Is it available?", attachments });

      assert.equal(answer.ok, true);
      const message = answer.message;
      assertMessageShape(message);
      assert.match(message.id, /^msg_/);
      assert.deepEqual(message.sender, { id: buyer.id, name: buyer.name, avatar: null });
      assert.equal(message.content, "Is it available?");
      assert.deepEqual(message.attachments, attachments);
      assert.equal(message.status, "sent");
      for (const [received] of await Promise.all(arrivals)) assert.deepEqual(received, message);
    });

    it("never stores a retried chat.send twice: the same clientMessageId answers with the first message", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      const seen = record(provider.socket);
      const payload = { conversationId: conversation.id, content: "only once", clientMessageId: `retry-${mode.name}` };
      const first = await request(buyer.socket, "chat.send", payload);
      const retry = await request(buyer.socket, "chat.send", payload);
      assert.equal(first.ok, true);
      assert.deepEqual(retry, first);

      // A later message arrives after anything the retry could have caused.
      const barrier = nextEvent(provider.socket, "chat.message", { timeout: 5_000 });
      await request(buyer.socket, "chat.send", { conversationId: conversation.id, content: "barrier" });
      await barrier;
      assert.deepEqual(seen.of("chat.message").map((m) => m.content), ["only once", "barrier"]);

      const history = await request(provider.socket, "chat.history", { conversationId: conversation.id });
      assert.deepEqual(history.messages.map((m) => m.content), ["barrier", "only once"]);
    });

    it("answers chat.batch with one result per item, in order, storing only the valid ones", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      const results = await request(buyer.socket, "chat.batch", [
        { conversationId: conversation.id, content: "first" },
        { conversationId: conversation.id, content: 42 },
        { conversationId: "conv_not_mine", content: "lost" },
        { conversationId: conversation.id, content: "second", clientMessageId: `batch-${mode.name}` },
      ]);
      assert.equal(results.length, 4);
      assert.equal(results[0].ok, true);
      assert.equal(results[0].message.content, "first");
      assert.deepEqual(results[1].ok, false);
      assert.equal(results[1].error.code, "INVALID_PAYLOAD");
      assert.match(results[1].error.message, /content must be a string/);
      assert.deepEqual(results[2], { ok: false, error: { code: "NOT_FOUND", message: "Conversation not found" } });
      assert.equal(results[3].message.content, "second");

      const history = await request(provider.socket, "chat.history", { conversationId: conversation.id });
      assert.deepEqual(history.messages.map((m) => m.content), ["second", "first"]);
    });

    it("pages chat.history newest first, with before as a message id or a timestamp", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      for (const content of ["m1", "m2", "m3", "m4", "m5"]) {
        const sent = await request(buyer.socket, "chat.send", { conversationId: conversation.id, content });
        assert.equal(sent.ok, true);
      }
      const page1 = await request(provider.socket, "chat.history", { conversationId: conversation.id, limit: 2 });
      assert.equal(page1.ok, true);
      assert.deepEqual(page1.messages.map((m) => m.content), ["m5", "m4"]);
      assert.equal(page1.hasMore, true);
      page1.messages.forEach(assertMessageShape);

      const page2 = await request(provider.socket, "chat.history", { conversationId: conversation.id, limit: 2, before: page1.messages[1].id });
      assert.deepEqual(page2.messages.map((m) => m.content), ["m3", "m2"]);
      assert.equal(page2.hasMore, true);

      const page3 = await request(provider.socket, "chat.history", { conversationId: conversation.id, limit: 2, before: page2.messages[1].id });
      assert.deepEqual(page3.messages.map((m) => m.content), ["m1"]);
      assert.equal(page3.hasMore, false);

      const byTime = await request(provider.socket, "chat.history", { conversationId: conversation.id, before: "2000-01-01T00:00:00.000Z" });
      assert.deepEqual(byTime, { ok: true, messages: [], hasMore: false });
    });

    it("refuses chat.history of a conversation the caller is not in", async () => {
      const { conversation } = await conversationBetween(mode);
      const stranger = await connectUser(market, market.token({ sub: `stranger-${mode.name}`, role: "user" }), mode);
      const answer = await request(stranger, "chat.history", { conversationId: conversation.id });
      assert.deepEqual(answer, { ok: false, error: { code: "NOT_FOUND", message: "Conversation not found" } });
    });

    it("reports chat failures without an ack as chat.error", async () => {
      const { buyer } = await conversationBetween(mode);
      const error = nextEvent(buyer.socket, "chat.error");
      buyer.socket.emit("chat.send", { conversationId: "conv_nope", content: "hello?" });
      const [event] = await error;
      assert.equal(event.code, "NOT_FOUND");
      assert.equal(event.conversationId, "conv_nope");
      assert.match(event.timestamp, ISO);
    });

    it("sends chat.status from a recipient to the sender, once per step forward", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      const sent = await request(buyer.socket, "chat.send", { conversationId: conversation.id, content: "read me" });
      const statuses = collectEvents(buyer.socket, "chat.status", 2);
      const ids = { messageId: sent.message.id, conversationId: conversation.id };
      assert.deepEqual(await request(provider.socket, "chat.status", { ...ids, status: "delivered" }), { ok: true });
      assert.deepEqual(await request(provider.socket, "chat.status", { ...ids, status: "read" }), { ok: true });
      // Going back from read to delivered is not a step forward: the sender hears nothing of it.
      assert.deepEqual(await request(provider.socket, "chat.status", { ...ids, status: "delivered" }), { ok: true });
      const received = await statuses;
      assert.deepEqual(received.map((s) => s.status), ["delivered", "read"]);
      for (const status of received) {
        assert.deepEqual(Object.keys(status).sort(), ["conversationId", "messageId", "status", "timestamp"]);
        assert.equal(status.messageId, sent.message.id);
        assert.match(status.timestamp, ISO);
      }
      const history = await request(buyer.socket, "chat.history", { conversationId: conversation.id });
      assert.equal(history.messages[0].status, "read");

      const own = await request(buyer.socket, "chat.status", { ...ids, status: "read" });
      assert.equal(own.error.code, "FORBIDDEN");
    });

    it("relays presence.typing and presence.activity to the other participants only", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      const buyerSeen = record(buyer.socket);
      const typing = nextEvent(provider.socket, "presence.typing");
      assert.deepEqual(await request(buyer.socket, "presence.typing", { conversationId: conversation.id, isTyping: true }), { ok: true });
      const [event] = await typing;
      assert.equal(event.userId, buyer.id);
      assert.equal(event.conversationId, conversation.id);
      assert.equal(event.isTyping, true);
      assert.match(event.timestamp, ISO);

      const activity = nextEvent(provider.socket, "presence.activity");
      await request(buyer.socket, "presence.activity", { activity: "messaging", metadata: { conversationId: conversation.id } });
      assert.deepEqual((await activity)[0], { userId: buyer.id, activity: "messaging", metadata: { conversationId: conversation.id } });

      const barrier = nextEvent(buyer.socket, "chat.message");
      await request(provider.socket, "chat.send", { conversationId: conversation.id, content: "barrier" });
      await barrier;
      assert.deepEqual(buyerSeen.of("presence.typing"), [], "the typist does not hear itself");
      assert.deepEqual(buyerSeen.of("presence.activity"), []);
    });

    it("announces presence: online on the first connection, away when set, offline with lastSeen after the last", async () => {
      const { buyer, provider } = await conversationBetween(mode);
      buyer.socket.disconnect();
      const offline = (await nextEvent(provider.socket, "presence.update"))[0];
      assert.equal(offline.userId, buyer.id);
      assert.equal(offline.status, "offline");
      assert.match(offline.lastSeen, ISO);

      const online = nextEvent(provider.socket, "presence.update");
      const first = await connectUser(market, buyer.token, mode);
      assert.deepEqual((await online)[0], { userId: buyer.id, status: "online" });

      const seen = record(provider.socket);
      const second = await connectUser(market, buyer.token, mode);
      const away = nextEvent(provider.socket, "presence.update");
      assert.deepEqual(await request(second, "presence.update", { status: "away" }), { ok: true });
      assert.deepEqual((await away)[0], { userId: buyer.id, status: "away" });

      second.disconnect();
      const last = nextEvent(provider.socket, "presence.update");
      first.disconnect();
      assert.equal((await last)[0].status, "offline");
      assert.deepEqual(seen.of("presence.update").map((p) => p.status), ["away", "offline"], "no offline while a connection remained");
    });

    it("archives and deletes a conversation with chat.conversation.update carrying the last message", async () => {
      const { buyer, provider, conversation } = await conversationBetween(mode);
      const sent = await request(buyer.socket, "chat.send", { conversationId: conversation.id, content: "last words" });
      const archived = nextEvent(provider.socket, "chat.conversation.update");
      const buyerUpdates = collectEvents(buyer.socket, "chat.conversation.update", 2);
      const archive = await market.api("POST", `/api/conversations/${conversation.id}/archive`, provider.token);
      assert.equal(archive.status, 200);
      assert.equal(archive.body.status, "archived");
      const [update] = await archived;
      assert.equal(update.type, "archived");
      assert.deepEqual(update.lastMessage, sent.message);

      assert.equal((await market.api("DELETE", `/api/conversations/${conversation.id}`, buyer.token)).status, 200);
      assert.deepEqual((await buyerUpdates).map((u) => u.type), ["archived", "deleted"]);
      const answer = await request(buyer.socket, "chat.send", { conversationId: conversation.id, content: "gone" });
      assert.equal(answer.error.code, "NOT_FOUND");
      assert.deepEqual((await market.api("GET", "/api/conversations", buyer.token)).body, []);
    });
  });
}
