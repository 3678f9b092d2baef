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

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import path from "node:path";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
// Another process may grab the free port between our probe and the server's bind: try a few ports.
const START_ATTEMPTS = 3;

/** Every fixture still running, so that they die with this process however it ends. */
const running = new Set();

process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    for (const child of running) child.kill("SIGKILL");
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });
}

/** The fixture server DLL of the configuration chosen by FIXTURE_CONFIGURATION. */
export function fixtureDllPath() {
  const requested = process.env.FIXTURE_CONFIGURATION || "Debug";
  const configuration = { debug: "Debug", release: "Release" }[requested.toLowerCase()];
  if (!configuration) {
    throw new Error(`FIXTURE_CONFIGURATION must be Debug or Release, not '${requested}'`);
  }
  const dll = path.join(REPO_ROOT, "interop-tests/fixture-server/bin", configuration, "net10.0/FixtureServer.dll");
  if (!existsSync(dll)) {
    throw new Error(
      `fixture server not built: ${dll} is missing; run dotnet build first ` +
        `(dotnet build Marketplace.sln${configuration === "Release" ? " -c Release" : ""})`,
    );
  }
  return dll;
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
 * @returns {Promise<{port: number, url: string, stop: () => Promise<void>}>}
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
  const child = spawn("dotnet", args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);

  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => running.delete(child));

  // The last lines of output go into error messages; with FIXTURE_VERBOSE everything goes to stderr too.
  // Never to stdout: the test runner reads a test file's stdout as its report.
  const tail = [];
  const remember = (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (verbose) process.stderr.write(`[fixture ${port}] ${line}\n`);
  };
  const listening = new Promise((resolve) => {
    lineReader(child.stdout, (line) => {
      remember(line);
      if (line.includes(`fixture-server listening on port ${port}`)) resolve();
    });
  });
  lineReader(child.stderr, (line) => {
    remember(line);
    // Warnings and errors of the server are worth seeing even when nobody asked for verbose output.
    if (!verbose) process.stderr.write(`[fixture ${port}] ${line}\n`);
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

  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
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
      resolve({ port, url: `http://127.0.0.1:${port}`, stop });
    });
  });
}

/** Calls `onLine` with each line `stream` writes (without its line break). */
export function lineReader(stream, onLine) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, newline).replace(/\r$/, ""));
      pending = pending.slice(newline + 1);
    }
  });
}
