// The README's marketplace client example, run as written against the service: only the URL and the token are
// filled in, so the documented contract and the example cannot drift apart.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as client from "socket.io-client";
import { startMarketplace } from "../lib/marketplace.mjs";
import { withTimeout } from "../lib/waiting.mjs";

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

let market;
before(async () => (market = await startMarketplace()));
after(() => market?.stop());

/** The first js code block after the "### Connecting" heading of the marketplace section. */
function readmeExample() {
  const text = readFileSync(README, "utf8");
  const section = text.indexOf("## The marketplace real-time service");
  assert.ok(section >= 0, "the README has the marketplace section");
  const match = /### Connecting\s+```js\n([\s\S]*?)```/.exec(text.slice(section));
  assert.ok(match, "the section has a js example");
  return match[1];
}

describe("README marketplace example", { timeout: 20_000 }, () => {
  it("connects, creates a conversation and sends a message as documented", async () => {
    const token = market.token({ sub: "readme-buyer", name: "Readme Buyer", role: "user" });
    let code = readmeExample();
    assert.match(code, /^import \{ io \} from "socket\.io-client";$/m);
    code = code
      .replace(/^import \{ io \} from "socket\.io-client";$/m, "const { io } = client;")
      .replace('"http://localhost:3000"', JSON.stringify(market.url))
      .replace('"<a token printed at start>"', JSON.stringify(token));
    const logged = [];
    const errors = [];
    const console = { log: (...args) => logged.push(args.join(" ")), error: (...args) => errors.push(args.join(" ")) };
    // The example keeps its socket open, as an application would; the test closes it.
    const run = new AsyncFunction("client", "console", `${code}\nreturn socket;`);
    const socket = await withTimeout(run(client, console), 10_000, "the README example");
    try {
      assert.deepEqual(errors, []);
      assert.equal(logged.length, 2, logged.join("\n"));
      assert.equal(logged[0], "Readme Buyer: Is the lamp still available?", "its own chat.message");
      assert.match(logged[1], /^stored as msg_[0-9a-f]{20}$/);
    } finally {
      socket.disconnect();
    }
  });
});
