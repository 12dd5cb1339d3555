// HTTP surface of the real server: health, metrics, accounts, sessions, limits, static files,
// Origin checks. PROTOCOL.md "HTTP" is the reference for every expectation here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { httpRequest, bearer, sessionCookie, registerRaw, loginRaw, parseMetrics, eventually } from '../support/http.mjs';
import { connect, tryConnect } from '../support/ws_client.mjs';

const PASSWORD = 'correct horse battery';
const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let server;
let staticRoot;
let ana; // first account (admin)
let bob; // second account (member)

function assertErrorShape(r, status, code) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assert.ok(r.json && typeof r.json === 'object', `error body is JSON: ${r.text}`);
  assert.ok(r.json.error && typeof r.json.error === 'object', `has error object: ${r.text}`);
  assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0, 'error message is not empty');
}

function sessionCookieOf(r) {
  const cookies = [].concat(r.headers['set-cookie'] || []);
  return cookies.find((c) => c.startsWith('staffroom_session='));
}

function assertUser(u, { handle, role, displayName }) {
  assert.ok(Number.isInteger(u.id) && u.id >= 0, `user.id integer: ${JSON.stringify(u)}`);
  assert.equal(u.handle, handle);
  assert.equal(u.role, role);
  assert.equal(u.display_name, displayName ?? handle);
  assert.match(u.created_at, ISO_MS_Z);
}

before(async () => {
  // A static directory of our own, with a secret file beside it that must never be served.
  staticRoot = mkdtempSync(path.join(tmpdir(), 'staffroom-static-'));
  const staticDir = path.join(staticRoot, 'public');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Staffroom test</title><p>index-marker</p>\n');
  writeFileSync(path.join(staticDir, 'app.js'), 'export const marker = "app-marker";\n');
  writeFileSync(path.join(staticDir, 'style.css'), 'body { color: black; }\n');
  writeFileSync(path.join(staticRoot, 'secret.txt'), 'TOP-SECRET-OUTSIDE-STATIC\n');
  server = await startServer({ staticDir });
});

after(async () => {
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
  if (staticRoot) rmSync(staticRoot, { recursive: true, force: true });
});

test('GET /healthz answers 200 {status:"ok"} as JSON', async () => {
  const r = await httpRequest(server.url, '/healthz');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assert.equal(r.json.status, 'ok');
  assert.equal(typeof r.json.version, 'string');
  assert.ok(Number.isInteger(r.json.uptime_seconds) && r.json.uptime_seconds >= 0);
});

