// Notifications: stored before they are emitted, replayed to users who were offline (the newest ones, up to the
// configured bound, the drop logged), readable with GET /api/notifications?since=, marked read by the client.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connected, connectUser, createSocket, record, request, startMarketplace } from "../lib/marketplace.mjs";
import { collectEvents, nextEvent, waitUntil } from "../lib/waiting.mjs";

const MAX_UNDELIVERED = 3;
let market;
before(async () => (market = await startMarketplace({ "Limits:MaxUndeliveredNotifications": MAX_UNDELIVERED })));
after(() => market?.stop());
afterEach(closeAllSockets);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let unique = 0;

function people() {
  const n = ++unique;
  const user = { id: `reader-${n}` };
  user.token = market.token({ sub: user.id, name: `Reader ${n}`, role: "user" });
  const admin = { id: `ops-${n}` };
  admin.token = market.token({ sub: admin.id, name: "Ops", role: "admin" });
  return { user, admin };
}

async function notify(admin, body) {
  const answer = await market.api("POST", "/api/notifications", admin.token, body);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

for (const mode of MODES) {
  describe(`marketplace notifications (${mode.name})`, { timeout: 20_000 }, () => {
    it("sends notification.user to every connection of the user, and only admins may send", async () => {
      const { user, admin } = people();
      const first = await connectUser(market, user.token, mode);
      const second = await connectUser(market, user.token, mode);
      const arrivals = [first, second].map((s) => nextEvent(s, "notification.user"));
      const created = await notify(admin, { userId: user.id, type: "order", title: "Shipped", message: "Your lamp is on its way", metadata: { orderId: "ord_1" } });
      assert.match(created.id, /^ntf_/);
      for (const [event] of await Promise.all(arrivals)) {
        assert.deepEqual(Object.keys(event).sort(), ["id", "message", "metadata", "read", "timestamp", "title", "type", "userId"]);
        assert.equal(event.id, created.id);
        assert.equal(event.userId, user.id);
        assert.deepEqual(event.metadata, { orderId: "ord_1" });
        assert.equal(event.read, false);
        assert.match(event.timestamp, ISO);
      }
      const refused = await market.api("POST", "/api/notifications", user.token, { type: "x", title: "x", message: "x" });
      assert.equal(refused.status, 403);
    });

    it("sends notification.system to every authenticated connection, not to sockets still authenticating", async () => {
      const { user, admin } = people();
      const socket = await connectUser(market, user.token, mode);
      const anonymous = createSocket(market, mode);
      await connected(anonymous);
      const unseen = record(anonymous);
      const arrival = nextEvent(socket, "notification.system");
      const created = await notify(admin, { type: "maintenance", title: "Downtime", message: "Tonight 2-3 am", priority: "high", action: { label: "Details", url: "https://example.test/m" }, expiry: "2030-01-01T03:00:00Z" });
      assert.deepEqual((await arrival)[0], {
        id: created.id,
        type: "maintenance",
        priority: "high",
        title: "Downtime",
        message: "Tonight 2-3 am",
        action: { label: "Details", url: "https://example.test/m" },
        expiry: "2030-01-01T03:00:00.000Z",
      });
      assert.equal((await request(anonymous, "health.check")).status, "ok");
      assert.deepEqual(unseen.of("notification.system"), []);
    });

    it("replays what an offline user missed on the next connection, once, oldest first", async () => {
      const { user, admin } = people();
      const before = new Date().toISOString();
      const sent = [];
      for (const title of ["one", "two"]) sent.push(await notify(admin, { userId: user.id, type: "info", title, message: title }));

      const socket = createSocket(market, mode, { auth: { token: `Bearer ${user.token}` } });
      const replayed = collectEvents(socket, "notification.user", 2);
      await connected(socket);
      assert.deepEqual((await replayed).map((n) => n.id), sent.map((n) => n.id));

      const listed = await market.api("GET", `/api/notifications?since=${encodeURIComponent(before)}`, user.token);
      assert.equal(listed.status, 200);
      const mine = listed.body.filter((n) => n.scope === "user");
      assert.deepEqual(mine.map((n) => n.title), ["one", "two"]);
      assert.ok(mine.every((n) => n.userId === user.id && n.read === false));
      assert.ok(listed.body.every((n) => n.scope === "user" || n.userId === undefined), "system notifications have no user");

      socket.disconnect();
      const again = createSocket(market, mode, { auth: { token: `Bearer ${user.token}` } });
      const seen = record(again);
      await connected(again);
      // Its acknowledgement comes after any replay would have.
      assert.equal((await request(again, "health.check")).status, "ok");
      assert.deepEqual(seen.of("notification.user"), [], "nothing is replayed twice");
    });

    it(`keeps at most ${MAX_UNDELIVERED} undelivered notifications per user, dropping the oldest and logging it`, async () => {
      const { user, admin } = people();
      const sent = [];
      for (let i = 1; i <= MAX_UNDELIVERED + 2; i++) sent.push(await notify(admin, { userId: user.id, type: "info", title: `n${i}`, message: "m" }));
      await waitUntil(() => market.output().some((line) => line.includes(`User ${user.id} has more than ${MAX_UNDELIVERED} undelivered notifications`)), {
        what: "the drop to be logged",
      });

      const socket = createSocket(market, mode, { auth: { token: `Bearer ${user.token}` } });
      const seen = record(socket);
      await connected(socket);
      assert.equal((await request(socket, "health.check")).status, "ok");
      assert.deepEqual(seen.of("notification.user").map((n) => n.title), sent.slice(-MAX_UNDELIVERED).map((n) => n.title));
      // Dropped from the replay queue, not from the record.
      const listed = await market.api("GET", "/api/notifications", user.token);
      assert.equal(listed.body.filter((n) => n.scope === "user").length, MAX_UNDELIVERED + 2);
    });

    it("marks a notification read with notification.read, and only the user's own", async () => {
      const { user, admin } = people();
      const socket = await connectUser(market, user.token, mode);
      const arrival = nextEvent(socket, "notification.user");
      const created = await notify(admin, { userId: user.id, type: "info", title: "t", message: "m" });
      await arrival;
      assert.deepEqual(await request(socket, "notification.read", { id: created.id }), { ok: true });
      const listed = await market.api("GET", "/api/notifications", user.token);
      assert.equal(listed.body.find((n) => n.id === created.id).read, true);

      const other = await connectUser(market, market.token({ sub: `${user.id}-other`, role: "user" }), mode);
      const answer = await request(other, "notification.read", { id: created.id });
      assert.deepEqual(answer, { ok: false, error: { code: "NOT_FOUND", message: "Notification not found" } });
    });

    it("answers GET /api/notifications with problem details for a bad since and without a token", async () => {
      const { user } = people();
      const bad = await market.api("GET", "/api/notifications?since=yesterday", user.token);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, "INVALID_PAYLOAD");
      const anonymous = await market.api("GET", "/api/notifications");
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.code, "AUTH_FAILED");
    });
  });
}
