// A small Staffroom WebSocket client for tests: connects with a bearer token or the session
// cookie, collects every frame, matches replies to requests by id, and bounds every wait.
import WebSocket from 'ws';

const DEFAULT_TIMEOUT_MS = 5000;

/** Rejects after ms with a message saying what was awaited. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Handshake headers for the given credentials. */
function handshakeHeaders({ token, cookie, origin, headers = {} }) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (cookie) h.Cookie = cookie.includes('=') ? cookie.split(';')[0] : `staffroom_session=${cookie}`;
  if (origin) h.Origin = origin;
  return h;
}

/**
 * Tries the WebSocket handshake and reports how it ended without throwing:
 * { status: 101, client } on success or { status: <HTTP status>, body } when refused before
 * the upgrade, or { status: 0, error } on a network error.
 */
export function tryConnect(wsUrl, options = {}) {
  const timeoutMs = options.timeoutMs || DEFAULT_TIMEOUT_MS;
  return withTimeout(new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { headers: handshakeHeaders(options), handshakeTimeout: timeoutMs });
    const client = new WsClient(ws);
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      const done = () => { resolve({ status: res.statusCode, headers: res.headers, body }); req.destroy(); };
      res.on('end', done);
      res.on('error', done);
      setTimeout(done, timeoutMs).unref();
    });
    ws.on('open', () => resolve({ status: 101, client }));
    ws.on('error', (error) => resolve({ status: 0, error }));
  }), timeoutMs + 500, `handshake with ${wsUrl}`);
}

/**
 * Connects and resolves to a WsClient once the server's hello event arrived (unless
 * waitHello is false). Rejects with err.statusCode when the handshake is refused.
 * options: { token, cookie, origin, headers, timeoutMs, waitHello }
 */
export async function connect(wsUrl, options = {}) {
  const r = await tryConnect(wsUrl, options);
  if (r.status !== 101) {
    const err = new Error(`WebSocket handshake refused: ${r.status} ${r.body || r.error?.message || ''}`);
    err.statusCode = r.status;
    throw err;
  }
  if (options.waitHello !== false) {
    await r.client.waitForEvent((e) => e.event === 'hello', options.timeoutMs || DEFAULT_TIMEOUT_MS);
  }
  return r.client;
}

/** One open connection: its frames, its pending requests and how it closed. */
export class WsClient {
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.messages = []; // every parsed frame, in arrival order
    this.events = []; // frames with an `event` field
    this.replies = []; // frames with an `ok` field (any id, including null)
    this.rawFrames = []; // frames that were not JSON (kept for diagnostics)
    this.pending = new Map(); // id -> resolve
    this.waiters = new Set(); // { predicate, resolve }
    this.closeInfo = null; // { code, reason } once closed
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    ws.on('error', () => { /* the close event reports the outcome */ });
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
  }

  onFrame(data, isBinary) {
    let msg;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      this.rawFrames.push({ data: data.toString('utf8'), isBinary });
      return;
    }
    this.messages.push(msg);
    if (msg && typeof msg === 'object' && 'event' in msg) this.events.push(msg);
    if (msg && typeof msg === 'object' && 'ok' in msg) {
      this.replies.push(msg);
      if (Number.isInteger(msg.id) && this.pending.has(msg.id)) {
        const resolve = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        resolve(msg);
      }
    }
    for (const w of [...this.waiters]) {
      if (w.predicate(msg)) {
        this.waiters.delete(w);
        w.resolve(msg);
      }
    }
  }

  get isOpen() { return this.ws.readyState === WebSocket.OPEN; }

  /** Sends {id, op, ...fields} and resolves to the reply frame (ok true or false). */
  request(op, fields = {}, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const id = this.nextId++;
    return this.requestWithId(id, { op, ...fields }, timeoutMs);
  }

  /** Sends {id, ...frame} with an explicit id and resolves to the reply with that id. */
  requestWithId(id, frame, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const reply = new Promise((resolve) => this.pending.set(id, resolve));
    this.ws.send(JSON.stringify({ id, ...frame }));
    return withTimeout(reply, timeoutMs, `reply to ${JSON.stringify(frame).slice(0, 120)} (id ${id})`)
      .finally(() => this.pending.delete(id));
  }

  /** Like request but throws unless the reply is ok. */
  async ok(op, fields = {}, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const r = await this.request(op, fields, timeoutMs);
    if (r.ok !== true) throw new Error(`${op} failed: ${JSON.stringify(r)}`);
    return r;
  }

  /** Sends a raw text (string) or binary (Buffer with binary: true) frame. */
  sendRaw(data, { binary = false } = {}) {
    this.ws.send(data, { binary });
  }

  /** Resolves with the first frame (already received or future) matching predicate. */
  waitForMessage(predicate, timeoutMs = DEFAULT_TIMEOUT_MS, { fromIndex = 0 } = {}) {
    const found = this.messages.slice(fromIndex).find(predicate);
    if (found) return Promise.resolve(found);
    return this.waitForNew(predicate, timeoutMs, 'a matching frame');
  }

  /** Resolves with the first event (already received or future) matching predicate. */
  waitForEvent(predicate, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const found = this.events.find(predicate);
    if (found) return Promise.resolve(found);
    const isEvent = (m) => m && typeof m === 'object' && 'event' in m && predicate(m);
    return this.waitForNew(isEvent, timeoutMs, 'a matching event');
  }

  /** Resolves with the next frame received from now on that matches predicate. */
  waitForNew(predicate, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'a matching frame') {
    let waiter;
    const p = new Promise((resolve) => {
      waiter = { predicate: (m) => { try { return predicate(m); } catch { return false; } }, resolve };
      this.waiters.add(waiter);
    });
    return withTimeout(p, timeoutMs, `${what}; events so far: ${JSON.stringify(this.events.map((e) => [e.event, e.channel_id, e.seq]))}`)
      .finally(() => this.waiters.delete(waiter));
  }

  /** Events matching predicate received so far. */
  eventsWhere(predicate) { return this.events.filter(predicate); }

  /** Events of one channel received so far (optionally of one kind). */
  channelEvents(channelId, kind) {
    return this.events.filter((e) => e.channel_id === channelId && (!kind || e.event === kind));
  }

  /** Resolves to {code, reason} when the connection closes (bounded). */
  waitClose(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return withTimeout(this.closed, timeoutMs, 'the connection to close');
  }

  /** Closes (bounded); terminates the socket if the close handshake does not finish. */
  async close(timeoutMs = 2000) {
    if (this.closeInfo) return this.closeInfo;
    try {
      this.ws.close(1000);
      return await withTimeout(this.closed, timeoutMs, 'close handshake');
    } catch {
      this.ws.terminate();
      return this.closeInfo;
    }
  }
}

/** Waits ms milliseconds (for "nothing else arrives" checks). */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
