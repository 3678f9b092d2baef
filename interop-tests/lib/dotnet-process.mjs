// A .NET program of this repository run as a child process by a test file: the fixture server (lib/fixture.mjs)
// and the marketplace service (lib/marketplace.mjs). What both need lives here: the build to run, the children
// that must die with this process, the last lines of output for error messages, and a graceful stop.
//
// Environment:
//   FIXTURE_CONFIGURATION  Debug (default) or Release: which build to run.
//   FIXTURE_VERBOSE=1      copy all the child's output to stderr.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STOP_GRACE_MS = 5_000;

/**
 * How a child dies with this process even when this one is killed with SIGKILL, when no exit handler runs: a shell
 * keeps the child's stdin pipe (its other end is ours) in a background watcher and then replaces itself with the
 * program (exec), so the pid we hold is the program's own. When the pipe closes, because we closed it or because the
 * kernel did as we died, the watcher kills the program.
 */
const DIE_WITH_PARENT = 'exec 3<&0; (cat <&3 >/dev/null 2>&1; kill -KILL $$ 2>/dev/null) >/dev/null 2>&1 & exec "$@" 3<&-';

/** Every child still running, so that they die with this process however it ends. */
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

/**
 * The DLL `dllName` built under `projectDir` (relative to the repository) in the configuration chosen by
 * FIXTURE_CONFIGURATION; `what` names it in the error when it is not built.
 */
export function dotnetDllPath(projectDir, dllName, what) {
  const requested = process.env.FIXTURE_CONFIGURATION || "Debug";
  const configuration = { debug: "Debug", release: "Release" }[requested.toLowerCase()];
  if (!configuration) {
    throw new Error(`FIXTURE_CONFIGURATION must be Debug or Release, not '${requested}'`);
  }
  const dll = path.join(REPO_ROOT, projectDir, "bin", configuration, "net10.0", dllName);
  if (!existsSync(dll)) {
    throw new Error(
      `${what} not built: ${dll} is missing; run dotnet build first ` +
        `(dotnet build Marketplace.sln${configuration === "Release" ? " -c Release" : ""})`,
    );
  }
  return dll;
}

/**
 * Runs `dotnet args...` (or `command args...`: a native executable) and follows its output.
 * - `label` prefixes the lines copied to stderr; `tailLines` is how many recent lines are kept.
 * - `listeningOn(line)` returns a value (truthy) when the line says the program listens: `listening` resolves with it.
 * - The child's stderr is always copied to ours (warnings and errors are worth seeing), its stdout only with
 *   FIXTURE_VERBOSE. Never to our stdout: the test runner reads a test file's stdout as its report.
 * @returns {{child, exited: Promise<{code, signal}>, listening: Promise<any>, tail: string[], stop: () => Promise<void>}}
 */
export function startDotnet(args, { label, tailLines, listeningOn, cwd = undefined, command = "dotnet" }) {
  const verbose = process.env.FIXTURE_VERBOSE === "1";
  const child = spawnDyingWithParent(command, args, { cwd });
  running.add(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => running.delete(child));

  const tail = [];
  const remember = (line) => {
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
    if (verbose) process.stderr.write(`[${label}] ${line}\n`);
  };
  const listening = new Promise((resolve) => {
    lineReader(child.stdout, (line) => {
      remember(line);
      const value = listeningOn(line);
      if (value) resolve(value);
    });
  });
  lineReader(child.stderr, (line) => {
    remember(line);
    if (!verbose) process.stderr.write(`[${label}] ${line}\n`);
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  return { child, exited, listening, tail, stop };
}

/**
 * Spawns `command args...` with piped stdout and stderr, so that it dies with this process however this one ends,
 * SIGKILL included (see DIE_WITH_PARENT). `child.pid` is the program's pid.
 */
export function spawnDyingWithParent(command, args, { cwd = undefined } = {}) {
  const child = spawn("sh", ["-c", DIE_WITH_PARENT, "sh", command, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
  // Once the program is gone, closing the pipe ends its watcher.
  child.once("exit", () => child.stdin.destroy());
  return child;
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
