// socket.io-client against a server whose endpoint takes fresh WebSocket connections at the connection level
// (`--direct-websockets`, UseSocketIoDirectWebSockets): the event, binary and room scenarios in every transport mode.
// WebSocket clients are served below ASP.NET Core's HTTP stack; polling, and the upgrade from polling, still go
// through it, on the same port.

import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startFixture } from "../lib/fixture.mjs";
import { disconnectAll } from "../lib/socketio-client.mjs";
import { binaryScenarios } from "./scenarios/binary.mjs";
import { eventScenarios } from "./scenarios/events.mjs";
import { roomScenarios } from "./scenarios/rooms.mjs";

let fixture;
before(async () => (fixture = await startFixture("clients", { args: ["--direct-websockets"] })));
after(() => fixture?.stop());
afterEach(disconnectAll);

const server = () => fixture;
eventScenarios(server, "json");
binaryScenarios(server, "json");
roomScenarios(server, "json");

describe("direct WebSockets", () => {
  it("answers the WebSocket handshake below the HTTP stack", async () => {
    // Kestrel's HTTP stack adds a Server header to every response, the 101 included; the connection-level handshake
    // writes only what RFC 6455 asks for. ws offers permessage-deflate, as socket.io-client does.
    const socket = new WebSocket(`ws://localhost:${fixture.port}/socket.io/?EIO=4&transport=websocket`);
    // Both listeners from the start: the open packet may arrive in the same tick as the 101.
    const firstMessage = new Promise((resolve) => socket.once("message", (...args) => resolve(args)));
    const [response] = await new Promise((resolve, reject) => {
      socket.once("upgrade", (...args) => resolve(args));
      socket.once("error", reject);
    });
    const [open] = await firstMessage;
    socket.close();
    assert.equal(response.statusCode, 101);
    assert.equal(response.headers.server, undefined);
    assert.equal(response.headers["sec-websocket-extensions"], undefined, "no extension is negotiated");
    assert.match(open.toString(), /^0\{"sid":"[^"]+","upgrades":\[\]/);
  });
});
