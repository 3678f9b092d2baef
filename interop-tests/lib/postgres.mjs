// A private PostgreSQL cluster for one test file, through scripts/private-postgres.sh (initdb in a temporary folder,
// as the `postgres` user when root; a free loopback port; fsync off): the script stops the server and deletes the
// folder when this process closes its stdin, or dies.
//
//   const pg = await startPostgres();            // null when PostgreSQL is missing (and CI is not "true")
//   ... pg.connectionString is Npgsql's format; await pg.query("SELECT id FROM messages") is an array of rows ...
//   await pg.stop();
//
// Queries go through psql (Debian's postgresql package has it): rows come back as JSON objects.

import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { lineReader } from "./dotnet-process.mjs";
import { withTimeout } from "./waiting.mjs";

const SCRIPT = fileURLToPath(new URL("../../scripts/private-postgres.sh", import.meta.url));
const STARTUP_TIMEOUT_MS = 60_000;
const QUERY_TIMEOUT_MS = 15_000;

/** The folder of initdb, postgres and psql (the newest of Debian's versions, else PATH), or null. */
export function postgresBinDirectory() {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, "bin", "initdb")) && existsSync(path.join(debian, v, "bin", "psql")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return path.join(debian, versions[0], "bin");
  }
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? path.dirname(found.stdout.trim()) : null;
}

/** Why PostgreSQL tests are skipped here, or false when they run (node:test's `skip` option). */
export function postgresSkipReason() {
  if (postgresBinDirectory() || process.env.CI === "true") return false;
  return "PostgreSQL is not installed (scripts/test.sh installs it; under CI=true these tests fail instead)";
}

export async function startPostgres() {
  const bin = postgresBinDirectory();
  if (!bin) {
    if (process.env.CI === "true") throw new Error("PostgreSQL is not installed (no initdb)");
    return null;
  }
  // The script watches its own stdin (no watcher around it: it must get the chance to clean up).
  const child = spawn("bash", [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
  const output = [];
  const exited = new Promise((resolve) => child.once("exit", resolve));
  lineReader(child.stderr, (line) => output.push(line));
  const started = new Promise((resolve, reject) => {
    lineReader(child.stdout, (line) => {
      const match = /^started (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    exited.then((code) => reject(new Error(`private-postgres.sh exited (${code}) before the server started\n${output.join("\n")}`)));
  });

  // Closing the script's stdin stops the server and deletes the folder; the script exits once that is done.
  const stop = async () => {
    child.stdin.end();
    // The grace timer must not keep this process alive once the script is gone.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };

  let port;
  try {
    port = await withTimeout(started, STARTUP_TIMEOUT_MS, "the private PostgreSQL server");
  } catch (error) {
    await stop();
    throw error;
  }
  const psql = path.join(bin, "psql");
  return {
    port,
    connectionString: `Host=127.0.0.1;Port=${port};Username=postgres;Database=postgres`,
    /** The rows of one SQL query (a SELECT or anything with RETURNING), as plain objects. */
    query: (sql) => query(psql, port, sql),
    stop,
  };
}

function query(psql, port, sql) {
  const wrapped = `SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q`;
  const args = ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", wrapped];
  return new Promise((resolve, reject) => {
    execFile(psql, args, { timeout: QUERY_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`psql: ${stderr || error.message}\n${sql}`));
      else resolve(JSON.parse(stdout));
    });
  });
}
