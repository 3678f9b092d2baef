// The marketplace page at / (src/MarketplaceEvents/wwwroot) in headless Chromium: a buyer window and a provider
// window, side by side, run the whole story through the page's own buttons, and each step shows up in the other
// window: conversation, presence, typing, delivered/read, a listing shared and repriced, an order placed, confirmed,
// processed, shipped and delivered by the provider's buttons (REST), the notifications that follow, an admin's
// announcement, and a dropped connection that comes back with nothing lost. Once with the page on WebSocket only,
// once on HTTP long-polling only (?transport=), against one service running with its generated development key (the
// page asks it for the sample users' tokens). Screenshots of both windows: TestResults/page/.
//
// Chromium: CHROMIUM_PATH, else /usr/bin/chromium, as for interop-tests/browser. Without it these tests are skipped,
// except under CI=true, where a missing browser is a failure.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mintToken, startMarketplace } from "../lib/marketplace.mjs";
import { withTimeout } from "../lib/waiting.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === "true") {
  throw new Error(`Chromium not found at ${CHROMIUM}: the page tests cannot run (set CHROMIUM_PATH)`);
}

const SCREENSHOTS = fileURLToPath(new URL("../../TestResults/page/", import.meta.url));
/** The bound on every wait for something to appear on a page. */
const STEP_MS = 10_000;

let market;
let browser;