test('GET /metrics is Prometheus text with the documented series', async () => {
  const r = await httpRequest(server.url, '/metrics');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain/);
  for (const name of ['staffroom_connections', 'staffroom_posts_total', 'staffroom_commits_total',
    'staffroom_commit_batch_size', 'staffroom_checkpoints_total', 'staffroom_queue_drops_total',
    'staffroom_rate_limited_total', 'staffroom_commit_seconds', 'staffroom_checkpoint_seconds']) {
    assert.match(r.text, new RegExp(`^# TYPE ${name} `, 'm'), `TYPE line for ${name}`);
  }
  assert.match(r.text, /^# TYPE staffroom_connections gauge$/m);
  assert.match(r.text, /^# TYPE staffroom_posts_total counter$/m);
  assert.match(r.text, /^# TYPE staffroom_commits_total counter$/m);
  assert.match(r.text, /^# TYPE staffroom_commit_batch_size histogram$/m);
  assert.match(r.text, /^# TYPE staffroom_commit_seconds histogram$/m);
  assert.match(r.text, /^# TYPE staffroom_checkpoint_seconds histogram$/m);
  const m = parseMetrics(r.text);
  assert.ok(m.has('staffroom_connections'), 'staffroom_connections sample');
  assert.ok(m.has('staffroom_posts_total'), 'staffroom_posts_total sample');
  assert.ok(m.has('staffroom_commit_batch_size_bucket{le="+Inf"}'), 'histogram +Inf bucket');
  assert.ok(m.has('staffroom_commit_batch_size_count'), 'histogram _count');
  assert.ok(m.has('staffroom_commit_batch_size_sum'), 'histogram _sum');
  for (const [k, v] of m) assert.ok(Number.isFinite(v), `${k} is a number`);
});

test('register: first account is admin, 201 with 64-hex token and the session cookie', async () => {
  const r = await registerRaw(server.url, { handle: 'ana', password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assertUser(r.json.user, { handle: 'ana', role: 'admin' });
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  const cookie = sessionCookieOf(r);
  assert.ok(cookie, `Set-Cookie staffroom_session present: ${JSON.stringify(r.headers['set-cookie'])}`);
  assert.equal(cookie.split(';')[0], `staffroom_session=${r.json.token}`);
  const attrs = cookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'), cookie);
  assert.ok(attrs.includes('samesite=lax'), cookie);
  assert.ok(attrs.includes('path=/'), cookie);
  assert.ok(attrs.includes('max-age=31536000'), cookie);
  assert.ok(!attrs.includes('secure'), `no Secure without an https public-url: ${cookie}`);
  ana = { user: r.json.user, token: r.json.token };
});

test('register: later accounts are members; handles are lowercased; display_name kept', async () => {
  const r = await registerRaw(server.url, { handle: 'Bob.Smith', password: PASSWORD, display_name: 'Bob Smith' });
  assert.equal(r.status, 201, r.text);
  assertUser(r.json.user, { handle: 'bob.smith', role: 'member', displayName: 'Bob Smith' });
  assert.notEqual(r.json.user.id, ana.user.id);
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  assert.notEqual(r.json.token, ana.token);
  bob = { user: r.json.user, token: r.json.token };
});

test('register: a handle taken ignoring case is 409 conflict', async () => {
  assertErrorShape(await registerRaw(server.url, { handle: 'BOB.SMITH', password: PASSWORD }), 409, 'conflict');
  assertErrorShape(await registerRaw(server.url, { handle: 'Ana', password: PASSWORD }), 409, 'conflict');
});

test('register: handle rules (3-32 of a-z 0-9 _ . -) give 400 bad_request', async () => {
  const bad = ['ab', 'x'.repeat(33), 'has space', 'semi;colon', 'ünï', 'ana@school', 'tab\there', ''];
  for (const handle of bad) {
    const r = await registerRaw(server.url, { handle, password: PASSWORD });
    assertErrorShape(r, 400, 'bad_request');
  }
  assertErrorShape(await registerRaw(server.url, { password: PASSWORD }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 12345, password: PASSWORD }), 400, 'bad_request');
  // The longest allowed handle, with every allowed punctuation character.
  const longest = `a_b.c-${'d'.repeat(26)}`;
  assert.equal(longest.length, 32);
  const ok = await registerRaw(server.url, { handle: longest, password: PASSWORD });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.user.handle, longest);
});

test('register: password 8-256 code points, display name 1-64 without control chars', async () => {
  assertErrorShape(await registerRaw(server.url, { handle: 'pw.short', password: '1234567' }), 400, 'bad_request');
  // 7 code points but 14 bytes: lengths count code points, not bytes.
  assertErrorShape(await registerRaw(server.url, { handle: 'pw.multi', password: 'é'.repeat(7) }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 'pw.long', password: 'p'.repeat(257) }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 'pw.none' }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 'pw.num', password: 12345678 }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 'dn.long', password: PASSWORD, display_name: 'd'.repeat(65) }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 'dn.empty', password: PASSWORD, display_name: '' }), 400, 'bad_request');
  assertErrorShape(await registerRaw(server.url, { handle: 'dn.ctrl', password: PASSWORD, display_name: 'a\u0007b' }), 400, 'bad_request');
  // Exactly 8 code points of password and 64 code points (128 bytes) of display name are fine.
  const r = await registerRaw(server.url, { handle: 'edge.case', password: '12345678', display_name: 'é'.repeat(64) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.user.display_name, 'é'.repeat(64));
  const login = await loginRaw(server.url, { handle: 'edge.case', password: '12345678' });
  assert.equal(login.status, 200, login.text);
});

test('login: 200 with a new token and cookie; handle matched ignoring case', async () => {
  const r = await loginRaw(server.url, { handle: 'ANA', password: PASSWORD });
  assert.equal(r.status, 200, r.text);
  assertUser(r.json.user, { handle: 'ana', role: 'admin' });
  assert.equal(r.json.user.id, ana.user.id);
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  assert.notEqual(r.json.token, ana.token, 'a login is a new session');
  const cookie = sessionCookieOf(r);
  assert.ok(cookie && cookie.startsWith(`staffroom_session=${r.json.token}`), String(cookie));
  // Both sessions work.
  assert.equal((await httpRequest(server.url, '/api/session', { headers: bearer(r.json.token) })).status, 200);
  assert.equal((await httpRequest(server.url, '/api/session', { headers: bearer(ana.token) })).status, 200);
});

test('login: wrong password and unknown handle are both 401 with the same message', async () => {
  const wrong = await loginRaw(server.url, { handle: 'ana', password: 'not the password' });
  assertErrorShape(wrong, 401, 'unauthorized');
  const unknown = await loginRaw(server.url, { handle: 'nobody.here', password: PASSWORD });
  assertErrorShape(unknown, 401, 'unauthorized');
  assert.equal(wrong.json.error.message, unknown.json.error.message, 'no hint which of the two was wrong');
  assert.equal(wrong.headers['set-cookie'], undefined, 'no cookie on a failed login');
});

test('GET /api/session: bearer and cookie give the user, none or bad token 401', async () => {
  const viaBearer = await httpRequest(server.url, '/api/session', { headers: bearer(bob.token) });
  assert.equal(viaBearer.status, 200, viaBearer.text);
  assert.deepEqual(viaBearer.json.user, bob.user);
  const viaCookie = await httpRequest(server.url, '/api/session', { headers: sessionCookie(bob.token) });
  assert.equal(viaCookie.status, 200, viaCookie.text);
  assert.equal(viaCookie.json.user.id, bob.user.id);
  assertErrorShape(await httpRequest(server.url, '/api/session'), 401, 'unauthorized');
  assertErrorShape(await httpRequest(server.url, '/api/session', { headers: bearer('0'.repeat(64)) }), 401, 'unauthorized');
  assertErrorShape(await httpRequest(server.url, '/api/session', { headers: bearer('garbage') }), 401, 'unauthorized');
  assertErrorShape(await httpRequest(server.url, '/api/session', { headers: sessionCookie('f'.repeat(64)) }), 401, 'unauthorized');
});

test('logout ends only that session, clears the cookie and closes its sockets with 1000', async () => {
  const login = await loginRaw(server.url, { handle: 'bob.smith', password: PASSWORD });
  assert.equal(login.status, 200, login.text);
  const token = login.json.token;
  const viaBearer = await connect(server.wsUrl, { token });
  const viaCookie = await connect(server.wsUrl, { cookie: token });
  const otherSession = await connect(server.wsUrl, { token: bob.token });
  try {
    const r = await httpRequest(server.url, '/api/logout', { method: 'POST', headers: bearer(token) });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { status: 'ok' });
    const cleared = sessionCookieOf(r);
    assert.ok(cleared, `logout clears the cookie: ${JSON.stringify(r.headers['set-cookie'])}`);
    assert.ok(/max-age=0/i.test(cleared) || /expires=thu, 01 jan 1970/i.test(cleared), cleared);

    for (const ws of [viaBearer, viaCookie]) {
      const closed = await ws.waitClose(5000);
      assert.equal(closed.code, 1000);
      assert.equal(closed.reason, 'logged out');
    }
    assertErrorShape(await httpRequest(server.url, '/api/session', { headers: bearer(token) }), 401, 'unauthorized');
    assertErrorShape(await httpRequest(server.url, '/api/logout', { method: 'POST', headers: bearer(token) }), 401, 'unauthorized');
    const again = await tryConnect(server.wsUrl, { token });
    assert.equal(again.status, 401);
    // The other session of the same user is untouched.
    assert.equal(otherSession.isOpen, true);
    const list = await otherSession.request('channel.list');
    assert.equal(list.ok, true, JSON.stringify(list));
    assert.equal((await httpRequest(server.url, '/api/session', { headers: bearer(bob.token) })).status, 200);
  } finally {
    await viaBearer.close();
    await viaCookie.close();
    await otherSession.close();
  }
});

