// Raw HTTP/1.1 requests to the test server (literal paths, any headers, bounded), and the
// handful of account calls the integration tests repeat.
import http from 'node:http';

/**
 * Sends one request to 127.0.0.1 with the literal path (no URL normalisation) and resolves to
 * { status, headers, text, json }. body may be a string, a Buffer or an object (sent as JSON).
 * options: { method, headers, body, timeoutMs }
 */
export function httpRequest(baseUrl, path, options = {}) {
  const { port } = new URL(baseUrl);
  const method = options.method || (options.body !== undefined ? 'POST' : 'GET');
  let payload = options.body;
  const headers = { Connection: 'close', ...(options.headers || {}) };
  if (payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    payload = JSON.stringify(payload);
  }
  if (payload !== undefined) {
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  const timeoutMs = options.timeoutMs || 5000;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const timer = setTimeout(() => { req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)); }, timeoutMs);
    // A server may answer (413) and close before it read the whole body: the response wins.
    req.on('error', (e) => { clearTimeout(timer); reject(e); });
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Authorization header for a token. */
export function bearer(token) {
  return { Authorization: `Bearer ${token}` };
}

/** Cookie header for a token. */
export function sessionCookie(token) {
  return { Cookie: `staffroom_session=${token}` };
}

/** POST /api/register; resolves to the raw response. */
export function registerRaw(baseUrl, fields, headers = {}) {
  return httpRequest(baseUrl, '/api/register', { method: 'POST', body: fields, headers, timeoutMs: 20000 });
}

/** POST /api/login; resolves to the raw response. */
export function loginRaw(baseUrl, fields, headers = {}) {
  return httpRequest(baseUrl, '/api/login', { method: 'POST', body: fields, headers, timeoutMs: 20000 });
}

/** Registers and returns { user, token } or throws with the response. */
export async function registerUser(baseUrl, handle, password = 'correct horse battery', displayName) {
  const r = await registerRaw(baseUrl, { handle, password, ...(displayName ? { display_name: displayName } : {}) });
  if (r.status !== 201) throw new Error(`register ${handle}: ${r.status} ${r.text}`);
  return { user: r.json.user, token: r.json.token, setCookie: r.headers['set-cookie'] };
}

/** Parses Prometheus text into a Map of "name{labels}" -> number. */
export function parseMetrics(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)/);
    if (match) m.set(match[1], Number(match[2]));
  }
  return m;
}

/** Waits (bounded) until check() returns a truthy value; resolves to it. */
export async function eventually(check, timeoutMs = 5000, what = 'condition', intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
