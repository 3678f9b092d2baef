// The admin UI's own files (@socket.io/admin-ui 0.5.1's ui/dist, from the repository's npm install), served by the
// marketplace service at /admin-ui/ (same origin, no CORS), in a real headless Chromium: it logs in with the
// configured credentials and lists the sockets and rooms of the clients connected at that moment. Screenshots go to
// TestResults/admin-ui/.
//
// Chromium: CHROMIUM_PATH, else /usr/bin/chromium. Without it the test is skipped, except under CI=true, where a
// missing browser is a failure (the same rule as interop-tests/browser).

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { closeAllSockets, connectUser, MODES, startMarketplace } from "../lib/marketplace.mjs";
import { withTimeout } from "../lib/waiting.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === "true") {
  throw new Error(`Chromium not found at ${CHROMIUM}: the admin UI browser test cannot run (set CHROMIUM_PATH)`);
}

const UI_FOLDER = fileURLToPath(new URL("../../node_modules/@socket.io/admin-ui/ui/dist", import.meta.url));
const RESULTS = fileURLToPath(new URL("../../TestResults/admin-ui/", import.meta.url));
// bcrypt of "changeit" (the admin-ui package's own test hash).
const HASH = "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me";

let market;
let browser;
const external = [];

describe("the self-hosted admin UI in Chromium", { skip: haveChromium ? false : `no Chromium at ${CHROMIUM}`, timeout: 90_000 }, () => {
  before(async () => {
    const { chromium } = await import("playwright-core");
    market = await startMarketplace({ "AdminUi:PasswordHash": HASH, "AdminUi:Folder": UI_FOLDER });
    browser = await withTimeout(chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }), 30_000, "Chromium to start");
    mkdirSync(RESULTS, { recursive: true });
  });

  after(async () => {
    closeAllSockets();
    await browser?.close();
    await market?.stop();
  });

  it("logs in and lists the sockets and rooms of the connected clients", async () => {
    const alice = await connectUser(market, market.token({ sub: "alice", role: "user" }), MODES[0]);
    const bob = await connectUser(market, market.token({ sub: "bob", role: "user" }), MODES[1]);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // Network to loopback only: the UI's index.html links web fonts and icons from CDNs, which are left out.
    await page.route("**/*", (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === "127.0.0.1" || hostname === "localhost") return route.continue();
      external.push(route.request().url());
      return route.abort();
    });
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));

    const response = await page.goto(`${market.url}/admin-ui/`);
    assert.equal(response.status(), 200);
    // The login form: this server's own URL, the configured credentials.
    await page.getByLabel("Server URL").fill(market.url);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("changeit");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByLabel("Server URL").waitFor({ state: "hidden", timeout: 10_000 });
    try {
      // The dashboard fills in with the first statistics (every 2 s): the main namespace and its 2 sockets.
      await page.getByRole("row", { name: /^\/ 2$/ }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${RESULTS}dashboard.png` });

      await page.getByRole("link", { name: "Sockets" }).click();
      for (const socket of [alice, bob]) await page.getByText(socket.id).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${RESULTS}sockets.png` });

      await page.getByRole("link", { name: "Rooms" }).click();
      for (const room of ["user:alice", "user:bob", "authenticated"]) await page.getByText(room, { exact: true }).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${RESULTS}rooms.png` });
    } catch (error) {
      await page.screenshot({ path: `${RESULTS}failure.png` });
      throw error;
    }

    assert.deepEqual(errors, []);
    for (const url of external) assert.ok(/fonts\.googleapis|cdn\.jsdelivr/.test(url), `unexpected request to ${url}`);
    await context.close();
  });

  it("refuses a wrong password", async () => {
    const page = await browser.newPage();
    await page.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    await page.goto(`${market.url}/admin-ui/`);
    await page.getByLabel("Server URL").fill(market.url);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByText("Invalid credentials").waitFor({ timeout: 10_000 });
    await page.close();
  });
});
