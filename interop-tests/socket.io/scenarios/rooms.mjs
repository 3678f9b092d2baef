// Rooms and broadcast operators with several socket.io-client clients, in each transport mode. Run by
// rooms.test.mjs (JSON parser) and msgpack.test.mjs.
//
// "Did not receive" is proven with a marker: after the broadcast under test, a second broadcast goes to every
// client; events reach one client in order, so a client that gets the marker first never got the first one.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MODES, assertBytes, connect, request } from "../../lib/socketio-client.mjs";
import { nextEvent } from "../../lib/waiting.mjs";

/** Defines the scenarios; `server()` is the running fixture ("clients" suite) whose parser is `parser`. */
export function roomScenarios(server, parser) {
  /** Connects `count` clients to a fresh dynamic namespace, so that broadcasts of other tests never reach them. */
  async function clients(mode, count) {
    const nsp = `/dynamic-${Math.floor(Math.random() * 1e9)}`;
    return Promise.all(Array.from({ length: count }, () => connect(server(), mode, { parser, nsp })));
  }

  /**
   * Starts recording `event` on each of `sockets`; the returned function sends the marker broadcast from `sender`
   * and resolves with what each socket received before the marker.
   */
  function record(sockets, event) {
    const logs = sockets.map((socket) => {
      const events = [];
      const listener = (...args) => events.push(args);
      socket.on(event, listener);
      return { socket, events, listener };
    });
    return async (sender) => {
      const markers = sockets.map((socket) => nextEvent(socket, "marker"));
      await request(sender, "broadcast", { event: "marker", args: [] });
      await Promise.all(markers);
      for (const { socket, listener } of logs) socket.off(event, listener);
      return logs.map(({ events }) => events);
    };
  }

  for (const mode of MODES) {
    describe(`socket.io-client rooms and broadcasts, ${parser} parser (${mode.name})`, { timeout: 20_000 }, () => {
      it("joins and leaves rooms; a socket is always in the room of its own id", async () => {
        const [socket] = await clients(mode, 1);
        assert.deepEqual(await request(socket, "join", "red"), [socket.id, "red"].sort());
        assert.deepEqual(await request(socket, "join", "blue"), [socket.id, "red", "blue"].sort());
        assert.deepEqual(await request(socket, "leave", "red"), [socket.id, "blue"].sort());
      });

      it("broadcasts to a room's members only, once each even when the target names several of their rooms", async () => {
        const [a, b, c] = await clients(mode, 3);
        await request(a, "join", "red");
        await request(b, "join", "red");
        await request(b, "join", "blue");
        const received = record([a, b, c], "news");
        await request(c, "broadcast", { event: "news", args: ["hello", { n: 1 }], to: ["red", "blue"] });
        const [forA, forB, forC] = await received(c);
        assert.deepEqual(forA, [["hello", { n: 1 }]]);
        assert.deepEqual(forB, [["hello", { n: 1 }]], "b is in both rooms and gets it once");
        assert.deepEqual(forC, []);
      });

      it("excludes the rooms of Except, and the sender with socket.broadcast", async () => {
        const [a, b, c] = await clients(mode, 3);
        await request(a, "join", "red");
        await request(b, "join", "red");
        let received = record([a, b, c], "news");
        await request(c, "broadcast", { event: "news", args: ["not for red"], except: ["red"] });
        assert.deepEqual(await received(c), [[], [], [["not for red"]]]);

        received = record([a, b, c], "news");
        await request(a, "broadcast", { event: "news", args: ["from a"], to: ["red"], fromSocket: true });
        assert.deepEqual(await received(c), [[], [["from a"]], []], "socket.to(room) skips the sender");
      });

      it("stops delivering a room's broadcasts after leaving it", async () => {
        const [a, b] = await clients(mode, 2);
        await request(a, "join", "red");
        await request(a, "leave", "red");
        const received = record([a, b], "news");
        await request(b, "broadcast", { event: "news", args: [1], to: ["red"] });
        assert.deepEqual(await received(b), [[], []]);
      });

      it("broadcasts binary to every member", async () => {
        const [a, b] = await clients(mode, 2);
        const got = [nextEvent(a, "file"), nextEvent(b, "file")];
        await request(a, "broadcast", { event: "file", args: [{ name: "x", bytes: Buffer.from([7, 7, 7]) }] });
        for (const [file] of await Promise.all(got)) {
          assert.equal(file.name, "x");
          assertBytes(file.bytes, [7, 7, 7]);
        }
      });

      it("collects every member's ack of a broadcast with a timeout", async () => {
        const [a, b, c] = await clients(mode, 3);
        for (const socket of [a, b]) await request(socket, "join", "voters");
        a.on("vote", (callback) => callback("yes from a"));
        b.on("vote", (callback) => callback("yes from b"));
        const result = await request(c, "broadcast-with-ack", { event: "vote", to: ["voters"], timeoutMs: 5_000 });
        assert.equal(result.timedOut, false);
        assert.deepEqual(result.answers.sort(), ["yes from a", "yes from b"]);
      });

      it("reports a broadcast's timeout with the answers that came in time", async () => {
        const [a, b, c] = await clients(mode, 3);
        for (const socket of [a, b]) await request(socket, "join", "voters");
        a.on("vote", (callback) => callback("yes from a"));
        b.on("vote", () => {}); // never answers
        const result = await request(c, "broadcast-with-ack", { event: "vote", to: ["voters"], timeoutMs: 200 });
        assert.equal(result.timedOut, true);
        assert.deepEqual(result.answers, ["yes from a"]);
      });
    });
  }
}
