// The WebSocket connection: numbered requests answered by promises, server events, reconnect with backoff.

const MAX_BACKOFF_MS = 15000;
const REQUEST_TIMEOUT_MS = 20000;

/** An error reply (`code` from the protocol) or a lost connection (`code` "disconnected"). */
export class RequestError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** One logical connection that survives drops: reconnects 1 s, 2 s, 4 s … 15 s apart. */
export class Socket {
  /**
   * url: the ws(s):// address. stillSignedIn: async () => boolean, asked when a handshake
   * fails, so a dead session ends in the login form instead of endless retries.
   */
  constructor(url, { stillSignedIn = async () => true, onReady = async () => {} } = {}) {
    this.url = url;
    this.stillSignedIn = stillSignedIn;
    this.onReady = onReady;   // runs on each open before queued requests are sent (catch-up first)
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map();   // request id -> {op, fields, resolve, reject, resend, timer}
    this.waiting = [];          // resendable requests made while disconnected
    this.listeners = new Map();
    this.state = 'idle';
    this.attempt = 0;
    this.retryTimer = null;
    this.stopped = true;
    this.hasConnected = false;
    this.onOnline = () => { if (!this.stopped && this.state !== 'connected' && !this.ws) this.connectNow(); };
    this.onOffline = () => { if (!this.stopped && this.state !== 'connected') this.setState('offline'); };
  }

  /** Subscribes to 'state', 'open', 'event', 'signedout', 'queue' (requests waiting to be sent). Returns an unsubscribe function. */
  on(name, handler) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(handler);
    return () => this.listeners.get(name).delete(handler);
  }

  emit(name, ...args) {
    for (const handler of this.listeners.get(name) || []) {
      try { handler(...args); } catch (error) { reportError(error); }
    }
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connect();
  }

  /** Closes for good (log out): pending requests fail, no reconnect. */
  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    clearTimeout(this.retryTimer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'bye');
    }
    this.failPending(true);
    this.setState('idle');
  }

  connect() {
    if (this.stopped) return;
    this.setState(this.hasConnected ? 'reconnecting' : 'connecting');
    let opened = false;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      opened = true;
      const reconnected = this.hasConnected;
      this.hasConnected = true;
      this.attempt = 0;
      this.setState('connected');
      Promise.resolve().then(() => this.onReady({ reconnected })).catch(() => {}).then(() => {
        if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
        const waiting = this.waiting;
        this.waiting = [];
        for (const request of waiting) this.send(request);
        this.emit('queue', 0);
        this.emit('open', { reconnected });
      });
    });
    ws.addEventListener('message', (message) => { if (this.ws === ws) this.receive(message.data); });
    ws.addEventListener('close', (close) => { if (this.ws === ws) this.closed(close, opened); });
  }

  connectNow() {
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.connect();
  }

  async closed(close, opened) {
    this.ws = null;
    if (this.stopped) return;
    this.failPending(false);
    if (close.code === 1000 && close.reason === 'logged out') {
      this.stop();
      this.emit('signedout');
      return;
    }
    if (!opened) {
      let signedIn = true;
      try { signedIn = await this.stillSignedIn(); } catch { /* server unreachable: keep trying */ }
      if (this.stopped) return;
      if (!signedIn) {
        this.stop();
        this.emit('signedout');
        return;
      }
    }
    const delay = Math.min(1000 * 2 ** this.attempt, MAX_BACKOFF_MS);
    this.attempt += 1;
    this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Rejects in-flight requests; resendable ones wait for the next connection unless `all`. */
  failPending(all) {
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      if (request.resend && !all) this.waiting.push(request);
      else request.reject(new RequestError('disconnected', 'The connection was lost.'));
    }
    this.pending.clear();
    this.emit('queue', this.waiting.length);
    if (all) {
      for (const request of this.waiting) request.reject(new RequestError('disconnected', 'Signed out.'));
      this.waiting = [];
    }
  }

  /**
   * Sends {id, op, ...fields} and resolves with the reply's result fields.
   * resend: the op is idempotent (e.g. post.create with a client_id), so it waits out a
   * disconnection and is sent again on the next connection.
   */
  request(op, fields = {}, { resend = false } = {}) {
    return new Promise((resolve, reject) => {
      const request = { op, fields, resolve, reject, resend, timer: null };
      if (this.state === 'connected' && this.ws && this.ws.readyState === WebSocket.OPEN) this.send(request);
      else if (resend && !this.stopped) {
        this.waiting.push(request);
        this.emit('queue', this.waiting.length);
      }
      else reject(new RequestError('disconnected', 'Not connected to the server.'));
    });
  }

  send(request) {
    const id = this.nextId++;
    request.timer = setTimeout(() => {
      if (!this.pending.has(id)) return;
      this.pending.delete(id);
      request.reject(new RequestError('timeout', 'The server did not answer in time.'));
    }, REQUEST_TIMEOUT_MS);
    this.pending.set(id, request);
    this.ws.send(JSON.stringify({ ...request.fields, id, op: request.op }));
  }

  receive(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    if (!message || typeof message !== 'object') return;
    if (typeof message.event === 'string') {
      this.emit('event', message);
      return;
    }
    const request = this.pending.get(message.id);
    if (!request) return;
    this.pending.delete(message.id);
    clearTimeout(request.timer);
    if (message.ok) {
      const { id, ok, ...result } = message;
      request.resolve(result);
    } else {
      const error = message.error || {};
      const failure = new RequestError(error.code || 'internal', error.message || 'The request failed.');
      if (typeof error.retry_after === 'number') failure.retryAfter = error.retry_after;
      request.reject(failure);
    }
  }
}

/** ws://host/ws or wss://host/ws for this page's origin. */
export function socketUrl(location = window.location) {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
