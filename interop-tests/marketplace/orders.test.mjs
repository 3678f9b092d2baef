// Listings and orders: REST changes by providers, buyers and admins reach the subscribed sockets and the order's
// parties as listing.* and order.* events, in each transport mode.

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

/** A provider, a buyer and an admin with fresh ids, each connected; the provider's listing; a watcher subscribed to it. */
async function marketplace(mode, listing = {}) {
  const n = ++unique;
  const people = {
    provider: { id: `seller-${n}`, role: "provider" },
    buyer: { id: `shopper-${n}`, role: "user" },
    admin: { id: `admin-${n}`, role: "admin" },
    watcher: { id: `watcher-${n}`, role: "user" },
  };
  for (const person of Object.values(people)) {
    person.token = market.token({ sub: person.id, name: person.id, role: person.role });
    person.socket = await connectUser(market, person.token, mode);
  }
  const created = await market.api("POST", "/api/listings", people.provider.token, {
    title: "Vintage lamp",
    price: 49.9,
    currency: "EUR",
    quantity: 10,
    lowStockThreshold: 3,
    ...listing,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(await request(people.watcher.socket, "listing.subscribe", { listingId: created.body.id }), { ok: true });
  return { ...people, listing: created.body };
}

for (const mode of MODES) {
  describe(`marketplace listings and orders (${mode.name})`, { timeout: 20_000 }, () => {
    it("creates a listing (provider only) and answers subscriptions to unknown listings with NOT_FOUND", async () => {
      const { provider, buyer, listing } = await marketplace(mode);
      assert.match(listing.id, /^lst_/);
      assert.equal(listing.providerId, provider.id);
      assert.equal(listing.price, 49.9);
      assert.equal(listing.stockStatus, "in_stock");
      assert.equal(listing.availability, "available");
      assert.equal(listing.status, "active");

      const refused = await market.api("POST", "/api/listings", buyer.token, { title: "x", price: 1, currency: "EUR", quantity: 1 });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, "FORBIDDEN");
      const missing = await request(buyer.socket, "listing.subscribe", { listingId: "lst_missing" });
      assert.deepEqual(missing, { ok: false, error: { code: "NOT_FOUND", message: "Listing not found" } });
    });

    it("emits one listing.update per changed kind, and none for values that did not change", async () => {
      const { provider, watcher, listing } = await marketplace(mode);
      const seen = record(watcher.socket);
      const updates = collectEvents(watcher.socket, "listing.update", 3);
      const patched = await market.api("PATCH", `/api/listings/${listing.id}`, provider.token, { price: 39.5, availability: "unavailable", status: "paused" });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.price, 39.5);
      const received = await updates;
      assert.deepEqual(received.map((u) => [u.type, u.changes]), [
        ["price", { previous: 49.9, current: 39.5 }],
        ["availability", { previous: "available", current: "unavailable" }],
        ["status", { previous: "active", current: "paused" }],
      ]);
      for (const update of received) {
        assert.equal(update.listingId, listing.id);
        assert.match(update.timestamp, ISO);
      }

      // The same price again changes nothing; the stock change after it is the barrier.
      await market.api("PATCH", `/api/listings/${listing.id}`, provider.token, { price: 39.5 });
      const stock = nextEvent(watcher.socket, "listing.stock");
      await market.api("PATCH", `/api/listings/${listing.id}/stock`, provider.token, { quantity: 2 });
      await stock;
      assert.equal(seen.of("listing.update").length, 3);
    });

    it("emits listing.stock with in_stock, low_stock and out_of_stock against the threshold", async () => {
      const { provider, admin, watcher, listing } = await marketplace(mode);
      const stock = collectEvents(watcher.socket, "listing.stock", 3);
      for (const [token, quantity] of [[provider.token, 8], [admin.token, 3], [provider.token, 0]]) {
        const answer = await market.api("PATCH", `/api/listings/${listing.id}/stock`, token, { quantity });
        assert.equal(answer.status, 200);
      }
      assert.deepEqual(await stock, [
        { listingId: listing.id, quantity: 8, status: "in_stock", threshold: 3 },
        { listingId: listing.id, quantity: 3, status: "low_stock", threshold: 3 },
        { listingId: listing.id, quantity: 0, status: "out_of_stock", threshold: 3 },
      ]);
    });

    it("stops listing events after listing.unsubscribe", async () => {
      const { provider, watcher, listing } = await marketplace(mode);
      const other = await connectUser(market, watcher.token, mode);
      await request(other, "listing.subscribe", { listingId: listing.id });
      const seen = record(watcher.socket);
      assert.deepEqual(await request(watcher.socket, "listing.unsubscribe", { listingId: listing.id }), { ok: true });
      const barrier = nextEvent(other, "listing.stock");
      await market.api("PATCH", `/api/listings/${listing.id}/stock`, provider.token, { quantity: 1 });
      await barrier;
      assert.deepEqual(seen.events, []);
    });

    it("runs an order through its statuses, telling the buyer and the provider each step", async () => {
      const { provider, buyer, watcher, listing } = await marketplace(mode);
      const created = nextEvent(provider.socket, "order.status");
      const createdForBuyer = nextEvent(buyer.socket, "order.status");
      const stock = nextEvent(watcher.socket, "listing.stock");
      const placed = await market.api("POST", "/api/orders", buyer.token, { listingId: listing.id, quantity: 4 });
      assert.equal(placed.status, 201);
      const order = placed.body;
      assert.match(order.id, /^ord_/);
      assert.equal(order.status, "pending");
      assert.equal(order.providerId, provider.id);
      assert.equal(order.buyerId, buyer.id);
      const [first] = await created;
      assert.equal(first.orderId, order.id);
      assert.equal(first.status, "pending");
      assert.equal(first.previousStatus, null);
      assert.deepEqual(first.updatedBy, { id: buyer.id, role: "user" });
      assert.deepEqual((await createdForBuyer)[0], first);
      assert.deepEqual((await stock)[0], { listingId: listing.id, quantity: 6, status: "in_stock", threshold: 3 });

      const buyerSees = collectEvents(buyer.socket, "order.status", 4);
      const providerSees = collectEvents(provider.socket, "order.status", 4);
      const steps = [
        { status: "confirmed" },
        { status: "processing", estimatedDelivery: "2030-01-02T10:00:00.000Z" },
        { status: "shipped", trackingNumber: "TRACK-1" },
        { status: "delivered", reason: "signed by the buyer" },
      ];
      for (const step of steps) {
        const answer = await market.api("PATCH", `/api/orders/${order.id}/status`, provider.token, step);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.status, step.status);
      }
      const events = await buyerSees;
      assert.deepEqual(await providerSees, events);
      assert.deepEqual(events.map((e) => [e.previousStatus, e.status]), [
        ["pending", "confirmed"],
        ["confirmed", "processing"],
        ["processing", "shipped"],
        ["shipped", "delivered"],
      ]);
      assert.equal(events[0].metadata, undefined);
      assert.deepEqual(events[1].metadata, { estimatedDelivery: "2030-01-02T10:00:00.000Z" });
      assert.deepEqual(events[2].metadata, { trackingNumber: "TRACK-1" });
      assert.deepEqual(events[3].metadata, { reason: "signed by the buyer" });
      for (const event of events) {
        assert.deepEqual(event.updatedBy, { id: provider.id, role: "provider" });
        assert.match(event.timestamp, ISO);
      }
    });

    it("refuses an invalid transition with 409 and an order.error to the caller", async () => {
      const { provider, buyer, admin, listing } = await marketplace(mode);
      const order = (await market.api("POST", "/api/orders", buyer.token, { listingId: listing.id, quantity: 1 })).body;
      const error = nextEvent(provider.socket, "order.error");
      const answer = await market.api("PATCH", `/api/orders/${order.id}/status`, provider.token, { status: "shipped" });
      assert.equal(answer.status, 409);
      assert.equal(answer.headers.get("content-type"), "application/problem+json");
      assert.equal(answer.body.code, "INVALID_TRANSITION");
      const [event] = await error;
      assert.deepEqual(Object.keys(event).sort(), ["code", "message", "operation", "orderId", "timestamp"]);
      assert.equal(event.code, "INVALID_TRANSITION");
      assert.equal(event.orderId, order.id);
      assert.equal(event.operation, "status");
      assert.match(event.message, /pending to shipped/);

      assert.equal((await market.api("PATCH", `/api/orders/${order.id}/status`, buyer.token, { status: "confirmed" })).status, 403, "buyers do not move orders");
      const byAdmin = await market.api("PATCH", `/api/orders/${order.id}/status`, admin.token, { status: "confirmed" });
      assert.equal(byAdmin.status, 200);
    });

    it("cancels a confirmed order and returns its quantity to the stock", async () => {
      const { provider, buyer, watcher, listing } = await marketplace(mode);
      const statuses = collectEvents(buyer.socket, "order.status", 3);
      const stock = collectEvents(watcher.socket, "listing.stock", 2);
      const order = (await market.api("POST", "/api/orders", buyer.token, { listingId: listing.id, quantity: 9 })).body;
      await market.api("PATCH", `/api/orders/${order.id}/status`, provider.token, { status: "confirmed" });
      const answer = await market.api("PATCH", `/api/orders/${order.id}/status`, provider.token, { status: "cancelled", reason: "out of lamps" });
      assert.equal(answer.status, 200);
      assert.deepEqual((await statuses).map((e) => e.status), ["pending", "confirmed", "cancelled"]);
      assert.deepEqual((await stock).map((e) => [e.quantity, e.status]), [[1, "low_stock"], [10, "in_stock"]]);
      const again = await market.api("PATCH", `/api/orders/${order.id}/status`, provider.token, { status: "processing" });
      assert.equal(again.status, 409);
    });

    it("refuses orders beyond the stock and orders of unavailable listings with 409", async () => {
      const { provider, buyer, listing } = await marketplace(mode);
      const tooMany = await market.api("POST", "/api/orders", buyer.token, { listingId: listing.id, quantity: 11 });
      assert.equal(tooMany.status, 409);
      assert.equal(tooMany.body.code, "INSUFFICIENT_STOCK");
      await market.api("PATCH", `/api/listings/${listing.id}`, provider.token, { availability: "unavailable" });
      const unavailable = await market.api("POST", "/api/orders", buyer.token, { listingId: listing.id, quantity: 1 });
      assert.equal(unavailable.status, 409);
      assert.equal(unavailable.body.code, "LISTING_UNAVAILABLE");
      const missing = await market.api("POST", "/api/orders", buyer.token, { listingId: "lst_missing", quantity: 1 });
      assert.equal(missing.status, 404);
      assert.equal((await market.api("POST", "/api/orders", provider.token, { listingId: listing.id, quantity: 1 })).status, 403);
    });

    it("reports payments and shipping to the buyer and the provider", async () => {
      const { provider, buyer, listing } = await marketplace(mode);
      const order = (await market.api("POST", "/api/orders", buyer.token, { listingId: listing.id, quantity: 2 })).body;

      const payment = nextEvent(provider.socket, "order.payment");
      const paid = await market.api("POST", `/api/orders/${order.id}/payment`, buyer.token, {
        status: "completed",
        amount: 99.8,
        currency: "EUR",
        paymentMethod: "card",
        transactionId: "tx-42",
      });
      assert.equal(paid.status, 201);
      assert.match(paid.body.id, /^pay_/);
      const [paymentEvent] = await payment;
      assert.deepEqual(Object.keys(paymentEvent).sort(), ["amount", "currency", "orderId", "paymentMethod", "status", "timestamp", "transactionId"]);
      assert.equal(paymentEvent.amount, 99.8);
      assert.equal(paymentEvent.transactionId, "tx-42");

      const shipping = nextEvent(buyer.socket, "order.shipping");
      const shipped = await market.api("POST", `/api/orders/${order.id}/shipping`, provider.token, {
        status: "in_transit",
        carrier: "PostNL",
        trackingNumber: "3S123",
        estimatedDelivery: "2030-01-05T00:00:00Z",
        location: "Utrecht",
      });
      assert.equal(shipped.status, 201);
      assert.match(shipped.body.id, /^shp_/);
      assert.deepEqual((await shipping)[0], {
        orderId: order.id,
        status: "in_transit",
        carrier: "PostNL",
        trackingNumber: "3S123",
        estimatedDelivery: "2030-01-05T00:00:00.000Z",
        location: "Utrecht",
      });
      assert.equal((await market.api("POST", `/api/orders/${order.id}/shipping`, buyer.token, { status: "delivered" })).status, 403);
    });

    it("relays presence.activity 'viewing' to the listing's watchers and counts the view in listing.views", async () => {
      const { buyer, watcher, listing } = await marketplace(mode);
      const activity = nextEvent(watcher.socket, "presence.activity");
      const views = collectEvents(watcher.socket, "listing.views", 2);
      const payload = { activity: "viewing", metadata: { listingId: listing.id } };
      assert.deepEqual(await request(buyer.socket, "presence.activity", payload), { ok: true });
      assert.deepEqual(await request(buyer.socket, "presence.activity", payload), { ok: true });
      assert.deepEqual((await activity)[0], { userId: buyer.id, activity: "viewing", metadata: { listingId: listing.id } });
      assert.deepEqual(await views, [
        { listingId: listing.id, views: 1, uniqueViews: 1, period: "24h" },
        { listingId: listing.id, views: 2, uniqueViews: 1, period: "24h" },
      ]);
    });
  });
}
