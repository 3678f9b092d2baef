// Binary attachments with socket.io-client and the default (JSON) parser: scenarios/binary.mjs.

import { after, afterEach, before } from "node:test";
import { startFixture } from "../lib/fixture.mjs";
import { disconnectAll } from "../lib/socketio-client.mjs";
import { binaryScenarios } from "./scenarios/binary.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients")));
after(() => fixture?.stop());
afterEach(disconnectAll);

binaryScenarios(() => fixture, "json");
