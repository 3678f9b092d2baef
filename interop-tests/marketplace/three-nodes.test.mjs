// Three marketplace nodes on one PostgreSQL and one Redis, and one of them killed with SIGKILL while the marketplace
// is busy. Buyers, providers and an admin are real socket.io-client users spread over the nodes (WebSocket only,
// long-polling only, polling then upgrade); each stays on its node (sticky, as long-polling needs behind a load
// balancer) until that node dies, then moves to the next one and resumes its session there. While chat messages,
// order updates and notifications flow, node 0 is killed; afterwards:
// - every message, order update and notification acknowledged (to the sender, or by the REST API) reached every
//   recipient still there exactly once (user notifications, which the service may replay, after de-duplication by
//   id), in order per conversation and per order; nothing arrived twice;
// - the moved clients resumed their sessions on another node (same socket id);
// - presence settles to the truth, with one presence.update per real change (not one per node);
// - the per-user connection limit and the per-address connection rate hold across the nodes;
// - PostgreSQL holds every acknowledged row once, and no row twice; the three nodes that started together migrated
//   once.
// The run is the first test; the others check its record. About 12 s. Skipped without PostgreSQL or redis-server,
// except under CI=true. THREE_NODES_DEBUG=1 (with FIXTURE_VERBOSE=1) shows the nodes' Socket.IO debug log.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { clusterSkipReason, connectToNodes, startCluster } from "../lib/marketplace-cluster.mjs";
import { sleep, waitUntil, withTimeout } from "../lib/waiting.mjs";

const VICTIM = 0; // the node killed with SIGKILL
const CONNECTIONS_PER_USER = 2;
const CONNECTIONS_PER_IP = 40;
const SETTINGS = {
  // Heartbeats slow enough not to drop anyone on a loaded machine: the clients of the killed node notice at once
  // anyway (their TCP connections are reset by the kernel).
  "Realtime:PingInterval": "00:00:05",
  "Realtime:PingTimeout": "00:00:05",
  "Limits:ConnectionsPerUser": CONNECTIONS_PER_USER,
  "Limits:ConnectionsPerIp": CONNECTIONS_PER_IP,
  "Limits:ConnectionWindow": "00:10:00",
  "Limits:EventsPerWindow": 10_000,
  // A node that stops beating for 3 s is dead: its connections stop counting (presence, per-user limit).
  "Realtime:NodeHeartbeatInterval": "00:00:01",
  "Realtime:NodeTimeout": "00:00:03",
  // Broadcasts over Redis Streams, and recovery sessions kept in Redis: a client of a dead node resumes elsewhere.
  "Realtime:RedisStreams": true,
  "Logging:LogLevel:SocketIo": process.env.THREE_NODES_DEBUG ? "Debug" : "Warning",
};

const TRANSPORTS = {
  websocket: { transports: ["websocket"] },
  polling: { transports: ["polling"] },
  upgrade: {}, // polling, then the upgrade to WebSocket
};

// Who is where: [node, transport, options]. Node 0 dies; the leaver's client does not reconnect.
const CAST = [
  { id: "buyer-1", role: "user", clients: [[0, "websocket"]] },
  { id: "buyer-2", role: "user", clients: [[0, "polling"]] },
  { id: "buyer-3", role: "user", clients: [[1, "websocket"], [0, "polling"]] },
  { id: "buyer-4", role: "user", clients: [[2, "polling"]] },
  { id: "buyer-5", role: "user", clients: [[0, "upgrade"], [2, "websocket"]] },
  { id: "leaver", role: "user", clients: [[0, "websocket", { reconnection: false }]] },
  { id: "provider-1", role: "provider", clients: [[1, "polling"]] },
  { id: "provider-2", role: "provider", clients: [[2, "upgrade"]] },
  { id: "provider-3", role: "provider", clients: [[0, "websocket"]] },
  { id: "admin", role: "admin", clients: [[1, "websocket"]] },
];
const LEAVER = "leaver";
// The first participant creates the conversation. Nobody writes in the leaver's; the last one spans the three nodes.
const CONVERSATIONS = [
  ["buyer-1", "provider-1"],
  ["buyer-2", "provider-2"],
  ["buyer-3", "provider-3"],
  ["buyer-4", "provider-3"],
  ["buyer-5", "provider-2"],
  [LEAVER, "provider-1"],
  ["buyer-1", "buyer-4", "provider-2"],
];
// Each buyer orders from a provider it talks to; the provider moves the order along while the kill happens.
const ORDERS = [
  ["buyer-1", "provider-1"],
  ["buyer-2", "provider-2"],
  ["buyer-3", "provider-3"],
  ["buyer-4", "provider-3"],
  ["buyer-5", "provider-2"],
];
const ORDER_STEPS = ["confirmed", "processing", "shipped", "delivered"];