test('logout by cookie works too', async () => {
  const login = await loginRaw(server.url, { handle: 'bob.smith', password: PASSWORD });
  assert.equal(login.status, 200, login.text);
  const r = await httpRequest(server.url, '/api/logout', { method: 'POST', headers: sessionCookie(login.json.token) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await httpRequest(server.url, '/api/session', { headers: sessionCookie(login.json.token) })).status, 401);
  assertErrorShape(await httpRequest(server.url, '/api/logout', { method: 'POST' }), 401, 'unauthorized');
});

test('malformed JSON bodies are 400 bad_request with the error shape', async () => {
  for (const body of ['{"handle": "x", ', 'not json at all', '[1,2,3]', 'null', '"string"']) {
    assertErrorShape(await httpRequest(server.url, '/api/login', { method: 'POST', body }), 400, 'bad_request');
    assertErrorShape(await httpRequest(server.url, '/api/register', { method: 'POST', body }), 400, 'bad_request');
  }
  // Invalid UTF-8 inside a JSON string.
  const invalidUtf8 = Buffer.concat([Buffer.from('{"handle":"ab'), Buffer.from([0xff, 0xfe]), Buffer.from('c","password":"correct horse battery"}')]);
  assertErrorShape(await httpRequest(server.url, '/api/register', { method: 'POST', body: invalidUtf8 }), 400, 'bad_request');
});

