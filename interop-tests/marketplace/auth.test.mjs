// Authentication of the marketplace service with the real socket.io-client: the three ways to present a token,
// refusals reaching connect_error with err.data.code, the auth-event deadline, and expiry during a session.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import {
  MODES,
  closeAllSockets,
  connected,
  connectUser,
  createSocket,
  refused,
  request,
  startMarketplace,
} from "../lib/marketplace.mjs";
import { nextEvent } from "../lib/waiting.mjs";

let market;
before(async () => (market = await startMarketplace()));
after(() => market?.stop());
afterEach(closeAllSockets);

const buyerClaims = { sub: "auth-buyer", name: "Auth Buyer", role: "user" };
let rsaKey;
const rsaPrivateKey = () => (rsaKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);

for (const mode of MODES) {
  describe(`marketplace authentication (${mode.name})`, { timeout: 20_000 }, () => {
    it("accepts auth: { token: 'Bearer <jwt>' } and a raw token, and the socket can use the contract", async () => {
      const withBearer = await connectUser(market, market.token(buyerClaims), mode);
      const health = await request(withBearer, "health.check");
      assert.equal(health.status, "ok");
      assert.ok(!Number.isNaN(Date.parse(health.timestamp)), "an ISO timestamp");

      const raw = createSocket(market, mode, { auth: { token: market.token(buyerClaims) } });
      await connected(raw);
      const answer = await request(raw, "presence.update", { status: "away" });
      assert.deepEqual(answer, { ok: true });
    });

    it("accepts ?token=<jwt> in the query", async () => {
      const socket = createSocket(market, mode, { query: { token: market.token(buyerClaims) } });
      await connected(socket);
      assert.deepEqual(await request(socket, "presence.update", { status: "online" }), { ok: true });
    });

    it("accepts a first 'auth' event {token} from a socket that connected without one", async () => {
      const socket = createSocket(market, mode);
      await connected(socket);
      const answer = await request(socket, "auth", { token: market.token({ ...buyerClaims, avatar: "https://example.test/a.png" }) });
      assert.deepEqual(answer, {
        ok: true,
        user: { id: "auth-buyer", name: "Auth Buyer", role: "user", avatar: "https://example.test/a.png" },
      });
      assert.deepEqual(await request(socket, "presence.update", { status: "online" }), { ok: true });
    });

    it("answers events before authentication with error AUTH_FAILED and an error ack, and processes nothing", async () => {
      const socket = createSocket(market, mode);
      await connected(socket);
      const error = nextEvent(socket, "error");
      const answer = await request(socket, "chat.send", { conversationId: "conv_x", content: "too early" });
      assert.equal(answer.ok, false);
      assert.equal(answer.error.code, "AUTH_FAILED");
      const [event] = await error;
      assert.equal(event.code, "AUTH_FAILED");
      assert.match(event.message, /auth/);
      // health.check needs no authentication.
      assert.equal((await request(socket, "health.check")).status, "ok");
    });

    it("refuses a bad 'auth' event token with error AUTH_FAILED and a disconnect", async () => {
      const socket = createSocket(market, mode);
      await connected(socket);
      const disconnect = nextEvent(socket, "disconnect");
      const answer = await request(socket, "auth", { token: "Bearer not.a.token" });
      assert.equal(answer.ok, false);
      assert.equal(answer.error.code, "AUTH_FAILED");
      assert.equal((await disconnect)[0], "io server disconnect");
    });

    const refusals = [
      ["a token signed with another key", () => market.token(buyerClaims).replace(/\.[^.]+$/, ".c2lnbmF0dXJl"), /signature/],
      ["an expired token", () => market.token(buyerClaims, { expiresIn: -60 }), /expired/],
      ["a malformed token", () => "Bearer abc.def", /Malformed/],
      ["a token with an unknown role", () => market.token({ ...buyerClaims, role: "root" }), /role/],
      ["a token without sub", () => market.token({ name: "nobody", role: "user" }), /sub/],
      ["a token without expiry", () => market.token({ ...buyerClaims, exp: undefined }), /expiry/],
    ];
    for (const [what, token, message] of refusals) {
      it(`refuses ${what}: connect_error with err.data.code AUTH_FAILED`, async () => {
        const socket = createSocket(market, mode, { auth: { token: token() } });
        const error = await refused(socket);
        assert.match(error.message, message);
        assert.deepEqual(error.data, { code: "AUTH_FAILED" });
      });
    }

    it("refuses an RS256 token when only an HS256 key is configured", async () => {
      const now = Math.floor(Date.now() / 1000);
      const head = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url");
      const body = Buffer.from(JSON.stringify({ ...buyerClaims, iat: now, exp: now + 60 })).toString("base64url");
      const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(rsaPrivateKey()).toString("base64url");
      const socket = createSocket(market, mode, { auth: { token: `${head}.${body}.${signature}` } });
      const error = await refused(socket);
      assert.deepEqual(error.data, { code: "AUTH_FAILED" });
    });

    it("ends a session whose token expires with error AUTH_FAILED, unless the client sent a fresh token in time", async () => {
      // exp has whole seconds: the token lives 2 to 3 s, time enough to connect both sockets even on a busy machine.
      const short = { ...buyerClaims, exp: Math.floor(Date.now() / 1000) + 3 };
      const expiring = await connectUser(market, market.token(short), mode);
      const refreshed = await connectUser(market, market.token(short), mode);
      const answer = await request(refreshed, "auth", { token: market.token(buyerClaims) });
      assert.equal(answer.ok, true);

      const error = nextEvent(expiring, "error", { timeout: 8_000 });
      const disconnect = nextEvent(expiring, "disconnect", { timeout: 8_000 });
      const [event] = await error;
      assert.deepEqual(event, { code: "AUTH_FAILED", message: "Authentication token expired" });
      assert.equal((await disconnect)[0], "io server disconnect");

      assert.equal(refreshed.connected, true, "the refreshed session lives on");
      assert.equal((await request(refreshed, "health.check")).status, "ok");
    });

    it("refuses to switch an authenticated connection to another user", async () => {
      const socket = await connectUser(market, market.token(buyerClaims), mode);
      const answer = await request(socket, "auth", { token: market.token({ sub: "someone-else", role: "user" }) });
      assert.equal(answer.ok, false);
      assert.equal(answer.error.code, "AUTH_FAILED");
      assert.equal(socket.connected, true);
    });
  });
}

describe("marketplace authentication deadline", { timeout: 20_000 }, () => {
  let strict;
  before(async () => (strict = await startMarketplace({ "Auth:AuthEventTimeout": "00:00:00.300" })));
  after(() => strict?.stop());

  for (const mode of MODES) {
    it(`disconnects a socket that does not authenticate within the deadline, with error AUTH_FAILED (${mode.name})`, async () => {
      const socket = createSocket(strict, mode);
      const error = nextEvent(socket, "error", { timeout: 5_000 });
      const disconnect = nextEvent(socket, "disconnect", { timeout: 5_000 });
      await connected(socket);
      const [event] = await error;
      assert.equal(event.code, "AUTH_FAILED");
      assert.match(event.message, /timed out/);
      const [reason] = await disconnect;
      assert.equal(reason, "io server disconnect");
    });
  }
});