const SEND_INTERVAL_MS = 80; // per talker
const ACK_TIMEOUT_MS = 3_000; // a chat.send without an answer by then is sent again, with the same clientMessageId
const ORDER_STEP_INTERVAL_MS = 500;
const NOTIFY_INTERVAL_MS = 150;
const KILL_AFTER_MS = 1_500; // of traffic
const TRAFFIC_AFTER_MOVE_MS = 1_500; // once every moved client is back
const SETTLE_TIMEOUT_MS = 15_000;
const PRESENCE_TIMEOUT_MS = 20_000;

const now = () => performance.now();

let cluster;
/** The record of the run, checked by the tests after the first. */
const run = {
  done: false,
  users: new Map(), // id -> { id, role, token, clients: [client] }
  clients: [], // { user, label, home, socket, events: [{event, payload, at}], connects: [], errors: [] }
  conversations: [], // { id, participants }
  orders: [], // { id, buyer, provider, label, steps: [{ status, acked, inDoubt }] }
  sends: [], // { clientMessageId, conversationId, sender, content, sentAt, ackAt, id, attempts, firstAttemptAcked }
  userNotifications: [], // { id?, userId, title, acked }
  systemNotifications: [], // { id?, title, acked }
  killedAt: null,
  limitProbes: [], // { when, user, node, outcome }
  problems: [],
  closing: false,
};

