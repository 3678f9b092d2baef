// A mixed cluster over PostgreSQL: a Node socket.io 4.8.4 server with @socket.io/postgres-adapter 0.5.0 (on a pg
// pool) and two .NET fixture nodes (--postgres) on one private PostgreSQL, with a real socket.io-client on each node.
// The shared scenarios (scenarios/common.mjs: broadcasts, binary, acks, fetchSockets, room operations, server-side
// emits and the server count, both ways), then what only this adapter has: messages larger than a notification's
// payload go through the attachments table, both ways.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { createAdapter } from "@socket.io/postgres-adapter";
import { postgresSkipReason, startPostgres } from "../lib/postgres.mjs";
import { nextEvent } from "../lib/waiting.mjs";
import { T, call, clusterScenarios } from "./scenarios/common.mjs";

const postgresBackend = {
  async start() {
    const db = await startPostgres();
    const pool = new pg.Pool({ host: "127.0.0.1", port: db.port, user: "postgres", database: "postgres", max: 5 });
    // The npm package's README has the operator create the table; the .NET nodes would create it too.
    await pool.query("CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)");
    return {
      adapterArgs: [pool],
      fixtureArgs: [["--postgres", db.connectionString], ["--postgres", db.connectionString]],
      fields: { db, pool },
      async stop() {
        await pool.end().catch(() => {});
        await db.stop();
      },
    };
  },
};

describe("mixed Node/.NET cluster over @socket.io/postgres-adapter", { skip: postgresSkipReason() }, () => {
  const cluster = clusterScenarios({ createAdapter: (pool) => createAdapter(pool), backend: postgresBackend });

  test("a message larger than a notification goes through the attachments table, both ways", async () => {
    const attachments = async () => Number((await cluster.pool.query("SELECT count(*) AS n FROM socket_io_attachments")).rows[0].n);
    const large = "x".repeat(10_000);
    const before = await attachments();

    // Node to .NET.
    const received = nextEvent(cluster.d1, "large", { timeout: T });
    cluster.nodeIo.emit("large", large, 1);
    assert.deepEqual(await received, [large, 1]);
    assert.equal(await attachments(), before + 1, "the Node node stored it");

    // .NET to Node and to the other .NET node.
    const atNode = nextEvent(cluster.n, "large-back", { timeout: T });
    const atOther = nextEvent(cluster.d2, "large-back", { timeout: T });
    await call(cluster.d1, "broadcast", { event: "large-back", args: [large] });
    assert.deepEqual(await atNode, [large]);
    assert.deepEqual(await atOther, [large]);
    assert.equal(await attachments(), before + 2, "the .NET node stored it");
  });
});
