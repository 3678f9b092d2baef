// Start-up time and idle memory of samples/ConsumerSample with the JIT and as native AOT (the two builds
// scripts/consumer-check.sh leaves in artifacts/consumer). The two are alternated run by run, so that a change in
// the machine's load touches both alike.
//
//   bash scripts/consumer-check.sh && node bench/aot/startup.mjs [--runs 10] [--report bench/results/aot-startup.md]
//
// For each run: the time from spawning the process to its "listening" line, then to the first socket.io-client
// connected over WebSocket (with its welcome event received); the resident set size (VmRSS, /proc) right after
// listening and after one connected client has been idle for 2 s; then the process is stopped.

import { spawn } from "node:child_process";
import { readFileSync, statSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg, cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONSUMER = path.join(ROOT, "artifacts", "consumer");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option("--runs", "10"));
const REPORT = option("--report", undefined);
const IDLE_MS = 2_000;
const TIMEOUT_MS = 30_000;

const builds = [
  { name: "JIT", command: "dotnet", args: [path.join(CONSUMER, "jit", "ConsumerSample.dll")], size: folderSize(path.join(CONSUMER, "jit")) },
  { name: "native AOT", command: path.join(CONSUMER, "aot", "ConsumerSample"), args: [], size: statSync(path.join(CONSUMER, "aot", "ConsumerSample")).size },
];

const samples = new Map(builds.map((b) => [b.name, []]));
const loads = [loadavg()[0]];
for (let run = 0; run < RUNS; run++) {
  for (const build of run % 2 === 0 ? builds : [...builds].reverse()) samples.get(build.name).push(await measure(build));
  loads.push(loadavg()[0]);
}

const lines = [];
lines.push("# Native AOT vs JIT: start-up time and idle memory (samples/ConsumerSample)", "");
lines.push(`Measured by \`node bench/aot/startup.mjs --runs ${RUNS}\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ` +
  `load average (1 min) between ${Math.min(...loads).toFixed(1)} and ${Math.max(...loads).toFixed(1)} during the runs ` +
  "(other builds and tests were running on the machine: absolute times are inflated and noisy; the two builds were alternated run by run).", "");
lines.push("Both builds are the same program from the same packages (`scripts/consumer-check.sh`): the JIT one is `dotnet ConsumerSample.dll` " +
  "(framework-dependent, tiered compilation, ReadyToRun framework), the AOT one `dotnet publish -r linux-x64 -p:PublishAot=true`. Both run with " +
  "server GC, the Web SDK's default. RSS is the process's resident set (`VmRSS` in `/proc/PID/status`).", "");
lines.push("| Metric (median, min-max over runs) | JIT | native AOT | AOT / JIT |", "| --- | ---: | ---: | ---: |");
const row = (label, key, unit, digits = 0) => {
  const [jit, aot] = builds.map((b) => stats(samples.get(b.name).map((s) => s[key])));
  lines.push(`| ${label} | ${fmt(jit, unit, digits)} | ${fmt(aot, unit, digits)} | ${(aot.median / jit.median).toFixed(2)} |`);
};
row("spawn to listening", "listenMs", "ms");
row("spawn to first client connected (WebSocket, welcome received)", "firstClientMs", "ms");
row("RSS right after listening", "rssListeningMb", "MB", 1);
row("RSS with one client connected, idle 2 s", "rssIdleMb", "MB", 1);
lines.push(`| on disk | ${(builds[0].size / 1e6).toFixed(1)} MB (folder, without the shared framework) | ${(builds[1].size / 1e6).toFixed(1)} MB (one file) | |`, "");
lines.push("Raw values (ms to listening / ms to first client / MB RSS listening / MB RSS idle):", "");
for (const build of builds) {
  lines.push(`- ${build.name}: ` + samples.get(build.name).map((s) => `${s.listenMs.toFixed(0)}/${s.firstClientMs.toFixed(0)}/${s.rssListeningMb.toFixed(1)}/${s.rssIdleMb.toFixed(1)}`).join(", "));
}
const report = lines.join("\n") + "\n";
process.stdout.write(report);
if (REPORT) writeFileSync(REPORT, report);
process.exit(0);

async function measure(build) {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const child = spawn(build.command, [...build.args, "--urls", "http://127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
  try {
    const url = await new Promise((resolve, reject) => {
      let pending = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk) => {
        pending += chunk;
        const match = pending.match(/ConsumerSample listening on (http:\/\/\S+)/);
        if (match) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`${build.name} exited with ${code} before listening`)));
    });
    const listenMs = elapsed();
    const rssListeningMb = rssMb(child.pid);
    const socket = io(url, { transports: ["websocket"], reconnection: false, auth: { name: "bench" } });
    await new Promise((resolve, reject) => {
      socket.once("welcome", resolve);
      socket.once("connect_error", reject);
    });
    const firstClientMs = elapsed();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const rssIdleMb = rssMb(child.pid);
    socket.disconnect();
    return { listenMs, firstClientMs, rssListeningMb, rssIdleMb };
  } finally {
    clearTimeout(killer);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  }
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+) kB/)[1]) / 1024;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function fmt({ median, min, max }, unit, digits) {
  return `${median.toFixed(digits)} ${unit} (${min.toFixed(digits)}-${max.toFixed(digits)})`;
}

function folderSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderSize(full) : statSync(full).size;
  }
  return total;
}
