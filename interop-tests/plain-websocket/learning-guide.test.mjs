// The learning guide's sockets (/api/chat/ws, /api/analytics/ws, /api/collaboration/ws): plain WebSocket clients,
// and socket.io-client users in the same conversations and sessions.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { MODES, closeAllSockets, connectUser, request, startMarketplace } from "../lib/marketplace.mjs";
import { closeAllPlainClients, plainClient } from "../lib/plain-websocket.mjs";
import { nextEvent, withTimeout } from "../lib/waiting.mjs";

let market;
// Every test here connects from 127.0.0.1: the per-IP limit is raised, and tested on a service of its own below.
before(async () => (market = await startMarketplace({
  "PlainApis:LearningGuide:MetricInterval": "00:00:00.200",
  "PlainApis:LearningGuide:MaxConnectionsPerWindow": 1000,
})));
after(() => market?.stop());
afterEach(closeAllSockets);
afterEach(closeAllPlainClients);
const ioSockets = [];
afterEach(() => ioSockets.splice(0).forEach((s) => s.close()));

let unique = 0;
function user(role = "user") {
  const id = `learner-${++unique}`;
  return { id, token: market.token({ sub: id, name: id, role }) };
}

/** Applies broadcast edits in version order to a local copy, as a client of the older API does. */
function applyAll(edits) {
  let text = "";
  for (const edit of [...edits].sort((a, b) => a.version - b.version)) {
    text = edit.operation === "insert"
      ? text.slice(0, edit.position) + edit.content + text.slice(edit.position)
      : text.slice(0, edit.position) + text.slice(edit.position + edit.content.length);
  }
  return text;
}

