// The store dashboard feed at /api/v1/websocket: a provider's plain WebSocket connection sees its store's orders and
// listings, side by side with socket.io-client users of the same orders.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, startMarketplace } from "../lib/marketplace.mjs";
import { closeAllPlainClients, plainClient } from "../lib/plain-websocket.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace()));
after(() => market?.stop());
afterEach(closeAllSockets);
afterEach(closeAllPlainClients);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const dashboard = (token, query) => plainClient(market, "/api/v1/websocket", { token, query });

describe("store dashboard feed (plain WebSocket)", { timeout: 30_000 }, () => {
  it("welcomes the store's staff, tells them of each other, and refuses buyers (4003) and strangers (4000/4001)", async () => {
    const provider = { id: "store-owner-1", token: market.token({ sub: "store-owner-1", name: "Owner", role: "provider" }) };
    const admin = market.token({ sub: "admin-1", name: "Admin", role: "admin" });
    const owner = dashboard(provider.token);
    await owner.opened;
    const welcome = await owner.next();
    assert.equal(welcome.type, "GENERAL_NOTIFICATION");
    assert.equal(welcome.data.title, "Welcome");
    assert.equal(welcome.userId, provider.id);
    assert.equal(welcome.storeId, provider.id);
    assert.equal(typeof welcome.sessionId, "string");
    assert.match(welcome.timestamp, ISO);
    assert.equal(welcome.id, undefined, "the older feed had no message ids");

    const staff = dashboard(admin, `storeId=${provider.id}`);
    await staff.opened;
    const joined = await owner.nextOfType("USER_JOINED");
    assert.deepEqual(joined.data, { userId: "admin-1", name: "Admin" });
    staff.close();
    assert.deepEqual((await owner.nextOfType("USER_LEFT")).data, { userId: "admin-1", name: "Admin" });

    assert.equal((await dashboard(market.token({ sub: "shopper", role: "user" })).closed()).code, 4003);
    assert.equal((await dashboard().closed()).code, 4000);
    assert.equal((await dashboard("nope").closed()).code, 4001);
  });

  for (const mode of MODES) {
    it(`sends the store's orders, customers and product changes while a socket.io provider sees the same order (${mode.name})`, async () => {
      const id = `store-${mode.name}`;
      const provider = { id, token: market.token({ sub: id, name: id, role: "provider" }) };
      const buyer = market.token({ sub: `buyer-of-${id}`, role: "user" });
      const listing = (await market.api("POST", "/api/listings", provider.token, { title: "Teapot", price: 20, currency: "EUR", quantity: 5 })).body;
      const plain = dashboard(provider.token);
      await plain.opened;
      await plain.nextOfType("GENERAL_NOTIFICATION");
      const socket = await connectUser(market, provider.token, mode);
      const heard = nextEvent(socket, "order.status");

      const order = (await market.api("POST", "/api/orders", buyer, { listingId: listing.id, quantity: 1 })).body;
      assert.equal((await heard)[0].orderId, order.id);
      const customer = await plain.nextOfType("CUSTOMER_CREATED");
      assert.deepEqual(customer.data, { customerId: `buyer-of-${id}`, firstOrderId: order.id });
      const created = await plain.nextOfType("ORDER_CREATED");
      assert.equal(created.data.orderId, order.id);
      assert.equal(created.storeId, id);

      await market.api("PATCH", `/api/orders/${order.id}/status`, provider.token, { status: "confirmed" });
      const changed = await plain.nextOfType("ORDER_STATUS_CHANGED");
      assert.deepEqual(changed.data, { orderId: order.id, status: "confirmed", previousStatus: "pending" });

      await market.api("PATCH", `/api/listings/${listing.id}`, provider.token, { price: 25 });
      const product = await plain.nextOfType("PRODUCT_UPDATED");
      assert.equal(product.data.productId, listing.id);
    });
  }
});
