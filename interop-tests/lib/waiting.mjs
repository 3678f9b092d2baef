// Bounded waiting: every await in the interop tests goes through one of these, so no test can hang.

/** Rejects with a message naming `what` if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The arguments of the next `event` of an emitter (engine.io-client's component-emitter or a Node EventEmitter),
 * as an array. Rejects on timeout, or when one of `failOn` fires first (e.g. "close" while waiting for "message").
 */
export function nextEvent(emitter, event, { timeout = 5_000, failOn = [] } = {}) {
  const listeners = [];
  const listen = (name, handler) => {
    emitter.on(name, handler);
    listeners.push([name, handler]);
  };
  const settled = new Promise((resolve, reject) => {
    listen(event, (...args) => resolve(args));
    for (const name of failOn) {
      listen(name, (...args) => reject(new Error(`'${name}' (${describe(args)}) while waiting for '${event}'`)));
    }
  });
  return withTimeout(settled, timeout, `'${event}'`).finally(() => {
    for (const [name, handler] of listeners) emitter.off(name, handler);
  });
}

/** Collects the next `count` payloads of `event`; rejects on timeout or on any `failOn` event. */
export function collectEvents(emitter, event, count, { timeout = 5_000, failOn = [] } = {}) {
  const received = [];
  const listeners = [];
  const listen = (name, handler) => {
    emitter.on(name, handler);
    listeners.push([name, handler]);
  };
  const settled = new Promise((resolve, reject) => {
    if (count === 0) resolve(received);
    listen(event, (payload) => {
      received.push(payload);
      if (received.length === count) resolve(received);
    });
    for (const name of failOn) {
      listen(name, (...args) =>
        reject(new Error(`'${name}' (${describe(args)}) after ${received.length} of ${count} '${event}' events`)),
      );
    }
  });
  // The description is built when the timeout fires, so that it tells how far the collection got.
  const progress = { toString: () => `${count} '${event}' events (got ${received.length})` };
  return withTimeout(settled, timeout, progress).finally(() => {
    for (const [name, handler] of listeners) emitter.off(name, handler);
  });
}

/** Re-evaluates `condition` (sync or async) every `interval` ms until it returns a truthy value, which it returns. */
export async function waitUntil(condition, { timeout = 5_000, interval = 25, what = "a condition" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** Lets time pass. Only for what cannot be awaited otherwise (the heartbeat tests), or for polling in waitUntil. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(args) {
  return args
    .map((arg) => (arg instanceof Error ? arg.message : typeof arg === "object" ? safeJson(arg) : String(arg)))
    .join(", ");
}

function safeJson(value) {
  try {
    return JSON.stringify(value)?.slice(0, 200);
  } catch {
    return String(value);
  }
}
