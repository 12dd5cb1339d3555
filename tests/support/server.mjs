// Starts a real staffroom binary on 127.0.0.1 with an ephemeral port and a temporary data dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.STAFFROOM_BIN || path.resolve(here, '../../build/staffroom');
export const STATIC_DIR = process.env.STAFFROOM_STATIC_DIR || path.resolve(here, '../../client-web');
export const OUTPUT_DIR = process.env.STAFFROOM_TEST_OUTPUT || path.resolve(here, '../../build/test-output');

export function tempDataDir() {
  return mkdtempSync(path.join(tmpdir(), 'staffroom-test-'));
}

/**
 * Starts the server and resolves once it prints its listening line.
 * options: { dataDir, staticDir, args: [], env: {}, port: 0, timeoutMs }
 * Returns { url, wsUrl, port, dataDir, proc, stop(), stderr() }.
 */
export async function startServer(options = {}) {
  const dataDir = options.dataDir || tempDataDir();
  const args = ['--listen', '127.0.0.1', '--port', String(options.port ?? 0), '--data-dir', dataDir,
    '--static-dir', options.staticDir || STATIC_DIR, '--log-level', options.logLevel || 'warn', ...(options.args || [])];
  const proc = spawn(BIN, args, { env: { ...process.env, ...(options.env || {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time; stderr: ${stderr}`)),
      options.timeoutMs || 20000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = null;
  const exitPromise = new Promise((resolve) => proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  return {
    url, port, dataDir, proc,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    stderr: () => stderr,
    /** SIGTERM, wait (bounded) for exit; resolves to {code, signal}. */
    async stop({ removeData = !options.dataDir } = {}) {
      if (!exited) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
        await exitPromise;
        clearTimeout(timer);
      }
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
      return exited;
    },
  };
}

/** POST JSON, returns { status, headers, body }. */
export async function postJson(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: json, text };
}

/** Registers a user and returns { user, token, cookie }. */
export async function register(baseUrl, handle, password = 'correct horse battery', displayName) {
  const r = await postJson(`${baseUrl}/api/register`, { handle, password, ...(displayName ? { display_name: displayName } : {}) });
  if (r.status !== 201) throw new Error(`register ${handle}: ${r.status} ${r.text}`);
  return { user: r.body.user, token: r.body.token, cookie: r.headers.get('set-cookie') };
}
