// Every incoming payload is validated: a schema violation or an oversized payload gets error INVALID_PAYLOAD
// (and an error ack when one was asked for), and nothing of it is processed or stored.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, record, request, startMarketplace } from "../lib/marketplace.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace({ "Limits:MaxPayloadBytes": 4096, "Limits:MaxBatchItems": 3 })));
after(() => market?.stop());
afterEach(closeAllSockets);

let unique = 0;

async function participant(mode) {
  const id = `checker-${++unique}`;
  const token = market.token({ sub: id, role: "user" });
  const socket = await connectUser(market, token, mode);
  const created = nextEvent(socket, "chat.conversation.update");
  const conversation = (await market.api("POST", "/api/conversations", token, { participantIds: [`${id}-peer`] })).body;
  await created;
  return { socket, conversation };
}

for (const mode of MODES) {
  describe(`marketplace payload validation (${mode.name})`, { timeout: 20_000 }, () => {
    it("refuses schema violations with INVALID_PAYLOAD naming the field, and stores nothing", async () => {
      const { socket, conversation } = await participant(mode);
      const c = conversation.id;
      const cases = [
        ["chat.send", undefined, /payload must be a JSON object/],
        ["chat.send", "hello", /payload must be a JSON object/],
        ["chat.send", { conversationId: c }, /content is required/],
        ["chat.send", { conversationId: c, content: 7 }, /content must be a string/],
        ["chat.send", { conversationId: c, content: "x".repeat(10_001) }, /content must be at most 10000 characters/],
        ["chat.send", { conversationId: c, content: "  " }, /must not be empty when there are no attachments/],
        ["chat.send", { conversationId: c, content: "x", attachments: [{ type: "video", url: "ftp://x" }] }, /attachments\[0\]\.type must be one of file, image; attachments\[0\]\.url must be an absolute http\(s\) URL/],
        ["chat.send", { conversationId: c, content: "x", clientMessageId: "" }, /clientMessageId must not be empty/],
        ["chat.history", { conversationId: c, limit: 0 }, /limit must be between 1 and 100/],
        ["chat.status", { messageId: "m", conversationId: c, status: "seen" }, /status must be one of delivered, read/],
        ["chat.batch", { conversationId: c, content: "x" }, /payload must be an array/],
        ["chat.batch", [1, 2, 3, 4], /between 1 and 3 messages/],
        ["presence.update", { status: "offline" }, /status must be one of away, online/],
        ["presence.typing", { conversationId: c }, /isTyping is required/],
        ["presence.activity", { activity: "dancing", metadata: [] }, /activity must be one of messaging, ordering, viewing; metadata must be a JSON object/],
        ["listing.subscribe", { listingId: 12 }, /listingId must be a string/],
        ["notification.read", {}, /id is required/],
        ["pong", { timestamp: "noon" }, /timestamp must be an ISO-8601 timestamp/],
      ];
      for (const [event, payload, message] of cases) {
        const error = nextEvent(socket, "error");
        const answer = payload === undefined ? await socket.timeout(5_000).emitWithAck(event) : await request(socket, event, payload);
        assert.equal(answer.ok, false, `${event} ${JSON.stringify(payload)?.slice(0, 60)}`);
        assert.equal(answer.error.code, "INVALID_PAYLOAD");
        assert.match(answer.error.message, message);
        const [event_] = await error;
        assert.deepEqual(event_, { code: "INVALID_PAYLOAD", message: answer.error.message });
      }
      const history = await request(socket, "chat.history", { conversationId: c });
      assert.deepEqual(history.messages, [], "nothing invalid was stored");
    });

    it("refuses a payload over the event's size limit before reading it", async () => {
      const { socket } = await participant(mode);
      const answer = await request(socket, "presence.update", { status: "away", padding: "x".repeat(5_000) });
      assert.equal(answer.error.code, "INVALID_PAYLOAD");
      assert.match(answer.error.message, /presence\.update payload is \d+ bytes; the limit is 4096/);
    });

    it("answers an invalid payload without an ack with the error event only", async () => {
      const { socket, conversation } = await participant(mode);
      const seen = record(socket);
      const error = nextEvent(socket, "error");
      socket.emit("chat.send", { conversationId: conversation.id });
      assert.equal((await error)[0].code, "INVALID_PAYLOAD");
      assert.equal((await request(socket, "health.check")).status, "ok");
      assert.deepEqual(seen.events.map((e) => e.event), ["error"], "no chat.message, no chat.error");
    });

    it("ignores unknown events and keeps serving the connection", async () => {
      const { socket } = await participant(mode);
      socket.emit("no.such.event", { anything: true });
      assert.equal((await request(socket, "health.check")).status, "ok");
    });
  });
}
