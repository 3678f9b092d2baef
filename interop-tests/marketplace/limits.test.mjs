// The limits, lowered so the tests run fast: events per connection (sliding window), concurrent connections per
// user, and new connections per IP address. Excess events get error RATE_LIMIT with retryAfter and an error ack,
// and are not processed; refused connections get connect_error with err.data.code RATE_LIMIT.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, closeAllSockets, connectUser, createSocket, refused, request, startMarketplace } from "../lib/marketplace.mjs";
import { nextEvent, waitUntil } from "../lib/waiting.mjs";

const EVENTS_PER_WINDOW = 5;
let market;
before(async () => (market = await startMarketplace({
  "Limits:EventsPerWindow": EVENTS_PER_WINDOW,
  "Limits:EventWindow": "00:00:30",
  "Limits:ConnectionsPerUser": 2,
})));
after(() => market?.stop());
afterEach(closeAllSockets);

let unique = 0;

for (const mode of MODES) {
  describe(`marketplace limits (${mode.name})`, { timeout: 20_000 }, () => {
    it(`refuses the event after ${EVENTS_PER_WINDOW} in the window with error RATE_LIMIT and an error ack, and processes nothing`, async () => {
      const id = `busy-${++unique}`;
      const token = market.token({ sub: id, role: "user" });
      const socket = await connectUser(market, token, mode);
      const conversation = (await market.api("POST", "/api/conversations", token, { participantIds: ["someone"] })).body;

      // Sent back to back: the first five are served, the sixth is refused (one connection's events keep their order).
      const error = nextEvent(socket, "error");
      const answers = await Promise.all([
        ...Array.from({ length: EVENTS_PER_WINDOW }, () => request(socket, "health.check")),
        request(socket, "chat.send", { conversationId: conversation.id, content: "one too many" }),
      ]);
      answers.slice(0, EVENTS_PER_WINDOW).forEach((answer, i) => assert.equal(answer.status, "ok", `event ${i + 1} is within the limit`));
      const answer = answers[EVENTS_PER_WINDOW];
      assert.equal(answer.ok, false);
      assert.equal(answer.error.code, "RATE_LIMIT");
      assert.ok(answer.error.retryAfter >= 1 && answer.error.retryAfter <= 30, `retryAfter ${answer.error.retryAfter} in whole seconds`);
      const [event] = await error;
      assert.equal(event.code, "RATE_LIMIT");
      assert.equal(event.retryAfter, answer.error.retryAfter);
      assert.match(event.message, /Too many events/);
      const again = await request(socket, "health.check");
      assert.deepEqual([again.ok, again.error.code], [false, "RATE_LIMIT"], "still limited within the window");

      // Another connection of the same user has its own window, and finds the refused message was never stored.
      const other = await connectUser(market, token, mode);
      const history = await request(other, "chat.history", { conversationId: conversation.id });
      assert.deepEqual(history, { ok: true, messages: [], hasMore: false });
    });

    it("refuses a third concurrent connection of a user with connect_error RATE_LIMIT, and admits one again after a disconnect", async () => {
      const token = market.token({ sub: `crowd-${++unique}`, role: "user" });
      const first = await connectUser(market, token, mode);
      await connectUser(market, token, mode);
      const error = await refused(createSocket(market, mode, { auth: { token } }));
      assert.equal(error.data.code, "RATE_LIMIT");
      assert.match(error.message, /Too many connections/);

      first.disconnect();
      // The server sees the disconnect a moment later (over polling, on its next request).
      await waitUntil(async () => {
        const socket = createSocket(market, mode, { auth: { token } });
        const outcome = await new Promise((resolve) => {
          socket.once("connect", () => resolve(true));
          socket.once("connect_error", () => resolve(false));
        });
        if (!outcome) socket.disconnect();
        return outcome;
      }, { timeout: 5_000, interval: 50, what: "a connection slot to free up" });
    });
  });
}

describe("marketplace connection rate per IP address", { timeout: 20_000 }, () => {
  let limited;
  before(async () => (limited = await startMarketplace({ "Limits:ConnectionsPerIp": 3, "Limits:ConnectionWindow": "00:01:00" })));
  after(() => limited?.stop());

  it("refuses the fourth new connection in a minute from one address, in either transport", async () => {
    const token = limited.token({ sub: "ip-user", role: "user" });
    await connectUser(limited, token, MODES[0]);
    await connectUser(limited, token, MODES[1]);
    // A refused attempt counts as well: it is the attempts that are limited.
    const badToken = await refused(createSocket(limited, MODES[0], { auth: { token: "Bearer bad.token.here" } }));
    assert.equal(badToken.data.code, "AUTH_FAILED");
    for (const mode of MODES) {
      const error = await refused(createSocket(limited, mode, { auth: { token } }));
      assert.equal(error.data.code, "RATE_LIMIT");
      assert.ok(error.data.retryAfter >= 1 && error.data.retryAfter <= 60, `retryAfter ${error.data.retryAfter}`);
      assert.match(error.message, /Too many new connections/);
    }
  });
});
