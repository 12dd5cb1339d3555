// The command line: --help, invalid flags/values/config/env exit 2 with one line, precedence
// flag > environment > config file, the backup subcommand, and clean exits on SIGINT/SIGTERM
// (DESIGN.md "Command line").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, statSync, copyFileSync, rmSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDatabase } from '../support/sqlite_files.mjs';
import { BIN, startServer, tempDataDir } from '../support/server.mjs';
import { registerRaw, registerUser, httpRequest, bearer } from '../support/http.mjs';
import { connect } from '../support/ws_client.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'staffroom-cli-'));
const PASSWORD = 'correct horse battery';

after(() => rmSync(scratch, { recursive: true, force: true }));

/** The parent environment without any STAFFROOM_* variable, plus extra. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STAFFROOM_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs the binary to completion (bounded: killed after timeoutMs). */
function runBin(args, { env = cleanEnv(), timeoutMs = 10000 } = {}) {
  return new Promise((resolve) => {
    const proc = spawn(BIN, args, { env, cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; proc.kill('SIGKILL'); }, timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Safe base arguments so that a binary that wrongly starts never binds a public port or ./data. */
function safeArgs(dir) {
  return ['--listen', '127.0.0.1', '--port', '0', '--data-dir', dir];
}

function assertUsageError(r, what) {
  assert.equal(r.timedOut, false, `${what}: the binary should exit, not serve`);
  assert.equal(r.code, 2, `${what}: exit status 2, got ${r.code} (signal ${r.signal}); stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got: ${JSON.stringify(r.stderr)}`);
  assert.ok(lines[0].length > 5, `${what}: the line says something`);
}

function writeConfig(name, text) {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

test('--help exits 0 and lists every flag', async () => {
  const r = await runBin(['--help']);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout + r.stderr;
  for (const flag of ['--listen', '--port', '--data-dir', '--static-dir', '--allowed-origin', '--registration',
    '--synchronous', '--log-level', '--config', '--public-url', '--post-rate', '--post-burst',
    '--send-queue-messages', '--send-queue-kib', '--max-upload-mib']) {
    assert.ok(out.includes(flag), `help mentions ${flag}`);
  }
  assert.ok(out.includes('backup'), 'help mentions the backup subcommand');
});

test('invalid flags and values exit 2 with one line on stderr', async () => {
  const dir = tempDataDir();
  try {
    const cases = [
      [[...safeArgs(dir), '--nope'], '--nope'],
      [['--listen', '127.0.0.1', '--data-dir', dir, '--port', '70000'], '--port 70000'],
      [['--listen', '127.0.0.1', '--data-dir', dir, '--port', '-1'], '--port -1'],
      [['--listen', '127.0.0.1', '--data-dir', dir, '--port', 'eighty'], '--port eighty'],
      [[...safeArgs(dir), '--registration', 'maybe'], '--registration maybe'],
      [[...safeArgs(dir), '--log-level', 'loud'], '--log-level loud'],
      [[...safeArgs(dir), '--synchronous', 'sometimes'], '--synchronous sometimes'],
      [[...safeArgs(dir), '--post-rate', 'fast'], '--post-rate fast'],
      [[...safeArgs(dir), '--config', '/nonexistent/staffroom.conf'], '--config /nonexistent'],
      [[...safeArgs(dir), 'stray-positional'], 'a stray positional argument'],
    ];
    for (const [args, what] of cases) assertUsageError(await runBin(args), what);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config file with an unknown key or a bad value exits 2', async () => {
  const dir = tempDataDir();
  try {
    const unknown = writeConfig('unknown.conf', 'registration = "open"\ncolour = "blue"\n');
    assertUsageError(await runBin([...safeArgs(dir), '--config', unknown]), 'unknown config key');
    const badValue = writeConfig('bad-value.conf', 'registration = "maybe"\n');
    assertUsageError(await runBin([...safeArgs(dir), '--config', badValue]), 'bad config value');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid STAFFROOM_* environment value exits 2', async () => {
  const dir = tempDataDir();
  try {
    assertUsageError(await runBin(['--listen', '127.0.0.1', '--data-dir', dir], { env: cleanEnv({ STAFFROOM_PORT: 'notanumber' }) }),
      'STAFFROOM_PORT=notanumber');
    assertUsageError(await runBin(safeArgs(dir), { env: cleanEnv({ STAFFROOM_REGISTRATION: 'maybe' }) }),
      'STAFFROOM_REGISTRATION=maybe');
    assertUsageError(await runBin(safeArgs(dir), { env: cleanEnv({ STAFFROOM_LOG_LEVEL: 'loud' }) }),
      'STAFFROOM_LOG_LEVEL=loud');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('valid STAFFROOM_* environment values are accepted', async () => {
  const env = { STAFFROOM_POST_RATE: '0', STAFFROOM_SYNCHRONOUS: 'normal', STAFFROOM_POST_BURST: '5' };
  const server = await startServer({ env }).catch((e) => e);
  assert.ok(!(server instanceof Error), `${JSON.stringify(env)} should start the server: ${server.message}`);
  assert.equal((await httpRequest(server.url, '/healthz')).status, 200);
  const exit = await server.stop();
  assert.equal(exit.code, 0);
});

/** Starts a server with the given config/env/flags; registers two users; returns the second's status. */
async function secondRegistration({ args = [], env = {} }) {
  const server = await startServer({ args, env: { ...cleanEnv(), ...env } });
  try {
    const first = await registerRaw(server.url, { handle: 'first.user', password: PASSWORD });
    assert.equal(first.status, 201, `the first account is always accepted: ${first.text}`);
    assert.equal(first.json.user.role, 'admin');
    const second = await registerRaw(server.url, { handle: 'second.user', password: PASSWORD });
    if (second.status === 403) assert.equal(second.json.error.code, 'forbidden');
    return second.status;
  } finally {
    const exit = await server.stop();
    assert.equal(exit.code, 0);
  }
}

test('precedence: flag beats environment beats config file', async () => {
  const closed = writeConfig('closed.conf', 'registration = "closed"\n');
  assert.equal(await secondRegistration({ args: ['--config', closed] }), 403, 'config file: closed');
  assert.equal(await secondRegistration({ args: ['--config', closed], env: { STAFFROOM_REGISTRATION: 'open' } }), 201,
    'environment open beats config closed');
  assert.equal(await secondRegistration({ args: ['--config', closed, '--registration', 'closed'], env: { STAFFROOM_REGISTRATION: 'open' } }), 403,
    'flag closed beats environment open');
  assert.equal(await secondRegistration({ args: ['--registration', 'open'], env: { STAFFROOM_REGISTRATION: 'closed' } }), 201,
    'flag open beats environment closed');
  assert.equal(await secondRegistration({ args: ['--registration', 'invite'] }), 403, 'invite without codes accepts only the first account');
});

test('STAFFROOM_CONFIG names the config file; STAFFROOM_ALLOWED_ORIGIN takes a comma-separated list', async () => {
  const closed = writeConfig('closed-env.conf', 'registration = "closed"\n');
  assert.equal(await secondRegistration({ env: { STAFFROOM_CONFIG: closed } }), 403, 'config named by the environment');
  const server = await startServer({ env: { ...cleanEnv(), STAFFROOM_ALLOWED_ORIGIN: 'https://one.example,https://two.example' } });
  try {
    const creds = { handle: 'origin.user', password: PASSWORD };
    const one = await registerRaw(server.url, creds, { Origin: 'https://one.example' });
    assert.equal(one.status, 201, one.text);
    const two = await httpRequest(server.url, '/api/login', { method: 'POST', body: creds, headers: { Origin: 'https://two.example' } });
    assert.equal(two.status, 200, two.text);
    const three = await httpRequest(server.url, '/api/login', { method: 'POST', body: creds, headers: { Origin: 'https://three.example' } });
    assert.equal(three.status, 403, three.text);
  } finally {
    await server.stop();
  }
});

test('staffroom backup PATH copies the database consistently while the server runs', async () => {
  const dataDir = tempDataDir();
  const restoreDir = tempDataDir();
  const server = await startServer({ dataDir, args: ['--post-rate', '0'] });
  let restored;
  try {
    const A = await registerUser(server.url, 'backup.user');
    const ws = await connect(server.wsUrl, { token: A.token });
    const ch = (await ws.ok('channel.create', { slug: 'backed-up', title: 'Backed up' })).channel;
    for (let i = 0; i < 5; i++) await ws.ok('post.create', { channel_id: ch.id, body: `kept ${i}` });
    // Writes keep going while the backup runs.
    const writing = Promise.all(Array.from({ length: 10 }, (_, i) => ws.ok('post.create', { channel_id: ch.id, body: `during ${i}` }, 15000)));
    const out = path.join(scratch, 'backup.db');
    const r = await runBin(['backup', out, '--data-dir', dataDir], { timeoutMs: 30000 });
    await writing;
    await ws.close();
    assert.equal(r.code, 0, `backup exits 0; stderr: ${r.stderr}`);
    assert.ok(existsSync(out), 'the backup file exists');
    assert.ok(statSync(out).size > 0, 'the backup is not empty');
    assert.equal(readFileSync(out).subarray(0, 16).toString('latin1'), 'SQLite format 3\u0000');
    if (existsSync('/usr/bin/sqlite3')) {
      const check = spawnSync('/usr/bin/sqlite3', [out, 'PRAGMA integrity_check;'], { encoding: 'utf8', timeout: 15000 });
      assert.equal(check.stdout.trim(), 'ok', `integrity_check: ${check.stdout} ${check.stderr}`);
    }

    // The copy is a working database: a server started on it knows the user, the channel and the first posts.
    const dbName = findDatabase(dataDir);
    assert.ok(dbName, `a SQLite database in ${readdirSync(dataDir)}`);
    copyFileSync(out, path.join(restoreDir, dbName));
    restored = await startServer({ dataDir: restoreDir });
    const session = await httpRequest(restored.url, '/api/session', { headers: bearer(A.token) });
    assert.equal(session.status, 200, session.text);
    const rws = await connect(restored.wsUrl, { token: A.token });
    const h = await rws.ok('post.history', { channel_id: ch.id, limit: 200 });
    // The search index is not in the backup: the restored server builds it from the posts.
    const found = await rws.ok('search', { q: 'kept' });
    await rws.close();
    assert.deepEqual(found.hits.map((hit) => hit.post.body).sort(), ['kept 0', 'kept 1', 'kept 2', 'kept 3', 'kept 4']);
    const bodies = h.posts.map((p) => p.body);
    for (let i = 0; i < 5; i++) assert.ok(bodies.includes(`kept ${i}`), `post kept ${i} is in the backup`);
    const seqs = h.posts.map((p) => p.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 2), 'a consistent prefix: no seq gap');
  } finally {
    if (restored) await restored.stop({ removeData: true });
    await server.stop({ removeData: true });
  }
});

test('a second server on the same data directory exits 1 with one line; the first goes on', async () => {
  const dataDir = tempDataDir();
  const server = await startServer({ dataDir });
  try {
    const r = await runBin(['--port', '0', '--listen', '127.0.0.1', '--data-dir', dataDir]);
    assert.equal(r.timedOut, false, 'the second server exits by itself');
    assert.equal(r.code, 1, `exit status 1; stderr: ${r.stderr}`);
    assert.match(r.stderr, /in use by another staffroom server/);
    assert.doesNotMatch(r.stdout, /listening on/);
    const A = await registerUser(server.url, 'first.server');  // the first still writes
    assert.ok(A.token);
  } finally {
    await server.stop({ removeData: true });
  }
});

test('SIGINT and SIGTERM end the server with status 0, also with a client connected', async () => {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const server = await startServer();
    try {
      const A = await registerUser(server.url, 'signal.user');
      const ws = await connect(server.wsUrl, { token: A.token });
      const exited = new Promise((resolve) => server.proc.on('exit', (code, sig) => resolve({ code, sig })));
      server.proc.kill(signal);
      let timer;
      const result = await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(() => resolve(null), 10000); })]);
      clearTimeout(timer);
      assert.ok(result, `${signal}: the server exits within 10 s`);
      assert.equal(result.code, 0, `${signal}: exit status 0, got ${JSON.stringify(result)}; stderr: ${server.stderr()}`);
      const closed = await ws.waitClose(5000);
      assert.ok(closed.code >= 1000, `${signal}: the socket was closed (${closed.code})`);
    } finally {
      await server.stop({ removeData: true });
    }
  }
});

test('SIGTERM right after the listening line still exits 0 (handlers are installed before it)', async () => {
  // The listening line is the readiness signal supervisors and these tests wait for.
  const results = [];
  for (let i = 0; i < 6; i++) {
    const server = await startServer();
    results.push(await server.stop({ removeData: true }));
  }
  assert.deepEqual(results.filter((r) => r.code !== 0), [], `every exit is status 0: ${JSON.stringify(results)}`);
});