describe("marketplace: three nodes on PostgreSQL and Redis, one killed with SIGKILL", { skip: clusterSkipReason(), timeout: 120_000 }, () => {
  before(async () => {
    cluster = await startCluster({ nodes: 3, settings: SETTINGS });
  }, { timeout: 90_000 });

  after(async () => {
    run.closing = true;
    for (const client of run.clients) client.socket.disconnect();
    await cluster?.stop();
  });

  it("runs chat, orders and notifications across the nodes while node 0 is killed with SIGKILL", { timeout: 60_000 }, async (t) => {
    const phases = [];
    const phase = async (name, work) => {
      const start = now();
      await work();
      phases.push(`${name} ${Math.round(now() - start)} ms`);
    };
    await phase("set-up", setUp);
    await phase("limit probe", () => probeUserLimit("before the kill"));
    await phase("traffic", traffic);
    await phase("settling", settle);
    await phase("limit probe", () => probeUserLimit("after the kill"));
    t.diagnostic(phases.join(", "));
    t.diagnostic(`clients back on other nodes ${Math.round(run.movedAt - run.killedAt)} ms after the kill`);
    for (const client of run.clients) {
      const refusals = client.errors.filter((e) => e.code);
      if (refusals.length > 0) t.diagnostic(`${client.label} refused ${refusals.length} times (${refusals[0].code}: ${refusals[0].message}) from ${since(refusals[0].at)} to ${since(refusals.at(-1).at)}`);
    }
    run.done = true;
    assert.deepEqual(run.problems, [], "problems during the run");
    const moved = run.clients.filter((c) => c.home === VICTIM && c.user.id !== LEAVER);
    for (const client of moved) {
      assert.ok(client.socket.connected, `${client.label} is connected again`);
      assert.notEqual(client.socket.nodeIndex(), VICTIM, `${client.label} moved to another node`);
    }
  });

  it("the clients of the killed node resumed their sessions on another node (same socket id)", (t) => {
    requireRun();
    const problems = [];
    for (const client of run.clients.filter((c) => c.home === VICTIM && c.user.id !== LEAVER)) {
      const [first, ...later] = client.connects;
      const resumed = later.filter((c) => c.node !== VICTIM);
      if (resumed.length === 0) problems.push(`${client.label}: never connected to another node`);
      else if (!resumed[0].recovered || resumed[0].id !== first.id) {
        problems.push(`${client.label}: a new session on node ${resumed[0].node} (recovered ${resumed[0].recovered}, id ${first.id} -> ${resumed[0].id})`);
      }
    }
    t.diagnostic(`${run.clients.filter((c) => c.home === VICTIM).length - 1} clients moved`);
    assertNoProblems(problems);
  });

  it("every acknowledged chat message reached every participant's clients exactly once, in order per conversation", (t) => {
    requireRun();
    const problems = [];
    const acked = run.sends.filter((s) => s.firstAttemptAcked);
    const inDoubt = run.sends.filter((s) => s.id && !s.firstAttemptAcked);
    const ackedBeforeKill = acked.filter((s) => s.ackAt < run.killedAt);
    t.diagnostic(`${run.sends.length} sent, ${acked.length} acknowledged at once (${ackedBeforeKill.length} before the kill), ${inDoubt.length} acknowledged after a retry`);
    assert.ok(ackedBeforeKill.length > 20, "messages flowed before the kill");
    assert.ok(acked.length - ackedBeforeKill.length > 20, "and after it");
    for (const client of liveClients()) {
      const received = client.events.filter((e) => e.event === "chat.message").map((e) => e.payload);
      const counts = countBy(received, (m) => m.id);
      for (const [id, n] of counts) if (n > 1) problems.push(`${client.label}: chat.message ${id} ${n} times`);
      for (const conversation of run.conversations.filter((c) => c.participants.includes(client.user.id))) {
        const sends = acked.filter((s) => s.conversationId === conversation.id);
        const missing = sends.filter((s) => !counts.has(s.id));
        if (missing.length > 0) {
          const beforeKill = missing.filter((s) => s.ackAt < run.killedAt).length;
          problems.push(`${client.label}: ${missing.length} of ${sends.length} acknowledged messages of ${conversation.label} missing (${beforeKill} acknowledged before the kill), e.g. ${missing[0].content}`);
        }
        // In order: a message sent after another was acknowledged arrives after it.
        const position = new Map(received.filter((m) => m.conversationId === conversation.id).map((m, i) => [m.id, i]));
        const known = run.sends.filter((s) => s.id && position.has(s.id) && s.conversationId === conversation.id);
        for (const later of known) {
          for (const earlier of known) {
            if (earlier.ackAt !== null && earlier.ackAt < later.sentAt && position.get(earlier.id) > position.get(later.id)) {
              problems.push(`${client.label}: '${later.content}' (sent ${since(later.sentAt)}) arrived before '${earlier.content}' (acknowledged ${since(earlier.ackAt)}, after ${earlier.attempts} attempts)`);
            }
          }
        }
      }
    }
    assertNoProblems(problems);
  });

  it("every acknowledged order update reached the buyer and the provider exactly once, in order", (t) => {
    requireRun();
    const problems = [];
    const acked = run.orders.flatMap((o) => o.steps.filter((s) => s.acked)).length;
    const inDoubt = run.orders.flatMap((o) => o.steps.filter((s) => s.inDoubt)).length;
    t.diagnostic(`${run.orders.length} orders, ${acked} status changes acknowledged, ${inDoubt} applied without an answer`);
    assert.ok(run.orders.every((o) => o.steps.length === ORDER_STEPS.length), "every order went through every step");
    for (const order of run.orders) {
      for (const client of liveClients().filter((c) => c.user.id === order.buyer || c.user.id === order.provider)) {
        const statuses = client.events.filter((e) => e.event === "order.status" && e.payload.orderId === order.id).map((e) => e.payload.status);
        const expected = ["pending", ...order.steps.map((s) => s.status)];
        for (const step of [{ status: "pending", acked: true }, ...order.steps]) {
          const n = statuses.filter((s) => s === step.status).length;
          if (n > 1 || (step.acked && n === 0)) problems.push(`${client.label}: order.status '${step.status}' of ${order.label} ${n} times`);
        }
        const inOrder = statuses.every((s, i) => i === 0 || expected.indexOf(s) > expected.indexOf(statuses[i - 1]));
        if (!inOrder) problems.push(`${client.label}: order.status of ${order.label} out of order: ${statuses.join(", ")}`);
      }
    }
    assertNoProblems(problems);
  });

  it("every acknowledged notification reached its user's clients (once after de-duplication by id), system ones exactly once", (t) => {
    requireRun();
    const problems = [];
    const userAcked = run.userNotifications.filter((n) => n.acked);
    const systemAcked = run.systemNotifications.filter((n) => n.acked);
    t.diagnostic(`${userAcked.length} user and ${systemAcked.length} system notifications acknowledged`);
    assert.ok(userAcked.length > 5 && systemAcked.length > 5, "notifications flowed");
    for (const client of liveClients()) {
      const user = client.events.filter((e) => e.event === "notification.user").map((e) => e.payload);
      const byId = new Map(user.map((n) => [n.id, n]));
      const replays = user.length - byId.size;
      if (replays > 0) t.diagnostic(`${client.label}: ${replays} notification.user received again (replayed)`);
      for (const notification of userAcked.filter((n) => n.userId === client.user.id)) {
        if (!byId.has(notification.id)) problems.push(`${client.label}: notification '${notification.title}' missing`);
      }
      // The order notifications: one per acknowledged change (to the buyer) and per new order (to the provider).
      for (const order of run.orders) {
        const steps = client.user.id === order.buyer ? order.steps : client.user.id === order.provider ? [{ status: "pending", acked: true }] : [];
        for (const step of steps) {
          const ids = [...byId.values()].filter((n) => n.metadata?.orderId === order.id && n.metadata?.status === step.status);
          if (ids.length > 1 || (step.acked && ids.length === 0)) problems.push(`${client.label}: ${ids.length} notifications for ${order.label} '${step.status}'`);
        }
      }
      const system = client.events.filter((e) => e.event === "notification.system").map((e) => e.payload);
      const systemCounts = countBy(system, (n) => n.id);
      for (const [id, n] of systemCounts) if (n > 1) problems.push(`${client.label}: notification.system ${id} ${n} times`);
      for (const notification of systemAcked) {
        if (!systemCounts.has(notification.id)) problems.push(`${client.label}: system notification '${notification.title}' missing`);
      }
    }
    assertNoProblems(problems);
  });

  it("presence settles to the truth, with one presence.update per real change", async () => {
    requireRun();
    const truth = (userId) => (userId === LEAVER ? "offline" : "online");
    const survivors = cluster.nodes.filter((_, i) => i !== VICTIM);
    // What GET /api/presence answers on every surviving node, for every user's contacts; the leaver's node is gone
    // without a word, so its connections count until the cluster notices.
    let wrong = [];
    try {
      await waitUntil(
        async () => {
          wrong = [];
          for (const user of [...run.users.values()].filter((u) => u.id !== LEAVER && u.role !== "admin")) {
            for (const node of survivors) {
              const answer = await node.api("GET", "/api/presence", user.token);
              if (answer.status !== 200) {
                wrong.push(`${user.id} on ${node.url}: HTTP ${answer.status}`);
                continue;
              }
              for (const contact of answer.body) {
                if (contact.status !== truth(contact.userId)) wrong.push(`${user.id} on ${node.url} sees ${contact.userId} ${contact.status}`);
              }
            }
          }
          return wrong.length === 0;
        },
        { timeout: PRESENCE_TIMEOUT_MS, interval: 250, what: "presence to settle" },
      );
    } catch {
      // Reported below with what was still wrong.
    }
    const problems = [...wrong];
    // The events each client received: no status twice in a row for a user, the last one the truth, and the
    // leaver's one offline.
    for (const client of liveClients()) {
      const contacts = contactsOf(client.user.id);
      for (const contact of contacts) {
        const statuses = client.events.filter((e) => e.event === "presence.update" && e.payload.userId === contact).map((e) => e.payload.status);
        const repeated = statuses.findIndex((s, i) => i > 0 && s === statuses[i - 1]);
        if (repeated > 0) problems.push(`${client.label}: presence.update of ${contact}: ${statuses.join(", ")} (the same status twice in a row)`);
        if (statuses.length > 0 && statuses.at(-1) !== truth(contact)) problems.push(`${client.label}: ${contact} last seen ${statuses.at(-1)}, is ${truth(contact)}`);
        if (contact === LEAVER) {
          const afterKill = client.events.filter((e) => e.event === "presence.update" && e.payload.userId === LEAVER && e.at > run.killedAt);
          if (afterKill.length !== 1 || afterKill[0].payload.status !== "offline") {
            problems.push(`${client.label}: after the kill, the leaver's presence.update: [${afterKill.map((e) => e.payload.status).join(", ")}], one 'offline' expected`);
          }
        }
      }
    }
    assertNoProblems(problems);
  });

  it("the per-user connection limit and the per-address connection rate hold across the nodes", async (t) => {
    requireRun();
    const problems = [];
    for (const probe of run.limitProbes) {
      if (probe.outcome !== "RATE_LIMIT") {
        problems.push(`${probe.when}: a connection of ${probe.user} (already connected ${CONNECTIONS_PER_USER} times) on node ${probe.node}: ${probe.outcome}`);
      }
    }
    // Every connection counts against the address's rate, on whichever node: open more until every surviving node
    // refuses, and count how many were accepted in the whole run.
    const survivors = [0, 1, 2].filter((i) => i !== VICTIM);
    const refusedOn = new Set();
    let accepted = 0;
    let refusedFor = null;
    for (let attempt = 0; refusedOn.size < survivors.length && attempt < CONNECTIONS_PER_IP + 5; attempt++) {
      const node = survivors[attempt % survivors.length];
      const token = cluster.token({ sub: `probe-${attempt}`, name: "Probe", role: "user" });
      const outcome = await tryConnect(node, token);
      if (outcome === "connected") accepted++;
      else if (outcome === "RATE_LIMIT") refusedOn.add(node);
      else refusedFor = outcome;
    }
    const connects = run.clients.reduce((sum, c) => sum + c.connects.length, 0) + run.limitProbes.filter((p) => p.outcome === "connected").length;
    t.diagnostic(`${connects} connections accepted during the run, ${accepted} more until refused (limit ${CONNECTIONS_PER_IP} per address)`);
    if (refusedFor) problems.push(`a probe connection failed otherwise: ${refusedFor}`);
    if (refusedOn.size < survivors.length) problems.push(`the address was not refused on every node: refused on [${[...refusedOn].join(", ")}] after ${accepted} more connections`);
    if (connects + accepted > CONNECTIONS_PER_IP) problems.push(`${connects + accepted} connections accepted from one address, limit ${CONNECTIONS_PER_IP}`);
    assertNoProblems(problems);
  });

  it("PostgreSQL holds every acknowledged row once and no row twice; the nodes migrated once", async (t) => {
    requireRun();
    const pg = cluster.postgres;
    const problems = [];

    const migrations = await pg.query("SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version");
    if (migrations.length === 0 || migrations.some((m, i) => m.n !== 1 || m.version !== i + 1)) problems.push(`schema_migrations: ${JSON.stringify(migrations)}`);

    const messages = await pg.query("SELECT id, sender_id, client_message_id, conversation_id, content FROM messages");
    const sentById = new Map(run.sends.map((s) => [s.clientMessageId, s]));
    for (const [key, n] of countBy(messages, (m) => `${m.sender_id}/${m.client_message_id}`)) if (n > 1) problems.push(`messages: ${key} stored ${n} times`);
    for (const [content, n] of countBy(messages, (m) => m.content)) if (n > 1) problems.push(`messages: '${content}' stored ${n} times`);
    const stored = new Map(messages.map((m) => [m.id, m]));
    for (const send of run.sends.filter((s) => s.id)) {
      const row = stored.get(send.id);
      if (!row) problems.push(`messages: acknowledged '${send.content}' (${send.id}) not stored`);
      else if (row.client_message_id !== send.clientMessageId || row.conversation_id !== send.conversationId) problems.push(`messages: ${send.id} stored as ${JSON.stringify(row)}`);
    }
    for (const row of messages) if (!sentById.has(row.client_message_id)) problems.push(`messages: a row nobody sent: ${JSON.stringify(row)}`);
    t.diagnostic(`${messages.length} messages stored for ${run.sends.length} sent`);

    const orders = await pg.query("SELECT id, status, buyer_id FROM orders");
    if (orders.length !== run.orders.length) problems.push(`orders: ${orders.length} rows for ${run.orders.length} orders placed`);
    for (const order of run.orders) {
      const row = orders.find((o) => o.id === order.id);
      const last = order.steps.at(-1);
      if (!row || row.status !== last.status) problems.push(`orders: ${order.label} is '${row?.status}', its last change was to '${last.status}'`);
    }

    const notifications = await pg.query("SELECT id, user_id, type, title, metadata FROM notifications");
    for (const [id, n] of countBy(notifications, (r) => r.id)) if (n > 1) problems.push(`notifications: ${id} ${n} times`);
    const byId = new Set(notifications.map((r) => r.id));
    for (const n of [...run.userNotifications, ...run.systemNotifications].filter((n) => n.acked)) {
      if (!byId.has(n.id)) problems.push(`notifications: acknowledged '${n.title}' (${n.id}) not stored`);
    }
    for (const [title, n] of countBy(notifications.filter((r) => r.type !== "order"), (r) => r.title)) if (n > 1) problems.push(`notifications: '${title}' stored ${n} times`);
    for (const order of run.orders) {
      for (const step of [{ status: "pending", acked: true }, ...order.steps]) {
        const rows = notifications.filter((r) => r.type === "order" && r.metadata?.orderId === order.id && r.metadata?.status === step.status);
        if (rows.length > 1 || (step.acked && rows.length === 0)) problems.push(`notifications: ${rows.length} rows for ${order.label} '${step.status}'`);
      }
    }

    const conversations = await pg.query("SELECT conversation_id, count(*)::int AS n FROM conversation_participants GROUP BY conversation_id");
    if (conversations.length !== run.conversations.length) problems.push(`conversations: ${conversations.length} for ${run.conversations.length} created`);
    for (const conversation of run.conversations) {
      const row = conversations.find((c) => c.conversation_id === conversation.id);
      if (row?.n !== conversation.participants.length) problems.push(`conversations: ${conversation.label} has ${row?.n} participants`);
    }
    assertNoProblems(problems);
  });
});

