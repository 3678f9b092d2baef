// Starts a private redis-server for one test file: a free loopback port, no persistence, stopped with the tests.
//
//   const redis = await startRedis();          // null when redis-server is missing (and CI is not "true")
//   ... redis.url is "redis://127.0.0.1:PORT", redis.config is "127.0.0.1:PORT" ...
//   await redis.stop();
//
// Under CI=true a missing redis-server is an error: the Redis tests must never pass by not running.

import { spawnSync } from "node:child_process";
import { createConnection } from "node:net";
import { spawnDyingWithParent } from "./dotnet-process.mjs";
import { findFreePort } from "./fixture.mjs";

const STARTUP_TIMEOUT_MS = 10_000;

/** The redis-server program, or null. */
export function redisServerPath() {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}

/** Why Redis tests are skipped here, or false when they run (node:test's `skip` option). */
export function redisSkipReason() {
  if (redisServerPath() || process.env.CI === "true") return false;
  return "redis-server is not installed (scripts/test.sh installs it; under CI=true these tests fail instead)";
}

export async function startRedis() {
  const program = redisServerPath();
  if (!program) {
    if (process.env.CI === "true") throw new Error("redis-server is not installed");
    return null;
  }
  const port = await findFreePort();
  // Dies with this process, even when that is killed with SIGKILL.
  const child = spawnDyingWithParent(program, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
  const output = [];
  child.stdout.on("data", (chunk) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk) => output.push(chunk.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // The server must not outlive the test process, even when a test crashes.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}\n${output.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    config: `127.0.0.1:${port}`,
    async stop() {
      process.off("exit", killOnExit);
      if (child.exitCode === null) child.kill("SIGKILL");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    },
  };
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
