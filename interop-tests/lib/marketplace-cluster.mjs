// Several marketplace nodes on one private PostgreSQL and one private redis-server, as child processes of one test
// file, and socket.io-client users that stay on one node (sticky, as long-polling needs) until it dies, then move on.
//
//   const cluster = await startCluster({ nodes: 3, settings: { "Limits:ConnectionsPerUser": 2 } });
//   const socket = connectToNodes(cluster.urls, 0, cluster.token({ sub: "u1", role: "user" }), mode);
//   await cluster.nodes[0].kill("SIGKILL");
//   const rows = await cluster.postgres.query("SELECT id FROM messages");
//   await cluster.stop();
//
// Every process dies with the test process, however it ends (lib/dotnet-process.mjs, scripts/private-postgres.sh).

import { randomBytes } from "node:crypto";
import { io } from "socket.io-client";
import { mintToken, startMarketplace } from "./marketplace.mjs";
import { postgresSkipReason, startPostgres } from "./postgres.mjs";
import { redisSkipReason, startRedis } from "./redis.mjs";

/** Why cluster tests are skipped here (PostgreSQL or redis-server missing, and CI is not "true"), or false. */
export function clusterSkipReason() {
  return postgresSkipReason() || redisSkipReason();
}

/**
 * Starts PostgreSQL and Redis, then `nodes` marketplace instances at once (so their migrations race, as in a real
 * deployment) with one signing key, `Storage:Postgres`, `Realtime:Redis` and `settings`.
 */
export async function startCluster({ nodes = 3, settings = {} } = {}) {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const stopServices = () => Promise.all([postgres?.stop(), redis?.stop()]);
  if (!postgres || !redis) {
    await stopServices();
    throw new Error("PostgreSQL and redis-server are needed (see clusterSkipReason)");
  }
  const signingKey = randomBytes(32).toString("base64url");
  const common = {
    "Storage:Postgres": postgres.connectionString,
    "Realtime:Redis": redis.config,
    "Auth:SigningKey": signingKey,
    ...settings,
  };
  const started = await Promise.allSettled(
    Array.from({ length: nodes }, (_, i) => startMarketplace(common, { label: `node${i}` })),
  );
  const markets = started.filter((s) => s.status === "fulfilled").map((s) => s.value);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(markets.map((m) => m.stop()));
    await stopServices();
    throw failed.reason;
  }
  return {
    postgres,
    redis,
    nodes: markets,
    urls: markets.map((m) => m.url),
    signingKey,
    token: (claims, options) => mintToken(signingKey, claims, options),
    async stop() {
      await Promise.all(markets.map((m) => m.stop()));
      await stopServices();
    },
  };
}

/**
 * A socket.io-client socket for a user (`auth: {token: "Bearer …"}`) on `urls[first]`, which reconnects by itself
 * (100 ms, then up to 1 s between attempts) and moves to the next node of the list at each attempt: it stays on its
 * node while that one lives, as a load balancer with sticky sessions would keep it, and goes elsewhere when it dies.
 * The socket resumes its session on the new node when the cluster can (connection state recovery).
 * `socket.nodeIndex()` is the index of the node it is on (or trying).
 */
export function connectToNodes(urls, first, token, mode, options = {}) {
  let index = first;
  const socket = io(urls[index], {
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1_000,
    randomizationFactor: 0,
    auth: { token: `Bearer ${token}` },
    ...mode.options,
    ...options,
  });
  // The manager builds each new engine from `uri`: changing it before an attempt sends that attempt elsewhere.
  socket.io.on("reconnect_attempt", () => {
    index = (index + 1) % urls.length;
    socket.io.uri = urls[index];
  });
  socket.nodeIndex = () => index;
  return socket;
}
