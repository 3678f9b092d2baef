// The marketplace's live page: one user's view of the service's real-time events, over the public Socket.IO events
// and REST API only (README "The marketplace real-time service"). Plain JavaScript, no build step.
//
// Query parameters: ?user=buyer|provider|admin picks a sample user at once (development key only);
// ?transport=websocket|polling keeps the connection on one transport (default: polling, then the upgrade).
"use strict";

const params = new URLSearchParams(location.search);
const TRANSPORTS = { websocket: ["websocket"], polling: ["polling"] }[params.get("transport")] ?? ["polling", "websocket"];
const SAMPLE_LABELS = { user: "buyer", provider: "provider", admin: "admin" };
const ORDER_FLOW = ["pending", "confirmed", "processing", "shipped", "delivered"];
const NEXT_ACTION = { pending: ["confirmed", "Confirm"], confirmed: ["processing", "Start processing"], processing: ["shipped", "Ship"], shipped: ["delivered", "Mark delivered"] };
const DROP_SECONDS = 5;
const TYPING_IDLE_MS = 2500;

const $ = (id) => document.getElementById(id);
const state = {
  me: null, // {id, name, role}
  token: null,
  socket: null,
  names: new Map([["buyer-1", "Sample Buyer"], ["provider-1", "Sample Provider"], ["admin-1", "Sample Admin"]]),
  presence: new Map(), // userId -> status
  conversations: new Map(), // id -> {id, participants}
  active: null, // conversation id
  messages: new Map(), // message id -> {message, element}
  unreadFromOthers: new Set(), // message ids not yet reported read
  typing: new Map(), // userId -> timer
  listings: new Map(), // id -> {listing, element, previousPrice}
  orders: new Map(), // id -> {order, element, tracking}
  notifications: new Map(), // id -> {notification, element}
  dropTimer: null,
  typingSent: false,
  typingTimer: null,
};

// ---- small helpers ----------------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const nameOf = (id) => state.names.get(id) ?? id;
const money = (amount, currency) => `${Number(amount).toFixed(2)} ${currency}`;
const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "");
const isMine = (userId) => state.me && userId === state.me.id;

function clearEmpty(list) {
  list.querySelector(":scope > .empty")?.remove();
}

function log(event, payload) {
  const list = $("log");
  const text = payload === undefined ? "" : JSON.stringify(payload);
  list.prepend(el("li", {}, el("time", {}, clock(new Date().toISOString())), el("b", {}, event), " ", el("span", { class: "mono" }, text.length > 220 ? text.slice(0, 220) + "…" : text)));
  while (list.children.length > 80) list.lastChild.remove();
}

