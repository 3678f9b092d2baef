// The page at / serves its own copy of socket.io-client's browser bundle (so that `dotnet run` works from a fresh clone,
// offline, without npm). This test keeps that copy byte for byte the bundle of the version pinned in package.json.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = (relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const VENDORED = "src/MarketplaceEvents/wwwroot/vendor/socket.io-client/";

describe("the vendored socket.io-client bundle of the page", () => {
  it("is byte-identical to node_modules/socket.io-client/dist/socket.io.min.js", () => {
    const vendored = readFileSync(root(`${VENDORED}socket.io.min.js`));
    const pinned = readFileSync(root("node_modules/socket.io-client/dist/socket.io.min.js"));
    assert.ok(vendored.equals(pinned), `${VENDORED}socket.io.min.js differs from the pinned package's bundle: copy it again (see VENDORED.md)`);
  });

  it("is of the version package.json pins, as VENDORED.md says, with the package's license", () => {
    const pinnedVersion = JSON.parse(readFileSync(root("package.json"), "utf8")).devDependencies["socket.io-client"];
    const installed = JSON.parse(readFileSync(root("node_modules/socket.io-client/package.json"), "utf8")).version;
    assert.equal(installed, pinnedVersion, "node_modules holds the pinned version (npm ci)");
    assert.match(readFileSync(root(`${VENDORED}VENDORED.md`), "utf8"), new RegExp(`\\*\\*${pinnedVersion.replace(/\./g, "\\.")}\\*\\*`));
    assert.match(readFileSync(root(`${VENDORED}socket.io.min.js`), "latin1").slice(0, 100), new RegExp(`Socket\\.IO v${pinnedVersion.replace(/\./g, "\\.")}`));
    assert.ok(readFileSync(root(`${VENDORED}LICENSE`)).equals(readFileSync(root("node_modules/socket.io-client/LICENSE"))), "the package's LICENSE");
  });
});