test('a JSON body over 64 KiB is 413 too_large; one just under is judged on its fields', async () => {
  const big = JSON.stringify({ handle: 'big.body', password: 'p'.repeat(70 * 1024) });
  assertErrorShape(await httpRequest(server.url, '/api/register', { method: 'POST', body: big }), 413, 'too_large');
  const under = JSON.stringify({ handle: 'big.body', password: 'p'.repeat(60 * 1024) });
  assertErrorShape(await httpRequest(server.url, '/api/register', { method: 'POST', body: under }), 400, 'bad_request');
});

test('static: GET / serves index.html with the CSP and security headers', async () => {
  const r = await httpRequest(server.url, '/');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/html/);
  assert.match(r.text, /index-marker/);
  const csp = String(r.headers['content-security-policy'] || '');
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
    assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp}`);
  }
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), csp);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.match(String(r.headers['cache-control']), /no-cache/);
  assert.ok(r.headers.etag, 'ETag header');
  const again = await httpRequest(server.url, '/', { headers: { 'If-None-Match': r.headers.etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
});

test('static: files get their content type; missing ones 404; POST is 405; HEAD has no body', async () => {
  const js = await httpRequest(server.url, '/app.js');
  assert.equal(js.status, 200);
  assert.match(String(js.headers['content-type']), /^(text|application)\/javascript/);
  assert.match(js.text, /app-marker/);
  assert.equal(js.headers['x-content-type-options'], 'nosniff');
  const css = await httpRequest(server.url, '/style.css');
  assert.equal(css.status, 200);
  assert.match(String(css.headers['content-type']), /^text\/css/);
  assert.equal((await httpRequest(server.url, '/nope.js')).status, 404);
  assert.equal((await httpRequest(server.url, '/app.js', { method: 'POST', body: '{}' })).status, 405);
  const head = await httpRequest(server.url, '/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('static: path traversal, encoded dots, backslashes and NUL are 404 and never leak files', async () => {
  const paths = ['/../secret.txt', '/../../../../etc/passwd', '/app.js/../../secret.txt', '/%2e%2e/secret.txt',
    '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..\\secret.txt', '/..%5csecret.txt', '/index.html%00.js',
    '/%00', '/./../secret.txt'];
  for (const p of paths) {
    const r = await httpRequest(server.url, p);
    assert.equal(r.status, 404, `${p} -> ${r.status}`);
    assert.ok(!r.text.includes('TOP-SECRET') && !r.text.includes('root:'), `${p} leaked: ${r.text.slice(0, 80)}`);
  }
});

test('a foreign Origin on /api/* is 403 forbidden; allowed origins work', async () => {
  const creds = { handle: 'ana', password: PASSWORD };
  assertErrorShape(await loginRaw(server.url, creds, { Origin: 'https://evil.example' }), 403, 'forbidden');
  assertErrorShape(await loginRaw(server.url, creds, { Origin: `http://127.0.0.1:${server.port}.evil.example` }), 403, 'forbidden');
  assertErrorShape(await registerRaw(server.url, { handle: 'from.evil', password: PASSWORD }, { Origin: 'https://evil.example' }), 403, 'forbidden');
  assertErrorShape(await httpRequest(server.url, '/api/logout', { method: 'POST', headers: { ...bearer(ana.token), Origin: 'https://evil.example' } }), 403, 'forbidden');
  // The refused logout did not end the session.
  assert.equal((await httpRequest(server.url, '/api/session', { headers: bearer(ana.token) })).status, 200);
  const same = await loginRaw(server.url, creds, { Origin: `http://127.0.0.1:${server.port}` });
  assert.equal(same.status, 200, same.text);
  const localhost = await loginRaw(server.url, creds, { Origin: `http://localhost:${server.port}` });
  assert.equal(localhost.status, 200, localhost.text);
});

