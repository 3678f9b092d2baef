// Rooms and broadcast operators with socket.io-client and the default (JSON) parser: scenarios/rooms.mjs.

import { after, afterEach, before } from "node:test";
import { startFixture } from "../lib/fixture.mjs";
import { disconnectAll } from "../lib/socketio-client.mjs";
import { roomScenarios } from "./scenarios/rooms.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients")));
after(() => fixture?.stop());
afterEach(disconnectAll);

roomScenarios(() => fixture, "json");
