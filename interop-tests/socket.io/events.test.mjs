// Events and acknowledgements with socket.io-client and the default (JSON) parser: scenarios/events.mjs.

import { after, afterEach, before } from "node:test";
import { startFixture } from "../lib/fixture.mjs";
import { disconnectAll } from "../lib/socketio-client.mjs";
import { eventScenarios } from "./scenarios/events.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients")));
after(() => fixture?.stop());
afterEach(disconnectAll);

eventScenarios(() => fixture, "json");