function flash(node) {
  node.classList.remove("flash");
  void node.offsetWidth; // restarts the animation
  node.classList.add("flash");
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${state.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text && (response.headers.get("content-type") || "").includes("json") ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = new Error(data?.detail || data?.title || `${method} ${path}: ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function report(error) {
  log("page error", { message: String(error?.message ?? error) });
  console.error(error);
}

/** Emits with an acknowledgement; resolves with the answer, or {ok: false} after 10 s without one. */
function ask(event, payload) {
  return state.socket.timeout(10_000).emitWithAck(event, payload).catch(() => ({ ok: false, error: { code: "TIMEOUT", message: "no answer" } }));
}

// ---- who am I ---------------------------------------------------------------------------------------------------

async function start() {
  $("picker").hidden = false;
  let samples = null;
  try {
    // Exists only while the service runs with its generated development key (404 otherwise).
    const response = await fetch("/api/dev/tokens");
    if (response.ok) samples = (await response.json()).users;
  } catch (error) {
    $("picker-error").textContent = `The service did not answer: ${error.message}`;
  }

  if (!samples) {
    $("picker-help").hidden = true;
    $("token-form").hidden = false;
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const token = $("token-input").value.trim().replace(/^Bearer\s+/i, "");
      const claims = decodeClaims(token);
      if (!claims) {
        $("picker-error").textContent = "That is not a JWT.";
        return;
      }
      signIn({ id: claims.sub, name: claims.name || claims.sub, role: claims.role }, token);
    });
    return;
  }

  const wanted = params.get("user");
  for (const sample of samples) {
    const label = SAMPLE_LABELS[sample.role] ?? sample.role;
    state.names.set(sample.id, sample.name);
    $("sample-users").append(
      el("button", { type: "button", class: `sample ${label}`, "data-user": label, onclick: () => signIn(sample, sample.token) },
        el("b", {}, label[0].toUpperCase() + label.slice(1)), el("span", {}, sample.name), el("code", {}, sample.id)),
    );
    if (wanted === label) signIn(sample, sample.token);
  }
}

function decodeClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch {
    return null;
  }
}

function signIn(user, token) {
  if (state.me) return;
  state.me = { id: user.id, name: user.name, role: user.role };
  state.token = token;
  state.names.set(user.id, user.name);
  document.body.dataset.role = user.role;
  $("picker").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  $("connection").hidden = false;
  $("me-name").textContent = user.name;
  $("me-role").textContent = SAMPLE_LABELS[user.role] ?? user.role;
  $("switch-user").href = location.pathname + (params.get("transport") ? `?transport=${params.get("transport")}` : "");
  document.title = `${user.name} · Marketplace live`;
  $("new-listing").hidden = user.role !== "provider";
  $("send-notification").hidden = user.role !== "admin";
  const counterpart = { user: "provider-1", provider: "buyer-1" }[user.role];
  if (counterpart) $("start-chat-user").value = counterpart;
  connect();
}

// ---- the connection ---------------------------------------------------------------------------------------------

function connect() {
  const socket = io({ transports: TRANSPORTS, auth: { token: `Bearer ${state.token}` } });
  state.socket = socket;
  setConnection("connecting");

  socket.io.on("open", () => {
    renderTransport();
    socket.io.engine.on("upgrade", renderTransport);
  });
  socket.io.on("reconnect_attempt", (n) => setConnection("reconnecting", `attempt ${n}`));

  socket.on("connect", async () => {
    setConnection("connected");
    renderTransport();
    $("conn-id").textContent = socket.id;
    if (socket.recovered) {
      // The server kept the session: same id, same rooms, and the events missed meanwhile arrive now, in order.
      $("conn-recovery").textContent = "recovered: same session, missed events replayed";
      log("connection recovered", { id: socket.id });
    } else {
      $("conn-recovery").textContent = state.loadedOnce ? "new session: state reloaded" : "";
      await loadAll().catch(report);
      state.loadedOnce = true;
      // What exists is on screen: a mark for whoever drives the page (the page tests wait for it).
      document.body.dataset.loaded = "true";
    }
    if (document.visibilityState === "hidden") socket.emit("presence.update", { status: "away" });
  });

  socket.on("disconnect", (reason) => {
    setConnection(state.dropTimer ? "offline" : "disconnected", reason);
    log("disconnect", { reason });
  });

  socket.on("connect_error", (error) => {
    const data = error.data ?? {};
    setConnection("refused", data.code ? `${data.code}: ${error.message}` : error.message);
    log("connect_error", { message: error.message, ...data });
    // The client does not retry a refusal by the service. A rate limit passes: try again when the service says.
    // A refused token stays refused: pick another user.
    if (!socket.active && data.code === "RATE_LIMIT") setTimeout(() => socket.connect(), Math.max(1, data.retryAfter ?? 5) * 1000);
  });

  socket.on("error", (error) => log("error", error));
  socket.on("ping", ({ timestamp }) => socket.emit("pong", { timestamp }));

  socket.on("presence.update", onPresence);
  socket.on("presence.typing", onTyping);
  socket.on("chat.message", onMessage);
  socket.on("chat.status", onMessageStatus);
  socket.on("chat.conversation.update", onConversationUpdate);
  socket.on("chat.error", (e) => log("chat.error", e));
  socket.on("listing.update", onListingUpdate);
  socket.on("listing.stock", onListingStock);
  socket.on("listing.views", (v) => log("listing.views", v));
  socket.on("order.status", onOrderStatus);
  socket.on("order.shipping", onOrderShipping);
  socket.on("order.payment", (p) => log("order.payment", p));
  socket.on("order.error", (e) => log("order.error", e));
  socket.on("notification.user", (n) => onNotification({ ...n, scope: "user" }, true));
  socket.on("notification.system", (n) => onNotification({ ...n, scope: "system", read: false, timestamp: new Date().toISOString() }, true));
}

function setConnection(status, detail) {
  $("conn-state").textContent = detail ? `${status} (${detail})` : status;
  $("conn-dot").className = `dot ${status}`;
  document.body.dataset.connection = status;
  $("drop").hidden = status !== "connected";
  $("reconnect").hidden = status !== "offline";
  if (status !== "connected") $("conn-id").textContent = "";
}

function renderTransport() {
  const name = state.socket?.io.engine?.transport?.name ?? "—";
  $("conn-transport").textContent = name;
  document.body.dataset.transport = name;
}

/** Drops the connection as a network failure would, keeps it down a few seconds, then lets the client resume. */
function dropConnection() {
  const socket = state.socket;
  if (!socket?.connected) return;
  $("conn-recovery").textContent = "";
  socket.io.reconnection(false);
  let left = DROP_SECONDS;
  state.dropTimer = setInterval(() => {
    left -= 1;
    if (left <= 0) reconnectNow();
    else setConnection("offline", `reconnecting in ${left} s`);
  }, 1000);
  socket.io.engine.close();
  setConnection("offline", `reconnecting in ${left} s`);
}

function reconnectNow() {
  clearInterval(state.dropTimer);
  state.dropTimer = null;
  setConnection("reconnecting");
  state.socket.io.reconnection(true);
  state.socket.connect();
}

// ---- loading what exists ----------------------------------------------------------------------------------------

async function loadAll() {
  const [conversations, presence, listings, notifications] = await Promise.all([
    api("GET", "/api/conversations"),
    api("GET", "/api/presence"),
    api("GET", "/api/listings"),
    api("GET", "/api/notifications"),
  ]);
  for (const contact of presence) {
    if (contact.name) state.names.set(contact.userId, contact.name);
    state.presence.set(contact.userId, contact.status);
  }
  renderPeople();

  state.conversations.clear();
  for (const c of conversations.filter((c) => c.status === "active")) addConversation(c.id, c.participants);
  const keep = state.conversations.has(state.active) ? state.active : conversations.find((c) => c.status === "active")?.id;
  renderConversationTabs();
  if (keep) await openConversation(keep);
  else renderChatHeader();

  $("listings").replaceChildren();
  state.listings.clear();
  for (const listing of listings.filter((l) => l.status !== "archived")) await showListing(listing);
  if (state.listings.size === 0) $("listings").append(el("li", { class: "empty" }, "No listings yet."));

  $("notifications").replaceChildren();
  state.notifications.clear();
  for (const n of notifications) onNotification(n, false);
  if (state.notifications.size === 0) $("notifications").append(el("li", { class: "empty" }, "Nothing yet."));

  // Orders the notifications speak of (new orders for a provider, status changes for a buyer), newest last.
  const orderIds = [...new Set(notifications.map((n) => n.metadata?.orderId).filter(Boolean)), ...state.orders.keys()];
  for (const id of new Set(orderIds)) await loadOrder(id).catch(report);
}

// ---- presence -----------------------------------------------------------------------------------------------------

function onPresence(update) {
  log("presence.update", update);
  state.presence.set(update.userId, update.status);
  renderPeople();
  renderChatHeader();
}

function renderPeople() {
  const list = $("people");
  list.replaceChildren();
  for (const [id, status] of state.presence) {
    if (isMine(id)) continue;
    list.append(el("li", { "data-user": id, "data-status": status }, el("span", { class: `dot ${status}` }), el("b", {}, nameOf(id)), " ", el("span", { class: "muted" }, status)));
  }
  if (!list.children.length) list.append(el("li", { class: "empty" }, "Nobody shares a conversation with you yet."));
}

function setAway() {
  if (state.socket?.connected) state.socket.emit("presence.update", { status: document.visibilityState === "hidden" ? "away" : "online" });
}

// ---- conversations and messages ---------------------------------------------------------------------------------

function addConversation(id, participants) {
  for (const p of participants) if (p.name) state.names.set(p.id, p.name);
  state.conversations.set(id, { id, participants: participants.map((p) => p.id) });
}

function onConversationUpdate(update) {
  log("chat.conversation.update", update);
  if (update.type === "new") {
    addConversation(update.conversationId, update.participants);
    renderConversationTabs();
    if (!state.active) openConversation(update.conversationId).catch(report);
    // Sharing a conversation makes the other participants contacts: where do they stand?
    api("GET", "/api/presence").then((contacts) => {
      for (const c of contacts) state.presence.set(c.userId, c.status);
      renderPeople();
      renderChatHeader();
    }, report);
  } else {
    state.conversations.delete(update.conversationId);
    if (state.active === update.conversationId) state.active = null;
    renderConversationTabs();
    renderChatHeader();
  }
}

function othersIn(conversationId) {
  return (state.conversations.get(conversationId)?.participants ?? []).filter((id) => !isMine(id));
}

function renderConversationTabs() {
  const tabs = $("chat-tabs");
  tabs.replaceChildren();
  if (state.conversations.size > 1) {
    for (const c of state.conversations.values()) {
      tabs.append(el("button", { type: "button", class: c.id === state.active ? "tab active" : "tab", onclick: () => openConversation(c.id).catch(report) }, othersIn(c.id).map(nameOf).join(", ")));
    }
  }
  $("start-chat").hidden = state.conversations.size > 0 || state.me.role === "admin";
  $("composer").hidden = !state.active;
}

function renderChatHeader() {
  const others = state.active ? othersIn(state.active) : [];
  $("chat-with").replaceChildren(
    ...others.map((id) => el("span", { class: "with" }, "with ", el("b", {}, nameOf(id)), " ", el("span", { class: `dot ${state.presence.get(id) ?? "offline"}`, title: state.presence.get(id) ?? "offline" }))),
  );
  $("composer").hidden = !state.active;
}

async function openConversation(id) {
  state.active = id;
  state.messages.clear();
  state.unreadFromOthers.clear();
  $("messages").replaceChildren();
  renderConversationTabs();
  renderChatHeader();
  const history = await ask("chat.history", { conversationId: id, limit: 50 });
  if (!history.ok) return log("chat.history", history);
  for (const message of history.messages.reverse()) showMessage(message);
  acknowledge(history.messages);
}

function showMessage(message) {
  if (state.messages.has(message.id)) return state.messages.get(message.id).element;
  if (message.sender.name) state.names.set(message.sender.id, message.sender.name);
  const mine = isMine(message.sender.id);
  const attachments = (message.attachments ?? []).map(renderAttachment);
  const element = el("li", { class: mine ? "message mine" : "message", "data-id": message.id, "data-status": message.status },
    el("div", { class: "bubble" }, el("div", { class: "text" }, message.content), attachments),
    el("div", { class: "meta" }, mine ? "" : `${nameOf(message.sender.id)} · `, clock(message.timestamp), mine ? el("span", { class: "ticks", title: message.status }) : null),
  );
  state.messages.set(message.id, { message, element });
  $("messages").append(element);
  element.scrollIntoView({ block: "nearest" });
  return element;
}

/** A listing shared in the chat is a link to its REST resource on this service: shown as a card, and watched. */
function renderAttachment(attachment) {
  const match = /\/api\/listings\/([A-Za-z0-9_-]+)$/.exec(attachment.url);
  if (match && new URL(attachment.url, location.href).origin === location.origin) {
    if (!state.listings.has(match[1])) api("GET", `/api/listings/${match[1]}`).then(showListing, report);
    return el("div", { class: "shared-listing" }, el("span", { class: "tag" }, "listing"), attachment.name ?? match[1]);
  }
  return el("a", { href: attachment.url, target: "_blank", rel: "noopener" }, attachment.name ?? attachment.url);
}

function onMessage(message) {
  log("chat.message", { from: message.sender.id, content: message.content });
  if (!state.conversations.has(message.conversationId)) return;
  if (message.conversationId !== state.active) {
    openConversation(message.conversationId).catch(report);
    return;
  }
  const typingTimer = state.typing.get(message.sender.id);
  if (typingTimer) {
    clearTimeout(typingTimer);
    state.typing.delete(message.sender.id);
    renderTyping();
  }
  showMessage(message);
  acknowledge([message]);
}

/** Reports the messages of others delivered, and read when the user is in the conversation (its input has focus). */
function acknowledge(messages) {
  for (const m of messages) {
    if (isMine(m.sender.id)) continue;
    if (m.status === "sent") state.socket.emit("chat.status", { messageId: m.id, conversationId: m.conversationId, status: "delivered" });
    if (m.status !== "read") state.unreadFromOthers.add(m.id);
  }
  if (document.activeElement === $("composer-input") && document.visibilityState === "visible") markRead();
}

function markRead() {
  for (const id of state.unreadFromOthers) {
    const entry = state.messages.get(id);
    if (entry) state.socket.emit("chat.status", { messageId: id, conversationId: entry.message.conversationId, status: "read" });
  }
  state.unreadFromOthers.clear();
}

function onMessageStatus(update) {
  log("chat.status", update);
  const entry = state.messages.get(update.messageId);
  if (!entry) return;
  entry.message.status = update.status;
  entry.element.dataset.status = update.status;
  entry.element.querySelector(".ticks").title = update.status;
}

function onTyping(update) {
  if (update.conversationId !== state.active) return;
  clearTimeout(state.typing.get(update.userId));
  if (update.isTyping) {
    // A client that vanished mid-sentence never says it stopped: the indicator goes away by itself.
    state.typing.set(update.userId, setTimeout(() => {
      state.typing.delete(update.userId);
      renderTyping();
    }, 8000));
  } else {
    state.typing.delete(update.userId);
  }
  renderTyping();
}

function renderTyping() {
  const names = [...state.typing.keys()].map(nameOf);
  $("typing").textContent = names.length ? `${names.join(", ")} ${names.length > 1 ? "are" : "is"} typing…` : "";
}

function typed() {
  if (!state.active || !state.socket.connected) return;
  if (!state.typingSent) {
    state.typingSent = true;
    state.socket.emit("presence.typing", { conversationId: state.active, isTyping: true });
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(state.typingTimer);
  if (!state.typingSent) return;
  state.typingSent = false;
  if (state.active) state.socket.emit("presence.typing", { conversationId: state.active, isTyping: false });
}

async function send(content, attachments) {
  const answer = await ask("chat.send", { conversationId: state.active, content, attachments, clientMessageId: crypto.randomUUID() });
  if (!answer.ok) return log("chat.send refused", answer.error);
  showMessage(answer.message);
}

// ---- listings -----------------------------------------------------------------------------------------------------

async function showListing(listing) {
  if (state.listings.has(listing.id)) return;
  clearEmpty($("listings"));
  const mineToEdit = isMine(listing.providerId) || state.me.role === "admin";
  const price = el("span", { class: "price" }, money(listing.price, listing.currency));
  const stock = el("span", { class: `stock ${listing.stockStatus}` });
  const actions = [];
  if (state.me.role === "user") {
    const quantity = el("input", { type: "number", min: 1, value: 1, class: "qty", "aria-label": "Quantity" });
    actions.push(quantity, el("button", { type: "button", class: "order", onclick: () => placeOrder(listing.id, Number(quantity.value)) }, "Order"));
  }
  if (mineToEdit) {
    const newPrice = el("input", { type: "number", min: 0, step: "0.01", value: listing.price, class: "new-price", "aria-label": "New price" });
    const newStock = el("input", { type: "number", min: 0, step: 1, value: listing.quantity, class: "new-stock", "aria-label": "New stock" });
    actions.push(
      newPrice, el("button", { type: "button", class: "set-price", onclick: () => api("PATCH", `/api/listings/${listing.id}`, { price: Number(newPrice.value) }).catch(report) }, "Set price"),
      newStock, el("button", { type: "button", class: "set-stock", onclick: () => api("PATCH", `/api/listings/${listing.id}/stock`, { quantity: Number(newStock.value) }).catch(report) }, "Set stock"),
    );
    if (isMine(listing.providerId)) actions.push(el("button", { type: "button", class: "share", onclick: () => shareListing(listing.id) }, "Share in chat"));
  }
  const element = el("li", { class: "card listing", "data-id": listing.id },
    el("div", { class: "row" }, el("b", { class: "title" }, listing.title), price),
    el("div", { class: "row muted" }, el("span", {}, `by ${nameOf(listing.providerId)}`), stock, el("span", { class: "change" })),
    actions.length ? el("div", { class: "actions" }, actions) : null,
  );
  state.listings.set(listing.id, { listing, element });
  renderStock(listing.id);
  $("listings").append(element);
  const answer = await ask("listing.subscribe", { listingId: listing.id });
  if (!answer.ok) log("listing.subscribe refused", answer.error);
}

function renderStock(id) {
  const { listing, element } = state.listings.get(id);
  const stock = element.querySelector(".stock");
  stock.className = `stock ${listing.stockStatus}`;
  stock.textContent = `${listing.quantity} in stock`;
  element.dataset.quantity = listing.quantity;
  const input = element.querySelector(".new-stock");
  if (input && document.activeElement !== input) input.value = listing.quantity;
  element.dataset.stock = listing.stockStatus;
}

function onListingUpdate(update) {
  log("listing.update", update);
  const entry = state.listings.get(update.listingId);
  if (!entry) return;
  const { listing, element } = entry;
  if (update.type === "price") {
    listing.price = update.changes.current;
    element.querySelector(".price").textContent = money(listing.price, listing.currency);
    element.querySelector(".change").textContent = `price was ${money(update.changes.previous, listing.currency)}`;
    element.dataset.price = listing.price;
    const input = element.querySelector(".new-price");
    if (input && document.activeElement !== input) input.value = listing.price;
    flash(element.querySelector(".price"));
  } else {
    listing[update.type] = update.changes.current;
    element.querySelector(".change").textContent = `${update.type}: ${update.changes.current}`;
  }
}

function onListingStock(update) {
  log("listing.stock", update);
  const entry = state.listings.get(update.listingId);
  if (!entry) return;
  entry.listing.quantity = update.quantity;
  entry.listing.stockStatus = update.status;
  renderStock(update.listingId);
  flash(entry.element.querySelector(".stock"));
}

async function shareListing(id) {
  const { listing } = state.listings.get(id);
  if (!state.active) return log("share", { message: "start a conversation first" });
  await send(`New listing: ${listing.title}, ${money(listing.price, listing.currency)}`, [{ type: "file", url: `${location.origin}/api/listings/${id}`, name: listing.title }]);
}

// ---- orders -------------------------------------------------------------------------------------------------------

async function placeOrder(listingId, quantity) {
  try {
    const order = await api("POST", "/api/orders", { listingId, quantity });
    showOrder(order);
  } catch (error) {
    log("order refused", { message: error.message });
  }
}

async function loadOrder(id) {
  showOrder(await api("GET", `/api/orders/${id}`));
}

function showOrder(order) {
  let entry = state.orders.get(order.id);
  if (!entry) {
    clearEmpty($("orders"));
    const element = el("li", { class: "card order", "data-id": order.id });
    entry = { order, element, tracking: null };
    state.orders.set(order.id, entry);
    $("orders").prepend(element);
  } else {
    entry.order = { ...entry.order, ...order };
  }
  renderOrder(order.id);
}

function renderOrder(id) {
  const { order, element, tracking } = state.orders.get(id);
  const title = state.listings.get(order.listingId)?.listing.title ?? order.listingId;
  const steps = ORDER_FLOW.map((s) => el("li", { class: ORDER_FLOW.indexOf(s) <= ORDER_FLOW.indexOf(order.status) ? "done" : "" }, s));
  const actions = [];
  if (isMine(order.providerId) || state.me.role === "admin") {
    const next = NEXT_ACTION[order.status];
    if (next) actions.push(el("button", { type: "button", class: `move to-${next[0]}`, onclick: () => moveOrder(id, next[0]) }, next[1]));
    if (order.status === "pending" || order.status === "confirmed") actions.push(el("button", { type: "button", class: "move to-cancelled secondary", onclick: () => moveOrder(id, "cancelled") }, "Cancel"));
  }
  element.dataset.status = order.status;
  element.replaceChildren(...[
    el("div", { class: "row" }, el("b", {}, `${order.quantity} × ${title}`), el("span", { class: `status ${order.status}` }, order.status)),
    el("div", { class: "row muted" }, el("span", {}, money(order.unitPrice * order.quantity, order.currency)), el("span", {}, isMine(order.buyerId) ? `from ${nameOf(order.providerId)}` : `for ${nameOf(order.buyerId)}`), el("code", {}, order.id)),
    order.status === "cancelled" ? null : el("ol", { class: "steps" }, steps),
    tracking ? el("div", { class: "muted" }, `tracking ${tracking}`) : null,
    actions.length ? el("div", { class: "actions" }, actions) : null,
  ].filter(Boolean));
  flash(element);
}

async function moveOrder(id, status) {
  const body = { status };
  if (status === "shipped") body.trackingNumber = `TRK-${Math.floor(Math.random() * 1e8).toString().padStart(8, "0")}`;
  try {
    await api("PATCH", `/api/orders/${id}/status`, body);
  } catch (error) {
    log("order refused", { message: error.message });
  }
}

function onOrderStatus(update) {
  log("order.status", update);
  const entry = state.orders.get(update.orderId);
  if (!entry) {
    loadOrder(update.orderId).catch(report);
    return;
  }
  entry.order.status = update.status;
  if (update.metadata?.trackingNumber) entry.tracking = update.metadata.trackingNumber;
  renderOrder(update.orderId);
}

function onOrderShipping(update) {
  log("order.shipping", update);
  const entry = state.orders.get(update.orderId);
  if (entry && update.trackingNumber) {
    entry.tracking = update.trackingNumber;
    renderOrder(update.orderId);
  }
}

// ---- notifications ------------------------------------------------------------------------------------------------

function onNotification(n, live) {
  if (live) log(`notification.${n.scope ?? "user"}`, { title: n.title, message: n.message });
  if (state.notifications.has(n.id)) return;
  clearEmpty($("notifications"));
  const element = el("li", { class: n.read ? "notification" : "notification unread", "data-id": n.id, title: n.read || n.scope === "system" ? "" : "Mark as read", onclick: () => readNotification(n.id) },
    el("div", { class: "row" }, el("b", {}, n.title), el("time", {}, clock(n.timestamp))),
    el("div", {}, n.message),
    n.scope === "system" ? el("span", { class: `badge ${n.priority ?? ""}` }, `everyone · ${n.priority ?? "normal"}`) : null,
  );
  state.notifications.set(n.id, { notification: n, element });
  $("notifications").prepend(element);
  if (live) flash(element);
  renderUnread();
  // A notification about an order brings the order onto the page.
  const orderId = n.metadata?.orderId;
  if (live && orderId) {
    const entry = state.orders.get(orderId);
    if (!entry) loadOrder(orderId).catch(report);
  }
}

async function readNotification(id) {
  const entry = state.notifications.get(id);
  if (!entry || entry.notification.read || entry.notification.scope === "system") return;
  const answer = await ask("notification.read", { id });
  if (!answer.ok) return log("notification.read refused", answer.error);
  entry.notification.read = true;
  entry.element.classList.remove("unread");
  renderUnread();
}

function renderUnread() {
  const count = [...state.notifications.values()].filter((e) => !e.notification.read && e.notification.scope !== "system").length;
  $("unread").hidden = count === 0;
  $("unread").textContent = count;
}

// ---- wiring -------------------------------------------------------------------------------------------------------

$("drop").addEventListener("click", dropConnection);
$("reconnect").addEventListener("click", reconnectNow);
$("refresh-listings").addEventListener("click", () => api("GET", "/api/listings").then(async (listings) => {
  for (const l of listings.filter((l) => l.status !== "archived")) await showListing(l);
}, report));
$("composer-input").addEventListener("input", typed);
$("composer-input").addEventListener("focus", markRead);
$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("composer-input");
  const content = input.value.trim();
  if (!content) return;
  input.value = "";
  stopTyping();
  send(content).catch(report);
});
$("start-chat").addEventListener("submit", (e) => {
  e.preventDefault();
  api("POST", "/api/conversations", { participantIds: [$("start-chat-user").value.trim()] }).catch(report);
});
$("new-listing").addEventListener("submit", (e) => {
  e.preventDefault();
  api("POST", "/api/listings", {
    title: $("new-listing-title").value.trim(),
    price: Number($("new-listing-price").value),
    currency: "EUR",
    quantity: Number($("new-listing-quantity").value),
    lowStockThreshold: 3,
  }).then(showListing, report);
});
$("send-notification").addEventListener("submit", (e) => {
  e.preventDefault();
  const userId = $("notify-user").value.trim();
  api("POST", "/api/notifications", { ...(userId ? { userId } : {}), type: "announcement", title: $("notify-title").value, message: $("notify-message").value, priority: "high" })
    .then(() => log("notification sent", { to: userId || "everyone" }), report);
});
document.addEventListener("visibilitychange", setAway);

start().catch(report);