describe("learning-guide sockets (plain WebSocket)", { timeout: 30_000 }, () => {
  for (const mode of MODES) {
    it(`chat: a plain client and a socket.io user talk in one conversation (${mode.name})`, async () => {
      const a = user();
      const b = user("provider");
      const conversation = (await market.api("POST", "/api/conversations", a.token, { participantIds: [b.id] })).body.id;
      const plain = plainClient(market, "/api/chat/ws", { query: `token=${a.token}&contextId=${conversation}` });
      await plain.opened;
      const socket = await connectUser(market, b.token, mode);

      // A second plain client authenticates with a first message and joins: the first one hears of it.
      const other = plainClient(market, "/api/chat/ws");
      await other.opened;
      other.sendJson({ type: "auth", token: b.token, contextId: conversation });
      assert.equal((await other.nextOfType("authenticated")).data.userId, b.id);
      assert.equal((await plain.nextOfType("user_joined")).data.userId, b.id);
      other.sendJson({ type: "typing", data: { isTyping: true } });
      assert.deepEqual((await plain.nextOfType("typing")).data, { userId: b.id, isTyping: true });

      const heard = nextEvent(socket, "chat.message");
      plain.sendJson({ type: "message", id: 1, data: { content: "hi from the guide" } });
      assert.equal((await heard)[0].content, "hi from the guide");
      // The answer to the request (the broadcast of the same message may come first).
      for (;;) {
        const m = await plain.nextOfType("message");
        if (m.id === 1) {
          assert.equal(m.data.ok, true);
          break;
        }
      }

      assert.equal((await request(socket, "chat.send", { conversationId: conversation, content: "hi from socket.io" })).ok, true);
      const received = await (async () => {
        for (;;) {
          const m = await plain.nextOfType("message");
          if (m.data.content === "hi from socket.io") return m;
        }
      })();
      assert.equal(received.data.userId, b.id);

      plain.sendJson({ type: "history", id: "h", limit: 1 });
      const history = await plain.nextOfType("history");
      assert.equal(history.data.messages.length, 1);
      assert.equal(history.data.hasMore, true);
      other.close();
      assert.equal((await plain.nextOfType("user_left")).data.userId, b.id);
    });
  }

  it("chat: messages before authenticating get an unauthorized error; a bad token in auth closes with 1008", async () => {
    const plain = plainClient(market, "/api/chat/ws");
    await plain.opened;
    plain.sendJson({ type: "message", data: { content: "x" } });
    assert.equal((await plain.nextOfType("error")).data.code, "unauthorized");
    plain.sendJson({ type: "auth", token: "bad" });
    assert.equal((await plain.closed()).code, 1008);
    assert.equal((await plainClient(market, "/api/chat/ws", { query: "token=bad" }).closed()).code, 1008);
  });

  it("analytics: subscribe, then metric_update every interval with the service's live figures", async () => {
    const plain = plainClient(market, "/api/analytics/ws", { query: `token=${user().token}` });
    await plain.opened;
    plain.sendJson({ type: "subscribe", id: "s", data: { metrics: ["engagement", "activity"] } });
    assert.deepEqual((await plain.nextOfType("subscribe")).data, { ok: true, metrics: ["engagement", "activity"] });
    const seen = new Set();
    let updates = 0;
    while (updates < 4) {
      const update = await plain.nextOfType("metric_update");
      assert.equal(typeof update.data.value, "number");
      assert.match(update.data.timestamp, /^\d{4}-\d\d-\d\dT/);
      seen.add(update.data.metric);
      updates++;
    }
    assert.deepEqual([...seen].sort(), ["activity", "engagement"]);
  });

  it("collaboration: concurrent edits from three plain clients and a socket.io client converge, and a rejoin gets the text", async () => {
    const session = `doc-${++unique}`;
    const clients = [];
    for (let i = 0; i < 3; i++) {
      const c = plainClient(market, "/api/collaboration/ws", { query: `token=${user().token}` });
      await c.opened;
      c.sendJson({ type: "join_session", id: "j", data: { sessionId: session } });
      assert.deepEqual((await c.nextOfType("join_session")).data, { sessionId: session, content: "", version: 0 });
      clients.push(c);
    }
    const sio = io(`${market.url}/learning/collaboration`, { auth: { token: user().token }, transports: ["websocket"], reconnection: false, forceNew: true });
    ioSockets.push(sio);
    const state = await withTimeout(sio.timeout(5_000).emitWithAck("join_session", { sessionId: session }), 6_000, "join over socket.io");
    assert.equal(state.version, 0);
    const sioEdits = [];
    sio.on("edit", (edit) => sioEdits.push(edit));

    // Everyone edits at version 0 at once: the server orders them and transforms the positions.
    clients[0].sendJson({ type: "edit", data: { operation: "insert", position: 0, content: "Hello", version: 0 } });
    clients[1].sendJson({ type: "edit", data: { operation: "insert", position: 0, content: "World", version: 0 } });
    clients[2].sendJson({ type: "edit", data: { operation: "insert", position: 0, content: "!!", version: 0 } });
    sio.emit("edit", { operation: "insert", position: 0, content: "##", version: 0 });
    const received = await Promise.all(clients.map(async (c) => {
      const edits = [];
      while (edits.length < 4) edits.push((await c.nextOfType("edit")).data);
      return edits;
    }));
    const texts = received.map(applyAll);
    assert.equal(new Set(texts).size, 1, `all converge: ${JSON.stringify(texts)}`);
    assert.equal(texts[0].length, 14);
    assert.deepEqual(received[0].map((e) => e.version).sort(), [1, 2, 3, 4]);

    // A delete made on an old version is transformed too.
    clients[0].sendJson({ type: "edit", data: { operation: "delete", position: 0, content: "x", version: 4 } });
    const all = received.map((edits) => edits);
    for (let i = 0; i < 3; i++) all[i].push((await clients[i].nextOfType("edit")).data);
    const after = all.map(applyAll);
    assert.equal(new Set(after).size, 1);
    assert.equal(after[0], texts[0].slice(1));

    const rejoin = plainClient(market, "/api/collaboration/ws", { query: `token=${user().token}` });
    await rejoin.opened;
    rejoin.sendJson({ type: "join_session", data: { sessionId: session } });
    const current = await rejoin.nextOfType("session_state");
    assert.deepEqual(current.data, { sessionId: session, content: after[0], version: 5 });
    assert.equal(applyAll(sioEdits), after[0], "the socket.io client converges too");
  });
});

describe("learning-guide limits", { timeout: 30_000 }, () => {
  let limited;
  before(async () => (limited = await startMarketplace({
    "PlainApis:LearningGuide:MaxConnectionsPerWindow": 3,
    "PlainApis:LearningGuide:MaxMessagesPerWindow": 5,
  })));
  after(() => limited?.stop());

  it("closes with 1008 past the connections per IP and past the messages per connection", async () => {
    const token = limited.token({ sub: "busy", role: "user" });
    const first = plainClient(limited, "/api/analytics/ws", { query: `token=${token}` });
    await first.opened;
    await plainClient(limited, "/api/chat/ws", { query: `token=${token}` }).opened;
    await plainClient(limited, "/api/collaboration/ws", { query: `token=${token}` }).opened;
    const fourth = await plainClient(limited, "/api/chat/ws", { query: `token=${token}` }).closed();
    assert.deepEqual(fourth, { code: 1008, reason: "Too many connections" });

    for (let i = 0; i < 6; i++) first.sendJson({ type: "unsubscribe" });
    assert.deepEqual(await first.closed(), { code: 1008, reason: "Too many messages" });
  });
});
