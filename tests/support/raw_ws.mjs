// Raw RFC 6455 for tests: the upgrade handshake by hand over node:net, hand-built client frames
// (masked or not, any header bits, any claimed length) and a parser that keeps every server
// frame with its header bits, so tests can check the framing itself. Every wait is bounded.
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const OP = { cont: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa };

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455 4.2.2). */
export function acceptFor(key) {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/**
 * One client frame. payload: string or Buffer. options: fin (true), mask (true), rsv (0..7,
 * RSV1 = 4), len (the length the header claims; defaults to the payload's).
 */
export function frame(opcode, payload = '', { fin = true, mask = true, rsv = 0, len } = {}) {
  const data = Buffer.from(payload);
  const n = len ?? data.length;
  const bit = mask ? 0x80 : 0;
  let head;
  if (n < 126) {
    head = Buffer.from([0, bit | n]);
  } else if (n < 65536) {
    head = Buffer.alloc(4);
    head[1] = bit | 126;
    head.writeUInt16BE(n, 2);
  } else {
    head = Buffer.alloc(10);
    head[1] = bit | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  head[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (!mask) return Buffer.concat([head, data]);
  const key = randomBytes(4);
  for (let i = 0; i < data.length; i++) data[i] ^= key[i & 3];
  return Buffer.concat([head, key, data]);
}

/** A close frame's payload: the 2-byte status code and a reason (string or Buffer). */
export function closePayload(code, reason = '') {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return Buffer.concat([b, Buffer.from(reason)]);
}

/** Parses the frame at the start of buf, or returns null until it is complete. */
function parseFrame(buf) {
  if (buf.length < 2) return null;
  const masked = (buf[1] & 0x80) !== 0;
  let length = buf[1] & 0x7f;
  let off = 2;
  let lenBytes = 0;
  if (length === 126) {
    if (buf.length < 4) return null;
    [length, off, lenBytes] = [buf.readUInt16BE(2), 4, 2];
  } else if (length === 127) {
    if (buf.length < 10) return null;
    [length, off, lenBytes] = [Number(buf.readBigUInt64BE(2)), 10, 8];
  }
  const keyAt = off;
  if (masked) off += 4;
  if (buf.length < off + length) return null;
  const payload = Buffer.from(buf.subarray(off, off + length));
  if (masked) for (let i = 0; i < length; i++) payload[i] ^= buf[keyAt + (i & 3)];
  const f = { fin: (buf[0] & 0x80) !== 0, rsv: (buf[0] >> 4) & 7, opcode: buf[0] & 0xf, masked, lenBytes, length, payload, size: off + length };
  if (f.opcode === OP.text) {
    try { f.json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)); } catch { f.json = undefined; }
  }
  if (f.opcode === OP.close && length >= 2) [f.code, f.reason] = [payload.readUInt16BE(0), payload.subarray(2).toString('utf8')];
  return f;
}

/** One upgraded TCP connection: every server frame in arrival order, and whether TCP ended. */
export class RawWs {
  constructor(socket, rest) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.frames = [];
    this.seen = 0; // frames before this index were returned by waitFor
    this.ended = false;
    this.listeners = new Set();
    this.endedPromise = new Promise((resolve) => socket.once('close', () => { this.ended = true; resolve(); this.notify(); }));
    socket.on('error', () => { /* 'close' follows and reports the end */ });
    socket.on('data', (d) => this.onData(d));
    if (rest.length) this.onData(rest);
  }

  onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (let f = parseFrame(this.buf); f; f = parseFrame(this.buf)) {
      this.buf = this.buf.subarray(f.size);
      this.frames.push(f);
    }
    this.notify();
  }

  notify() { for (const l of [...this.listeners]) l(); }

  /** Writes bytes as they are (ignored once the socket is gone). */
  write(bytes) { if (!this.socket.destroyed) this.socket.write(bytes); }

  destroy() { this.socket.destroy(); }

  /** Resolves once check() returns a truthy value (re-checked on every frame and at the end). */
  until(check, ms = 3000, what = 'a condition') {
    let listener;
    const p = new Promise((resolve, reject) => {
      listener = () => {
        const v = check();
        if (v) resolve(v);
        else if (this.ended) reject(new Error(`the connection ended before ${what}; frames: ${this.describe()}`));
      };
      this.listeners.add(listener);
      listener();
    });
    return withTimeout(p, ms, () => `${what}; frames: ${this.describe()}`).finally(() => this.listeners.delete(listener));
  }

  /** The first frame after the last one waitFor returned that matches predicate. */
  waitFor(predicate, ms = 3000, what = 'a matching frame') {
    return this.until(() => {
      const i = this.frames.findIndex((f, k) => k >= this.seen && predicate(f));
      if (i < 0) return null;
      this.seen = i + 1;
      return this.frames[i];
    }, ms, what);
  }

  /** The next frame, whatever it is. */
  next(ms = 3000) { return this.waitFor(() => true, ms, 'the next frame'); }

  /** Resolves when the server has ended the TCP connection (bounded). */
  waitEnd(ms = 3000) { return withTimeout(this.endedPromise, ms, () => `the TCP connection to end; frames: ${this.describe()}`); }

  /** A short summary of the frames so far, for failure messages. */
  describe() {
    return JSON.stringify(this.frames.slice(-8).map((f) => `op${f.opcode}${f.fin ? '' : '/nofin'} len ${f.length}` +
      (f.code ? ` code ${f.code}` : '') + (f.opcode === OP.text ? ` ${f.payload.toString('utf8', 0, 60)}` : '')));
  }
}

/**
 * Upgrades GET /ws by hand on 127.0.0.1:port with the given extra headers. Resolves to
 * { status, headers (lowercased names), head (the response head), key, ws: RawWs }.
 */
export function rawConnect(port, headers = {}, timeoutMs = 5000) {
  const key = randomBytes(16).toString('base64');
  const lines = ['GET /ws HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  const socket = net.connect({ host: '127.0.0.1', port });
  const p = new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('error', reject);
      const text = head.subarray(0, end).toString('latin1');
      const [statusLine, ...rest] = text.split('\r\n');
      const parsed = Object.fromEntries(rest.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, head: text, key, ws: new RawWs(socket, head.subarray(end + 4)) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.once('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
  });
  return withTimeout(p, timeoutMs, 'the upgrade response').catch((e) => { socket.destroy(); throw e; });
}
