// Starts the C# fixture server (interop-tests/fixture-server) as a child process for one test file.
//
//   const fixture = await startFixture("engine.io");
//   const fixture = await startFixture("clients", { args: ["--parser", "msgpack"] });
//   ... fixture.url is "http://127.0.0.1:PORT", fixture.port is PORT ...
//   await fixture.stop();
//
// Environment:
//   FIXTURE_CONFIGURATION  Debug (default) or Release: which build of the fixture server to run.
//   FIXTURE_VERBOSE=1      start the server with --verbose and copy all its output to stderr.

import { createServer } from "node:net";
import { dotnetDllPath, startDotnet } from "./dotnet-process.mjs";

const STARTUP_TIMEOUT_MS = 30_000;
// Another process may grab the free port between our probe and the server's bind: try a few ports.
const START_ATTEMPTS = 3;

/** The fixture server DLL of the configuration chosen by FIXTURE_CONFIGURATION. */
export function fixtureDllPath() {
  return dotnetDllPath("interop-tests/fixture-server", "FixtureServer.dll", "fixture server");
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it when binding port 0). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the fixture server for `suite` (with more command-line `args`, see fixture-server/Program.cs) and resolves
 * once it prints its "listening" line.
 * @returns {Promise<{port: number, url: string, stop: () => Promise<void>, kill: () => Promise<any>}>}
 */
export async function startFixture(suite = "engine.io", { args = [] } = {}) {
  const dll = fixtureDllPath();
  let lastError;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    try {
      return await launch(dll, suite, port, args);
    } catch (error) {
      lastError = error;
      if (!error.exitedEarly) break; // a timeout will not get better with another port
    }
  }
  throw lastError;
}

function launch(dll, suite, port, extraArgs) {
  const verbose = process.env.FIXTURE_VERBOSE === "1";
  const args = [dll, "--suite", suite, "--port", String(port), ...extraArgs, ...(verbose ? ["--verbose"] : [])];
  const { child, exited, listening, tail, stop: stopChild } = startDotnet(args, {
    label: `fixture ${port}`,
    tailLines: 40,
    listeningOn: (line) => line.includes(`fixture-server listening on port ${port}`),
  });

  let started = false;
  let stopping = false;
  exited.then(({ code, signal }) => {
    // Tests that fail because the server went away must say so, or they only report refused connections.
    // (Its stderr has already been copied to ours.)
    if (started && !stopping) {
      process.stderr.write(`[fixture ${port}] the fixture server exited unexpectedly (code ${code}, signal ${signal})\n`);
    }
  });

  const stop = () => {
    stopping = true;
    return stopChild();
  };

  // As `kill -9`: no shutdown code runs in the server.
  const kill = () => {
    stopping = true;
    child.kill("SIGKILL");
    return exited;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`fixture server did not start within ${STARTUP_TIMEOUT_MS} ms\n${tail.join("\n")}`));
    }, STARTUP_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run dotnet: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const error = new Error(`fixture server exited (code ${code}, signal ${signal}) before listening\n${tail.join("\n")}`);
      error.exitedEarly = true;
      reject(error);
    });
    listening.then(() => {
      started = true;
      clearTimeout(timer);
      resolve({ port, url: `http://127.0.0.1:${port}`, stop, kill });
    });
  });
}