describe("the marketplace page in Chromium", { skip: haveChromium ? false : `no Chromium at ${CHROMIUM}`, timeout: 180_000 }, () => {
  before(async () => {
    const { chromium } = await import("playwright-core");
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await withTimeout(chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }), 30_000, "Chromium to start");
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(() => browser?.close());

  describe("with the generated development key", () => {
    before(async () => {
      // No Auth:SigningKey: the service generates its development key and serves /api/dev/tokens.
      market = await startMarketplace({ "Auth:SigningKey": null });
    });
    after(() => market?.stop());

    // The second run finds the first one's conversation and delivered order: the page loads what exists.
    for (const transport of ["websocket", "polling"]) {
      it(`runs the buyer/provider story in two windows, every step seen on the other side (${transport} only)`, async () => {
        const windows = [];
        try {
          const provider = await openAs("provider", transport, windows);
          const buyer = await openAs("buyer", transport, windows);
          const title = `Desk lamp (${transport})`;
          const seen = (page, selector, options = {}) => page.locator(selector, options).first().waitFor({ timeout: STEP_MS });

          // A conversation (the buyer starts it on the first run), and each sees the other online.
          if (await buyer.locator("#start-chat").isVisible()) await buyer.click("#start-chat button");
          await seen(buyer, "#composer");
          await seen(provider, "#composer");
          await seen(buyer, '#people li[data-user="provider-1"][data-status="online"]');
          await seen(provider, '#people li[data-user="buyer-1"][data-status="online"]');

          // The provider adds a listing and shares it in the chat: the buyer sees it there and among the listings.
          await provider.fill("#new-listing-title", title);
          await provider.fill("#new-listing-price", "25");
          await provider.fill("#new-listing-quantity", "8");
          await provider.click("#new-listing button");
          const providerListing = provider.locator("#listings li.listing", { hasText: title });
          await providerListing.waitFor({ timeout: STEP_MS });
          await providerListing.locator("button.share").click();
          await seen(buyer, "#messages .shared-listing", { hasText: title });
          const buyerListing = buyer.locator("#listings li.listing", { hasText: title });
          await buyerListing.waitFor({ timeout: STEP_MS });
          assert.equal(await buyerListing.locator(".price").textContent(), "25.00 EUR");

          // The buyer writes: the provider sees the typing, then the message; the buyer sees it delivered, then read
          // once the provider is in the conversation.
          const question = `Is the ${title} still available?`;
          await buyer.locator("#composer-input").pressSequentially("Is the", { delay: 10 });
          await seen(provider, "#typing", { hasText: "Sample Buyer is typing" });
          await buyer.fill("#composer-input", question);
          await buyer.press("#composer-input", "Enter");
          await seen(provider, "#messages li.message", { hasText: question });
          await provider.waitForFunction(() => document.getElementById("typing").textContent === "", null, { timeout: STEP_MS });
          await seen(buyer, '#messages li.mine[data-status="delivered"]', { hasText: question });
          await provider.click("#composer-input");
          await seen(buyer, '#messages li.mine[data-status="read"]', { hasText: question });

          // The provider answers (the buyer, still in the conversation, reads it at once) and lowers the price.
          const reply = `Yes! Now at 19.50 (${transport}).`;
          await provider.locator("#composer-input").pressSequentially("Yes!", { delay: 10 });
          await seen(buyer, "#typing", { hasText: "Sample Provider is typing" });
          await provider.fill("#composer-input", reply);
          await provider.press("#composer-input", "Enter");
          await seen(buyer, "#messages li.message", { hasText: reply });
          await seen(provider, '#messages li.mine[data-status="read"]', { hasText: reply });
          await providerListing.locator("input.new-price").fill("19.5");
          await providerListing.locator("button.set-price").click();
          await buyerListing.locator(".price", { hasText: "19.50 EUR" }).waitFor({ timeout: STEP_MS });
          await buyerListing.locator(".change", { hasText: "price was 25.00 EUR" }).waitFor({ timeout: STEP_MS });

          // The buyer orders 2: the provider gets the order and a notification; both see the stock go down.
          await buyerListing.locator("input.qty").fill("2");
          await buyerListing.locator("button.order").click();
          const providerOrder = provider.locator("#orders li.order", { hasText: title });
          const buyerOrder = buyer.locator("#orders li.order", { hasText: title });
          await provider.locator('#orders li.order[data-status="pending"]', { hasText: title }).waitFor({ timeout: STEP_MS });
          await seen(provider, "#notifications li.unread", { hasText: `Sample Buyer ordered 2 × ${title}` });
          await buyer.locator('#orders li.order[data-status="pending"]', { hasText: title }).waitFor({ timeout: STEP_MS });
          await provider.locator(`#listings li.listing[data-quantity="6"]`, { hasText: title }).waitFor({ timeout: STEP_MS });
          await buyer.locator(`#listings li.listing[data-quantity="6"]`, { hasText: title }).waitFor({ timeout: STEP_MS });
          assert.equal(await providerOrder.locator(".row.muted span").first().textContent(), "39.00 EUR");

          // The provider's buttons move the order; each status reaches the buyer's order and notifications.
          for (const [status, button] of [["confirmed", "Confirm"], ["processing", "Start processing"], ["shipped", "Ship"], ["delivered", "Mark delivered"]]) {
            await providerOrder.locator(`button.to-${status}`, { hasText: button }).click();
            await buyer.locator(`#orders li.order[data-status="${status}"]`, { hasText: title }).waitFor({ timeout: STEP_MS });
            await seen(buyer, "#notifications li.unread", { hasText: `Your order of 2 × ${title} is ${status}.` });
            await provider.locator(`#orders li.order[data-status="${status}"]`, { hasText: title }).waitFor({ timeout: STEP_MS });
          }
          assert.match(await buyerOrder.textContent(), /tracking TRK-\d{8}/);
          assert.equal(await providerOrder.locator("button.move").count(), 0, "a delivered order has no next step");

          // Reading a notification (notification.read) clears it; the count follows.
          const delivered = buyer.locator("#notifications li.unread", { hasText: `${title} is delivered.` });
          const unreadBefore = Number(await buyer.locator("#unread").textContent());
          await delivered.click();
          await buyer.locator("#notifications li.notification:not(.unread)", { hasText: `${title} is delivered.` }).waitFor({ timeout: STEP_MS });
          assert.equal(Number(await buyer.locator("#unread").textContent()), unreadBefore - 1);

          // An admin's announcement reaches both.
          const admin = await openAs("admin", transport, windows);
          const announcement = `Maintenance tonight (${transport})`;
          await admin.fill("#notify-title", announcement);
          await admin.fill("#notify-message", "The marketplace pauses from 02:00 to 02:10 UTC.");
          await admin.click("#send-notification button");
          await seen(buyer, "#notifications li", { hasText: announcement });
          await seen(provider, "#notifications li", { hasText: announcement });

          // The buyer's connection drops; the provider writes meanwhile; the buyer comes back on the same session
          // and gets the message it missed.
          const socketId = await buyer.locator("#conn-id").textContent();
          assert.ok(socketId);
          await buyer.click("#drop");
          await seen(buyer, 'body[data-connection="offline"]');
          const whileAway = `Shipped you a spare bulb too (${transport}).`;
          await provider.fill("#composer-input", whileAway);
          await provider.press("#composer-input", "Enter");
          await seen(provider, '#messages li.mine[data-status="sent"]', { hasText: whileAway });
          assert.equal(await buyer.locator('body[data-connection="offline"]').count(), 1, "the buyer is still away");
          assert.equal(await buyer.locator("#messages li.message", { hasText: whileAway }).count(), 0);
          await buyer.click("#reconnect");
          await seen(buyer, 'body[data-connection="connected"]');
          await seen(buyer, "#conn-recovery", { hasText: "recovered" });
          assert.equal(await buyer.locator("#conn-id").textContent(), socketId, "the same socket");
          await seen(buyer, "#messages li.message", { hasText: whileAway });
          await seen(provider, '#messages li.mine:not([data-status="sent"])', { hasText: whileAway });
          assert.equal(await buyer.locator(`body[data-transport="${transport}"]`).count(), 1);

          for (const [name, page] of [["buyer", buyer], ["provider", provider]]) {
            await page.screenshot({ path: `${SCREENSHOTS}${transport}-${name}.png`, fullPage: true });
          }
          for (const w of windows) assert.deepEqual(w.errors, [], `no errors in the ${w.role} window`);
        } finally {
          for (const w of windows) await w.context.close();
        }
      });
    }
  });

  describe("with a configured key", () => {
    let keyed;
    before(async () => (keyed = await startMarketplace()));
    after(() => keyed?.stop());

    it("offers no sample users, connects with a pasted token (polling, then the upgrade), shows a refused one", async () => {
      const page = await browser.newPage({ viewport: { width: 1120, height: 700 } });
      await page.goto(`${keyed.url}/`);
      await page.locator("#token-form").waitFor({ timeout: STEP_MS });
      assert.equal(await page.locator("#sample-users button").count(), 0, "no sample users without the development key");
      await page.screenshot({ path: `${SCREENSHOTS}configured-key-picker.png` });
      await page.fill("#token-input", `Bearer ${keyed.token({ sub: "pasted-1", name: "Pasted Buyer", role: "user" })}`);
      await page.click("#token-form button");
      // No ?transport=: the client's default, polling first, then the upgrade, which the header follows.
      await page.locator('body[data-connection="connected"][data-transport="websocket"]').waitFor({ timeout: STEP_MS });
      assert.equal(await page.locator("#conn-transport").textContent(), "websocket");
      assert.equal(await page.locator("#me-name").textContent(), "Pasted Buyer");
      assert.equal(await page.locator("#me-role").textContent(), "buyer");

      // A token the service does not accept: the refusal is shown, not retried.
      const refused = await browser.newPage({ viewport: { width: 1120, height: 700 } });
      await refused.goto(`${keyed.url}/?transport=polling`);
      await refused.fill("#token-input", mintToken("not the service's key, but long enough to sign", { sub: "forger", role: "admin" }));
      await refused.click("#token-form button");
      await refused.locator("#conn-state", { hasText: "AUTH_FAILED: Authentication token signature is invalid" }).waitFor({ timeout: STEP_MS });
      assert.equal(await refused.locator('body[data-connection="refused"]').count(), 1);
      await page.close();
      await refused.close();
    });
  });
});

/** A window of its own (a browser context) on the page, signed in as a sample user through the picker. */
async function openAs(role, transport, windows) {
  const context = await browser.newContext({ viewport: { width: 1120, height: 900 } });
  const page = await context.newPage();
  const entry = { role, context, errors: [] };
  windows.push(entry);
  page.on("pageerror", (error) => entry.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") entry.errors.push(`${message.text()} ${message.location().url ?? ""}`.trim());
  });
  await page.goto(`${market.url}/?transport=${transport}`);
  if (windows.length === 1) {
    await page.locator("#sample-users button").first().waitFor({ timeout: STEP_MS });
    await page.screenshot({ path: `${SCREENSHOTS}${transport}-picker.png` });
  }
  await page.click(`#sample-users button[data-user="${role}"]`, { timeout: STEP_MS });
  await page.locator(`body[data-connection="connected"][data-transport="${transport}"]`).waitFor({ timeout: STEP_MS });
  // Whatever the page loaded when it connected is on screen before the story goes on (the people list alone proves
  // nothing: the page's static markup holds its placeholder).
  await page.locator('body[data-loaded="true"]').waitFor({ timeout: STEP_MS });
  return page;
}
