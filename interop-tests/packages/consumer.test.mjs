// The packages as an application gets them: samples/ConsumerSample, restored from the folder feed that
// `dotnet pack` filled (never from project references), run with the JIT and as a native AOT executable, with the
// real socket.io-client: a typed event on connect, acknowledgements, rooms and broadcasts, in the three transport
// modes. scripts/consumer-check.sh packs, restores, builds and publishes the two programs; scripts/test.sh runs it
// before the interop tests. A program that is not there is skipped, except under CI=true.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startDotnet } from "../lib/dotnet-process.mjs";
import { MODES, connect, createSocket, disconnectAll, request } from "../lib/socketio-client.mjs";
import { collectEvents, nextEvent, withTimeout } from "../lib/waiting.mjs";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONSUMER = path.join(REPO_ROOT, "artifacts", "consumer");
const STARTUP_TIMEOUT_MS = 30_000;
const LISTENING = /ConsumerSample listening on (http:\/\/\S+)/;

const BUILDS = [
  { name: "jit", command: "dotnet", args: [path.join(CONSUMER, "jit", "ConsumerSample.dll")], file: path.join(CONSUMER, "jit", "ConsumerSample.dll") },
  { name: "native aot", command: path.join(CONSUMER, "aot", "ConsumerSample"), args: [], file: path.join(CONSUMER, "aot", "ConsumerSample") },
];

for (const build of BUILDS) {
  const missing = !existsSync(build.file);
  if (missing && process.env.CI === "true") {
    test(`consumer sample (${build.name}) is built`, () => assert.fail(`${build.file} is missing: run scripts/consumer-check.sh`));
    continue;
  }

  describe(`consumer sample from the packages (${build.name})`, { skip: missing && `${build.file} is missing: run scripts/consumer-check.sh` }, () => {
    let server;
    before(async () => (server = await startSample(build)));
    after(async () => {
      disconnectAll();
      await server?.stop();
    });

    for (const mode of MODES) {
      describe(mode.name, () => {
        test("a client is welcomed by name with a source-generated record", async () => {
          // The welcome is emitted by the connection handler: it may come in the same polling payload as the CONNECT
          // reply, so the listener is there before the client connects.
          const socket = createSocket(server, mode, { auth: { name: "ada" } });
          const welcome = nextEvent(socket, "welcome", { failOn: ["connect_error"] });
          await nextEvent(socket, "connect", { failOn: ["connect_error"] });
          assert.deepEqual(await welcome, [{ id: socket.id, name: "ada" }]);
        });

        test("an acknowledgement returns the argument as sent", async () => {
          const socket = await connect(server, mode);
          const payload = { text: "héllo ✓", n: 42, nested: { list: [1, "two", null, true] } };
          assert.deepEqual(await request(socket, "echo", payload), payload);
        });

        test("rooms: join answers with the rooms, a broadcast reaches the room and only it", async () => {
          const [ada, bob, eve] = await Promise.all([
            connect(server, mode, { auth: { name: "ada" } }),
            connect(server, mode, { auth: { name: "bob" } }),
            connect(server, mode, { auth: { name: "eve" } }),
          ]);
          const state = await request(bob, "join", "lobby");
          assert.deepEqual(state, { joined: "lobby", rooms: [bob.id, "lobby"].sort() });

          // Bob hears Ada join; Ada does not hear her own join.
          const bobHearsJoin = nextEvent(bob, "joined");
          await request(ada, "join", "lobby");
          assert.deepEqual(await bobHearsJoin, ["ada", "lobby"]);
          await request(eve, "join", "other");

          // Ada says something to the lobby, then to the other room: Eve's first "said" is the second one, so the
          // lobby's never reached her.
          const adaHears = collectEvents(ada, "said", 1);
          const bobHears = collectEvents(bob, "said", 1);
          const eveHears = collectEvents(eve, "said", 1);
          ada.emit("say", { room: "lobby", text: "hi lobby" });
          ada.emit("say", { room: "other", text: "hi other" });
          assert.deepEqual(await adaHears, [{ from: "ada", room: "lobby", text: "hi lobby" }]);
          assert.deepEqual(await bobHears, [{ from: "ada", room: "lobby", text: "hi lobby" }]);
          assert.deepEqual(await eveHears, [{ from: "ada", room: "other", text: "hi other" }]);
        });
      });
    }
  });
}

/** Starts one build of the sample on a port the OS picks, and resolves once it says where it listens. */
async function startSample(build) {
  const { child, exited, listening, tail, stop } = startDotnet([...build.args, "--urls", "http://127.0.0.1:0"], {
    command: build.command,
    label: `consumer-${build.name}`,
    tailLines: 40,
    listeningOn: (line) => line.match(LISTENING)?.[1],
  });
  const early = exited.then(({ code, signal }) => {
    throw new Error(`the ${build.name} sample exited (code ${code}, signal ${signal}) before listening:\n${tail.join("\n")}`);
  });
  try {
    const url = await withTimeout(Promise.race([listening, early]), STARTUP_TIMEOUT_MS, `the ${build.name} sample to listen`);
    return { url, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
