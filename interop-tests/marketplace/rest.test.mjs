// The REST API's envelope: health and statistics, 201 with the resource, RFC 7807 problem details for every
// refusal (401, 403, 400, 404, 413) carrying the contract's error code.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, startMarketplace } from "../lib/marketplace.mjs";

let market;
before(async () => (market = await startMarketplace()));
after(() => market?.stop());
afterEach(closeAllSockets);

const provider = () => market.token({ sub: "rest-provider", name: "Rest Provider", role: "provider" });

function assertProblem(answer, status, code) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.headers.get("content-type"), "application/problem+json");
  assert.equal(answer.body.status, status);
  assert.equal(typeof answer.body.title, "string");
  assert.equal(answer.body.code, code);
}

describe("marketplace REST API", { timeout: 20_000 }, () => {
  it("reports health and connection statistics", async () => {
    await connectUser(market, market.token({ sub: "stats-user", role: "user" }), MODES[0]);
    const health = await market.api("GET", "/health");
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
    assert.equal(health.body.active_connections, 1);
    assert.equal(typeof health.body.uptime_seconds, "number");

    const stats = await market.api("GET", "/api/v1/websocket/stats");
    assert.equal(stats.body.success, true);
    assert.equal(typeof stats.body.message, "string");
    assert.equal(stats.body.data.activeConnections, 1);
    assert.ok(stats.body.data.totalConnections >= 1);
    assert.equal(stats.body.data.healthy, true);

    const socketHealth = await market.api("GET", "/api/v1/websocket/health");
    assert.deepEqual(Object.keys(socketHealth.body).sort(), ["data", "message", "success"]);
    assert.equal(socketHealth.body.data.healthy, true);
    assert.equal(socketHealth.body.data.activeConnections, 1);
    assert.ok(socketHealth.body.data.totalConnections >= 1);
  });

  it("answers 201 with the created resource and its location", async () => {
    const created = await market.api("POST", "/api/listings", provider(), { title: "Desk", price: 120, currency: "USD", quantity: 2 });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("location"), `/api/listings/${created.body.id}`);
    assert.equal(created.body.lowStockThreshold, 5, "the default threshold");
    const fetched = await market.api("GET", created.headers.get("location"), provider());
    assert.deepEqual(fetched.body, created.body);
  });

  it("answers 401 problem details without a token or with an expired one, 403 for the wrong role", async () => {
    assertProblem(await market.api("GET", "/api/listings"), 401, "AUTH_FAILED");
    const expired = await market.api("GET", "/api/listings", market.token({ sub: "late", role: "user" }, { expiresIn: -10 }));
    assertProblem(expired, 401, "AUTH_FAILED");
    assert.match(expired.body.detail, /expired/);
    const buyer = market.token({ sub: "rest-buyer", role: "user" });
    assertProblem(await market.api("POST", "/api/notifications", buyer, { type: "t", title: "t", message: "m" }), 403, "FORBIDDEN");
  });

  it("answers 400 problem details listing every invalid field, and for a body that is not JSON", async () => {
    const invalid = await market.api("POST", "/api/listings", provider(), { title: "", price: "12", currency: "euro", quantity: -1 });
    assertProblem(invalid, 400, "INVALID_PAYLOAD");
    assert.deepEqual(invalid.body.errors, [
      "title must not be empty",
      "price must be a number",
      "currency must be a three-letter upper-case currency code such as EUR",
      "quantity must be between 0 and 1000000",
    ]);
    assertProblem(await market.api("POST", "/api/listings", provider(), "{not json"), 400, "INVALID_PAYLOAD");
    assertProblem(await market.api("PATCH", "/api/listings/lst_x", provider(), {}), 400, "INVALID_PAYLOAD");
  });

  it("answers 404 problem details for unknown resources and routes, 413 for a huge body", async () => {
    assertProblem(await market.api("PATCH", "/api/listings/lst_missing/stock", provider(), { quantity: 1 }), 404, "NOT_FOUND");
    assertProblem(await market.api("GET", "/api/nothing-here", provider()), 404, "NOT_FOUND");
    const huge = await market.api("POST", "/api/listings", provider(), { title: "x".repeat(100_000), price: 1, currency: "EUR", quantity: 1 });
    assertProblem(huge, 413, "INVALID_PAYLOAD");
  });
});
