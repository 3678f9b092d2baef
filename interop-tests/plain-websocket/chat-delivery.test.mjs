// The chat delivery API at /ws?token=: plain WebSocket clients in the same conversations as socket.io-client users.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, request, startMarketplace } from "../lib/marketplace.mjs";
import { closeAllPlainClients, plainClient } from "../lib/plain-websocket.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace({
  "PlainApis:Chat:MaxMessagesPerWindow": 5,
  "PlainApis:Chat:MaxQueuedPerClient": 3,
})));
after(() => market?.stop());
afterEach(closeAllSockets);
afterEach(closeAllPlainClients);

let unique = 0;
const chatClient = (token) => plainClient(market, "/ws", { token, header: false });

/** Two users with a conversation. */
async function pair() {
  const n = ++unique;
  const a = { id: `chat-a-${n}` };
  const b = { id: `chat-b-${n}` };
  a.token = market.token({ sub: a.id, name: a.id, role: "user" });
  b.token = market.token({ sub: b.id, name: b.id, role: "provider" });
  const created = await market.api("POST", "/api/conversations", a.token, { participantIds: [b.id] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { a, b, conversation: created.body.id };
}

describe("chat delivery API (plain WebSocket)", { timeout: 30_000 }, () => {
  it("refuses a client without a token (4000) or with a bad one (4001), and reports its health", async () => {
    assert.equal((await plainClient(market, "/ws").closed()).code, 4000);
    assert.equal((await chatClient("bad").closed()).code, 4001);
    const health = await market.api("GET", "/ws/health");
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
    assert.equal(typeof health.body.active_connections, "number");
    assert.equal(typeof health.body.uptime_seconds, "number");
  });

  for (const mode of MODES) {
    it(`a plain client and a socket.io client talk in one conversation (${mode.name})`, async () => {
      const { a, b, conversation } = await pair();
      const plain = chatClient(a.token);
      await plain.opened;
      const socket = await connectUser(market, b.token, mode);

      const heard = nextEvent(socket, "chat.message");
      plain.sendJson({ type: "message", id: "m1", data: { conversation_id: conversation, content: "hello from ws", client_message_id: "c1" } });
      const answer = await plain.nextOfType("message");
      // The sender's own connections get the message too; the answer to its request carries its id.
      const reply = answer.id === "m1" ? answer : await plain.nextOfType("message");
      assert.equal(reply.data.ok, true, JSON.stringify(reply));
      const [message] = await heard;
      assert.equal(message.content, "hello from ws");
      assert.equal(message.sender.id, a.id);

      const sent = await request(socket, "chat.send", { conversationId: conversation, content: "hello from socket.io" });
      assert.equal(sent.ok, true, JSON.stringify(sent));
      const delivered = await (async () => {
        for (;;) {
          const m = await plain.nextOfType("message");
          if (m.data.content === "hello from socket.io") return m;
        }
      })();
      assert.deepEqual(Object.keys(delivered.data).sort(), ["content", "conversation_id", "id", "sender_id", "sender_name", "timestamp"]);
      assert.equal(delivered.data.sender_id, b.id);
      assert.equal(delivered.data.conversation_id, conversation);
    });
  }

  it("queues messages for an offline client (up to the limit), delivers them in order on connect, and again until acknowledged", async () => {
    const { a, b, conversation } = await pair();
    const socket = await connectUser(market, b.token, MODES[0]);
    // A client of this API once, then offline.
    let plain = chatClient(a.token);
    await plain.opened;
    plain.close();
    await plain.closed();
    for (const n of [1, 2, 3, 4]) {
      const sent = await request(socket, "chat.send", { conversationId: conversation, content: `offline ${n}` });
      assert.equal(sent.ok, true);
    }
    plain = chatClient(a.token);
    await plain.opened;
    const first = [await plain.next(), await plain.next(), await plain.next()];
    assert.deepEqual(first.map((m) => m.data.content), ["offline 2", "offline 3", "offline 4"], "the oldest beyond the queue limit (3 here) was dropped");
    plain.sendJson({ type: "ack", id: "a1", data: { message_id: first[0].data.id } });
    assert.deepEqual((await plain.nextOfType("ack")).data, { ok: true });
    plain.close();
    await plain.closed();

    plain = chatClient(a.token);
    await plain.opened;
    const again = [await plain.next(), await plain.next()];
    assert.deepEqual(again.map((m) => m.data.content), ["offline 3", "offline 4"], "unacknowledged messages come again");
  });

  it("tells room members of joins, leaves and status, and refuses rooms of other people", async () => {
    const { a, b, conversation } = await pair();
    const pa = chatClient(a.token);
    const pb = chatClient(b.token);
    await Promise.all([pa.opened, pb.opened]);
    pa.sendJson({ type: "join_room", id: "j", data: { room_id: conversation } });
    assert.equal((await pa.nextOfType("join_room")).data.ok, true);
    pb.sendJson({ type: "join_room", id: "j", data: { room_id: conversation } });
    const joined = await pa.nextOfType("room_update");
    assert.deepEqual(joined.data, { room_id: conversation, event: "client_joined", client_id: b.id });
    const online = await pa.nextOfType("client_status");
    assert.equal(online.data.status, "online");
    pb.close();
    const left = await pa.nextOfType("room_update");
    assert.deepEqual(left.data, { room_id: conversation, event: "client_left", client_id: b.id });
    const offline = await pa.nextOfType("client_status");
    assert.equal(offline.data.client_id, b.id);
    assert.equal(offline.data.status, "offline");
    assert.match(offline.data.last_seen, /^\d{4}-\d\d-\d\dT/);

    const stranger = chatClient(market.token({ sub: `stranger-${unique}`, role: "user" }));
    await stranger.opened;
    stranger.sendJson({ type: "join_room", id: "x", data: { room_id: conversation } });
    const refused = await stranger.nextOfType("join_room");
    assert.equal(refused.data.ok, false);
    assert.equal(refused.data.error.code, "NOT_FOUND");
  });

  it("answers past the message rate with an error carrying retry_after, without closing", async () => {
    const { a, conversation } = await pair();
    const plain = chatClient(a.token);
    await plain.opened;
    for (let i = 0; i < 6; i++) plain.sendJson({ type: "message", data: { conversation_id: conversation, content: `m${i}` } });
    const error = await plain.nextOfType("error");
    assert.equal(error.data.code, "RATE_LIMIT");
    assert.ok(error.data.retry_after >= 1, JSON.stringify(error));
    plain.sendJson({ type: "ping" });
    assert.equal((await plain.nextOfType("pong")).type, "pong");
  });
});