// --- The run ---------------------------------------------------------------------------------------------------

async function setUp() {
  for (const person of CAST) {
    run.users.set(person.id, { ...person, token: cluster.token({ sub: person.id, name: person.id, role: person.role }), clients: [] });
  }
  // Listings, then conversations, before anyone connects: every connection after that is a presence change some
  // contact hears of.
  const listings = new Map();
  for (const provider of new Set(ORDERS.map(([, p]) => p))) {
    const created = await rest(run.users.get(provider), "POST", "/api/listings", { title: `Lamp of ${provider}`, price: 10, currency: "EUR", quantity: 100 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    listings.set(provider, created.body.id);
  }
  for (const [creator, ...others] of CONVERSATIONS) {
    const created = await rest(run.users.get(creator), "POST", "/api/conversations", { participantIds: others });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    run.conversations.push({ id: created.body.id, participants: [creator, ...others], label: `conversation ${[creator, ...others].join("/")}` });
  }

  // One connection after the other, first every user's first client, then the second ones.
  const waves = [0, 1].map((wave) => CAST.flatMap((person) => (person.clients[wave] ? [[person, person.clients[wave]]] : [])));
  for (const [person, [node, transport, options]] of waves.flat()) {
    const user = run.users.get(person.id);
    const client = openClient(user, node, transport, options);
    await withTimeout(nextConnect(client), 10_000, `${client.label} to connect`);
  }

  for (const [buyer, provider] of ORDERS) {
    const created = await rest(run.users.get(buyer), "POST", "/api/orders", { listingId: listings.get(provider), quantity: 1 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    run.orders.push({ id: created.body.id, buyer, provider, steps: [], label: `order of ${buyer}` });
  }
  // Everything set up has arrived before the traffic starts.
  await waitUntil(
    () => run.orders.every((order) => liveClients().filter((c) => c.user.id === order.buyer || c.user.id === order.provider)
      .every((c) => c.events.some((e) => e.event === "order.status" && e.payload.orderId === order.id))),
    { timeout: 10_000, what: "the new orders' order.status on every client" },
  );
}

/** A client of `user` that starts on `node` and moves on when that node dies; what it receives is recorded. */
function openClient(user, node, transport, options = {}) {
  const socket = connectToNodes(cluster.urls, node, user.token, TRANSPORTS[transport], options);
  const client = { user, home: node, label: `${user.id}@node${node}/${transport}`, socket, events: [], connects: [], errors: [] };
  socket.on("connect", () => client.connects.push({ node: socket.nodeIndex(), id: socket.id, recovered: socket.recovered, at: now() }));
  socket.on("connect_error", (error) => {
    client.errors.push({ node: socket.nodeIndex(), code: error.data?.code, message: error.message, at: now() });
    // A refusal by the server (not a transport failure) is not retried by socket.io-client itself; an app would try
    // again shortly, as here. Transport failures are the manager's business (reconnection).
    if (error.data && options.reconnection !== false) setTimeout(() => run.closing || socket.connect(), 500);
  });
  socket.onAny((event, payload) => client.events.push({ event, payload, at: now() }));
  user.clients.push(client);
  run.clients.push(client);
  return client;
}

function nextConnect(client) {
  return new Promise((resolve, reject) => {
    client.socket.once("connect", resolve);
    client.socket.once("connect_error", reject);
  });
}

/** Chat, order changes and notifications; node 0 is killed on the way. */
async function traffic() {
  const started = now();
  const stop = { at: Infinity };
  const hardStop = started + 40_000;
  const talkers = [...run.users.values()].filter((u) => u.id !== LEAVER && u.role !== "admin");
  const work = [
    ...talkers.map((u) => talk(u, stop, hardStop)),
    ...run.orders.map((o) => advance(o, hardStop)),
    notify(stop),
  ];

  await sleep(KILL_AFTER_MS);
  run.killedAt = now();
  await withTimeout(cluster.nodes[VICTIM].kill("SIGKILL"), 5_000, "node 0 to die");
  const moved = run.clients.filter((c) => c.home === VICTIM && c.user.id !== LEAVER);
  await waitUntil(() => moved.every((c) => c.socket.connected && c.socket.nodeIndex() !== VICTIM), {
    timeout: 15_000,
    what: "the clients of the killed node to connect to another node",
  }).catch(() => {
    // The first test says which client is not back.
  });
  run.movedAt = now();
  stop.at = Math.max(now() + TRAFFIC_AFTER_MOVE_MS, started + 2 * KILL_AFTER_MS);
  await withTimeout(Promise.all(work), 45_000, "the traffic to end");
}

/** A user writes in each of its conversations in turn, one message at a time, until told to stop. */
async function talk(user, stop, hardStop) {
  const socket = user.clients[0].socket;
  const conversations = run.conversations.filter((c) => c.participants.includes(user.id) && !c.participants.includes(LEAVER));
  for (let k = 0; now() < stop.at; k++) {
    const conversation = conversations[k % conversations.length];
    const send = {
      clientMessageId: `${user.id}-${k}`,
      conversationId: conversation.id,
      sender: user.id,
      content: `${user.id} #${k}`,
      sentAt: now(),
      ackAt: null,
      id: null,
      attempts: 0,
      firstAttemptAcked: false,
    };
    run.sends.push(send);
    const payload = { conversationId: send.conversationId, content: send.content, clientMessageId: send.clientMessageId };
    while (send.id === null && now() < hardStop) {
      send.attempts++;
      try {
        const answer = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("chat.send", payload);
        if (!answer.ok) {
          run.problems.push(`${user.id}: chat.send '${send.content}' refused: ${JSON.stringify(answer.error)}`);
          break;
        }
        send.ackAt = now();
        send.id = answer.message.id;
        send.firstAttemptAcked = send.attempts === 1;
      } catch {
        // No answer: the node died with it, or it waits in the client's buffer. Sent again (the same
        // clientMessageId: stored once whichever node gets it).
      }
    }
    await sleep(SEND_INTERVAL_MS);
  }
}

/** The provider moves an order through its steps over REST, from its node (the next one when that one is gone). */
async function advance(order, hardStop) {
  const provider = run.users.get(order.provider);
  for (const status of ORDER_STEPS) {
    await sleep(ORDER_STEP_INTERVAL_MS);
    const step = { status, acked: false, inDoubt: false };
    while (!step.acked && !step.inDoubt && now() < hardStop) {
      const answer = await rest(provider, "PATCH", `/api/orders/${order.id}/status`, { status });
      if (answer.status === 200) step.acked = true;
      else if (answer.status === 0) {
        // The node died with the request: did it go through? Another node knows.
        const current = await rest(provider, "GET", `/api/orders/${order.id}`);
        if (current.status === 200 && current.body.status === status) step.inDoubt = true;
      } else {
        run.problems.push(`${order.label}: PATCH status ${status} answered ${answer.status} ${JSON.stringify(answer.body)}`);
        break;
      }
    }
    order.steps.push(step);
  }
}

/** The admin sends user notifications to each user in turn and system notifications, over REST, from every node. */
async function notify(stop) {
  const admin = run.users.get("admin");
  const recipients = [...run.users.values()].filter((u) => u.id !== LEAVER && u.role !== "admin");
  for (let k = 0; now() < stop.at; k++) {
    admin.restNode = k % 3; // spread over the nodes; a dead one fails and is skipped (see rest)
    if (k % 2 === 0) {
      const userId = recipients[(k / 2) % recipients.length].id;
      const record = { userId, title: `note ${k}`, acked: false };
      run.userNotifications.push(record);
      const answer = await rest(admin, "POST", "/api/notifications", { userId, type: "system", title: record.title, message: `for ${userId}` });
      if (answer.status === 201) Object.assign(record, { acked: true, id: answer.body.id });
    } else {
      const record = { title: `announcement ${k}`, acked: false };
      run.systemNotifications.push(record);
      const answer = await rest(admin, "POST", "/api/notifications", { type: "announcement", title: record.title, message: "to everyone" });
      if (answer.status === 201) Object.assign(record, { acked: true, id: answer.body.id });
    }
    await sleep(NOTIFY_INTERVAL_MS);
  }
}

/** Waits (bounded) until every live client has every acknowledged event; the checks then say what is missing. */
async function settle() {
  const expected = () => {
    const acked = run.sends.filter((s) => s.firstAttemptAcked);
    return liveClients().every((client) => {
      const ids = new Set(client.events.filter((e) => e.event === "chat.message").map((e) => e.payload.id));
      return acked.every((s) => ids.has(s.id) || !run.conversations.find((c) => c.id === s.conversationId).participants.includes(client.user.id));
    });
  };
  await waitUntil(expected, { timeout: SETTLE_TIMEOUT_MS, interval: 100, what: "every acknowledged message on every client" }).catch(() => {
    // What is missing is reported by the checks.
  });
}

/** A third connection of a user connected twice already, on a node where it has none: the limit must refuse it. */
async function probeUserLimit(when) {
  for (const user of [...run.users.values()].filter((u) => u.clients.length === CONNECTIONS_PER_USER)) {
    const used = new Set(user.clients.map((c) => c.socket.nodeIndex()));
    const alive = [0, 1, 2].filter((i) => run.killedAt === null || i !== VICTIM);
    // A node where the user has no connection yet, if there is one: a count per node would let it in.
    const node = alive.find((i) => !used.has(i)) ?? alive[0];
    if (user.clients.some((c) => !c.socket.connected)) {
      run.limitProbes.push({ when, user: user.id, node, outcome: `not probed: ${user.clients.filter((c) => !c.socket.connected).length} of its clients are not connected` });
      continue;
    }
    run.limitProbes.push({ when, user: user.id, node, outcome: await tryConnect(node, user.token) });
  }
}

/** Connects once to a node and disconnects: "connected", or the refusal's code. */
async function tryConnect(node, token) {
  const socket = connectToNodes(cluster.urls, node, token, TRANSPORTS.websocket, { reconnection: false });
  try {
    await withTimeout(new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    }), 5_000, "a probe connection");
    return "connected";
  } catch (error) {
    return error.data?.code ?? error.message;
  } finally {
    socket.disconnect();
  }
}

/** A REST call from the user's node; a node that does not answer (dead) is left for the next. Status 0: no answer. */
async function rest(user, method, route, body) {
  user.restNode ??= user.clients?.[0]?.home ?? 1;
  for (let tries = 0; tries < 3; tries++) {
    const node = cluster.nodes[user.restNode];
    try {
      return await node.api(method, route, user.token, body);
    } catch (error) {
      user.restNode = (user.restNode + 1) % cluster.nodes.length;
      // Anything but a read may have been applied before the node died: the caller finds out.
      if (method !== "GET") return { status: 0, error };
    }
  }
  return { status: 0 };
}

// --- Helpers of the checks ---------------------------------------------------------------------------------------

function requireRun() {
  assert.ok(run.done, "the run did not complete (see the first test)");
}

/** The clients still there: all but the leaver's. */
function liveClients() {
  return run.clients.filter((c) => c.user.id !== LEAVER);
}

/** Everyone who shares a conversation with the user. */
function contactsOf(userId) {
  return [...new Set(run.conversations.filter((c) => c.participants.includes(userId)).flatMap((c) => c.participants))].filter((id) => id !== userId);
}

/** A time of the run as "+123 ms" from the kill. */
function since(time) {
  const ms = Math.round(time - run.killedAt);
  return `${ms >= 0 ? "+" : ""}${ms} ms from the kill`;
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function assertNoProblems(problems) {
  assert.deepEqual(problems.slice(0, 25), [], `${problems.length} problems`);
}