test('metrics: posts_total counts committed posts only, connections tracks open sockets', async () => {
  const read = async () => parseMetrics((await httpRequest(server.url, '/metrics')).text);
  const before0 = await read();
  const ws = await connect(server.wsUrl, { token: ana.token });
  try {
    await eventually(async () => (await read()).get('staffroom_connections') >= before0.get('staffroom_connections') + 1,
      5000, 'staffroom_connections to count the new socket');
    const ch = await ws.ok('channel.create', { slug: 'metrics-room', title: 'Metrics' });
    const base = await read();
    await ws.ok('post.create', { channel_id: ch.channel.id, body: 'counted once', client_id: 'metrics-1' });
    const dup = await ws.ok('post.create', { channel_id: ch.channel.id, body: 'counted once', client_id: 'metrics-1' });
    assert.equal(dup.duplicate, true);
    const afterPost = await read();
    assert.equal(afterPost.get('staffroom_posts_total'), base.get('staffroom_posts_total') + 1);
    assert.ok(afterPost.get('staffroom_commits_total') >= base.get('staffroom_commits_total') + 1, 'a commit was counted');
    assert.ok(afterPost.get('staffroom_commit_batch_size_count') >= base.get('staffroom_commit_batch_size_count') + 1);
    // Every commit is timed, and a durable commit of a real file takes some time.
    assert.ok(afterPost.get('staffroom_commit_seconds_count') >= base.get('staffroom_commit_seconds_count') + 1, 'the commit was timed');
    assert.ok(afterPost.get('staffroom_commit_seconds_sum') > base.get('staffroom_commit_seconds_sum'), 'commit time summed');
    assert.equal(afterPost.get('staffroom_commit_seconds_bucket{le="+Inf"}'), afterPost.get('staffroom_commit_seconds_count'));
  } finally {
    await ws.close();
  }
  await eventually(async () => (await read()).get('staffroom_connections') === before0.get('staffroom_connections'),
    5000, 'staffroom_connections to drop back after close');
});

test('failed logins: after 5 failures for a handle the 6th is 429 rate_limited with Retry-After', async () => {
  const own = await startServer();
  try {
    const r0 = await registerRaw(own.url, { handle: 'locked.out', password: PASSWORD });
    assert.equal(r0.status, 201, r0.text);
    for (let i = 1; i <= 5; i++) {
      assertErrorShape(await loginRaw(own.url, { handle: 'locked.out', password: `wrong password ${i}` }), 401, 'unauthorized');
    }
    const sixth = await loginRaw(own.url, { handle: 'locked.out', password: 'wrong password 6' });
    assertErrorShape(sixth, 429, 'rate_limited');
    assert.match(String(sixth.headers['retry-after']), /^\d+$/);
    assert.ok(Number(sixth.headers['retry-after']) >= 1);
  } finally {
    const exit = await own.stop();
    assert.equal(exit.code, 0);
  }
});
