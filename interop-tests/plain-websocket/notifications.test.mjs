// The bulk-buying notification feed at /api/notifications/ws: plain WebSocket clients (the `ws` package) with JSON
// envelopes {type, id, timestamp, data}, side by side with socket.io-client users of the same orders.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, request, startMarketplace } from "../lib/marketplace.mjs";
import { closeAllPlainClients, plainClient } from "../lib/plain-websocket.mjs";
import { collectEvents, nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace({
  "PlainApis:Notifications:MaxConnectionsPerUser": 2,
  "PlainApis:Notifications:MaxMessagesPerWindow": 5,
})));
after(() => market?.stop());
afterEach(closeAllSockets);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
afterEach(closeAllPlainClients);
let unique = 0;

const feed = (options) => plainClient(market, "/api/notifications/ws", options);

function person(role = "user") {
  const id = `${role}-feed-${++unique}`;
  return { id, token: market.token({ sub: id, name: id, role }) };
}

describe("bulk-buying notification feed (plain WebSocket)", { timeout: 30_000 }, () => {
  it("refuses a client without credentials with 4000 and one with a bad or expired token with 4001", async () => {
    assert.equal((await feed().closed()).code, 4000);
    assert.equal((await feed({ token: "not-a-token" }).closed()).code, 4001);
    const expired = market.token({ sub: "late", role: "user" }, { expiresIn: -10 });
    assert.equal((await feed({ token: expired, header: false }).closed()).code, 4001);
  });

  it("takes the token from the Authorization header or from ?token=, and answers ping with pong", async () => {
    const user = person();
    for (const header of [true, false]) {
      const ws = feed({ token: user.token, header });
      await ws.opened;
      ws.sendJson({ type: "ping", id: "p1" });
      const pong = await ws.next();
      assert.equal(pong.type, "pong");
      assert.equal(pong.id, "p1");
      assert.match(pong.timestamp, ISO);
      ws.close();
    }
  });

  for (const mode of MODES) {
    it(`sends ORDER_STATUS_CHANGE to the plain feed while socket.io clients get order.status (${mode.name})`, async () => {
      const provider = person("provider");
      const buyer = person();
      const listing = await market.api("POST", "/api/listings", provider.token, { title: "Crate of apples", price: 10, currency: "EUR", quantity: 50 });
      assert.equal(listing.status, 201);
      const plain = feed({ token: buyer.token });
      await plain.opened;
      const socket = await connectUser(market, provider.token, mode);
      const seen = collectEvents(socket, "order.status", 2);

      const placed = await market.api("POST", "/api/orders", buyer.token, { listingId: listing.body.id, quantity: 5 });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const created = await plain.next();
      assert.equal(created.type, "ORDER_STATUS_CHANGE");
      // A new order has no previous status: the field is left out, as the service leaves out null fields.
      assert.deepEqual(created.data, { orderId: placed.body.id, toStatus: "PENDING" });
      assert.match(created.timestamp, ISO);
      assert.equal(typeof created.id, "string");

      assert.equal((await market.api("PATCH", `/api/orders/${placed.body.id}/status`, provider.token, { status: "confirmed" })).status, 200);
      const events = await seen;
      assert.deepEqual(events.map((event) => event.status), ["pending", "confirmed"], "the socket.io client saw the same changes");
      const moved = await plain.next();
      assert.deepEqual(moved.data, { orderId: placed.body.id, fromStatus: "PENDING", toStatus: "CONFIRMED" });
    });
  }

  it("sends SYSTEM_NOTIFICATION with a severity, and GET /api/notifications?since= still lists what was missed", async () => {
    const admin = person("admin");
    const user = person();
    const ws = feed({ token: user.token });
    await ws.opened;
    const sent = await market.api("POST", "/api/notifications", admin.token, { type: "maintenance", title: "Downtime", message: "Back at 3", priority: "high" });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const message = await ws.next();
    assert.equal(message.type, "SYSTEM_NOTIFICATION");
    assert.deepEqual(message.data, { title: "Downtime", message: "Back at 3", severity: "WARNING" });
    const listed = await market.api("GET", `/api/notifications?since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`, user.token);
    assert.equal(listed.status, 200);
    assert.ok(listed.body.some((n) => n.title === "Downtime"), `a client that missed it finds it there: ${JSON.stringify(listed.body)}`);
  });

  it("answers bad JSON and unknown types with an error envelope and stays open", async () => {
    const ws = feed({ token: person().token });
    await ws.opened;
    ws.send("{nope");
    assert.equal((await ws.next()).data.code, "invalid_json");
    ws.sendJson({ type: "WHAT", id: "w" });
    const unknown = await ws.next();
    assert.equal(unknown.type, "error");
    assert.equal(unknown.data.code, "unknown_type");
    assert.equal(unknown.id, "w");
    ws.sendJson({ type: "ACK", id: 7, data: { id: "x" } });
    assert.deepEqual((await ws.next()).data, { received: true });
  });

  it("closes with 4002 past the connections per user and past the messages per window", async () => {
    const user = person();
    const first = feed({ token: user.token });
    const second = feed({ token: user.token });
    await Promise.all([first.opened, second.opened]);
    assert.equal((await feed({ token: user.token }).closed()).code, 4002);

    for (let i = 0; i < 6; i++) first.sendJson({ type: "ACK", data: {} });
    const closed = await first.closed();
    assert.equal(closed.code, 4002);
    assert.equal(closed.reason, "Too many messages");
  });

  it("runs a buying pool end to end: commitments send POOL_PROGRESS and pool.progress, the target closes it and places the orders", async () => {
    const provider = person("provider");
    const first = person();
    const second = person();
    const listing = await market.api("POST", "/api/listings", provider.token, { title: "Pallet of rice", price: 3, currency: "EUR", quantity: 100 });
    const deadline = new Date(Date.now() + 3_600_000).toISOString();
    const pool = await market.api("POST", "/api/pools", provider.token, { listingId: listing.body.id, targetQuantity: 10, deadline });
    assert.equal(pool.status, 201, JSON.stringify(pool.body));
    assert.equal(pool.body.status, "open");
    assert.equal((await market.api("POST", "/api/pools", first.token, { listingId: listing.body.id, targetQuantity: 10, deadline })).status, 403, "buyers open no pools");

    const watcher = await connectUser(market, first.token, MODES[0]);
    assert.deepEqual(await request(watcher, "pool.subscribe", { poolId: pool.body.id }), { ok: true });
    const plain = feed({ token: first.token });
    await plain.opened;

    let seen = nextEvent(watcher, "pool.progress");
    const committed = await market.api("POST", `/api/pools/${pool.body.id}/commitments`, first.token, { quantity: 4 });
    assert.equal(committed.status, 201, JSON.stringify(committed.body));
    // Socket.IO events of the service carry an event id as their second argument.
    assert.deepEqual((await seen)[0], { poolId: pool.body.id, progress: 40, currentQuantity: 4, targetQuantity: 10, status: "open" });
    const progress = await plain.next();
    assert.equal(progress.type, "POOL_PROGRESS");
    assert.deepEqual(progress.data, { poolId: pool.body.id, progress: 40, currentQuantity: 4, targetQuantity: 10 });

    seen = nextEvent(watcher, "pool.progress");
    const closing = await market.api("POST", `/api/pools/${pool.body.id}/commitments`, second.token, { quantity: 6 });
    assert.equal(closing.status, 201);
    assert.equal(closing.body.status, "completed");
    assert.equal((await seen)[0].status, "completed");
    const messages = [await plain.next(), await plain.next()];
    const order = messages.find((m) => m.type === "ORDER_STATUS_CHANGE");
    assert.equal(order?.data.toStatus, "PENDING", JSON.stringify(messages));
    assert.deepEqual(messages.find((m) => m.type === "POOL_PROGRESS")?.data, { poolId: pool.body.id, progress: 100, currentQuantity: 10, targetQuantity: 10 });

    const closed = await market.api("GET", `/api/pools/${pool.body.id}`, provider.token);
    assert.deepEqual(closed.body.commitments.map((c) => [c.buyerId, c.quantity]), [[first.id, 4], [second.id, 6]]);
    assert.equal(closed.body.commitments[0].orderId, order.data.orderId);
    assert.match(closed.body.commitments[1].orderId, /^ord_/);
    assert.equal((await market.api("GET", `/api/listings/${listing.body.id}`, provider.token)).body.quantity, 90, "the orders took their stock");

    const late = await market.api("POST", `/api/pools/${pool.body.id}/commitments`, first.token, { quantity: 1 });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, "POOL_CLOSED");
  });
});
