// Starts and stops the servers under test and the load generator; every process started here
// is killed on exit, failure included.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const children = new Set();

export function killAll() {
  for (const child of children) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {}
  }
  children.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

// taskset prefix for a CPU list ('' = not pinned).
function pinned(cpus, command, args) {
  return cpus ? ['taskset', ['-c', cpus, command, ...args]] : [command, args];
}

function track(child, logFile) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  if (logFile) {
    const log = fs.createWriteStream(logFile);
    child.stderr?.pipe(log);
  }
  return child;
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForLine(child, pattern, what, timeoutMs = 30000) {
  let text = '';
  const found = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const m = text.match(pattern);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code} before listening`)));
  });
  // An unref'd timer: a lost race must not keep the process alive for timeoutMs.
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms`)),
      timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForPort(port, child, what, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await delay(50);
  }
  throw new Error(`${what} did not accept connections on ${port}`);
}

// Starts one server: kind is 'staffroom' | 'chat-multi' | 'node-ws'. Returns {pid, port, stop}.
export async function startServer(kind, { bins, cpus, dataDir, extraArgs = [], logDir }) {
  let child;
  let port;
  const logFile = path.join(logDir, `${kind}-${Date.now()}.log`);
  if (kind === 'staffroom') {
    const [cmd, args] = pinned(cpus, bins.staffroom, [
      '--port', '0', '--data-dir', dataDir, '--post-rate', '0', ...extraArgs,
    ]);
    child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }), logFile);
    port = await waitForLine(child, /listening on http:\/\/127\.0\.0\.1:(\d+)/, kind);
  } else if (kind === 'node-ws') {
    const [cmd, args] = pinned(cpus, process.execPath, [bins.nodePeer, '--port', '0']);
    child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }), logFile);
    port = await waitForLine(child, /listening on (\d+)/, kind);
  } else {
    port = await freePort();
    const [cmd, args] = pinned(cpus, bins.chatMulti, ['127.0.0.1', String(port), dataDir, '1']);
    child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }), logFile);
    await waitForPort(port, child, kind);
  }
  // With taskset the child is the server itself (taskset execs it), so its pid is the server's.
  return { pid: child.pid, port, stop: () => stopProcess(child) };
}

export async function stopProcess(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = once(child, 'exit');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

// Runs staffroom-load with the given arguments; resolves to its JSON report.
export async function runLoad(loadBin, cpus, args, timeoutMs) {
  const [cmd, argv] = pinned(cpus, loadBin, args);
  const child = track(spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  const line = out.trim().split('\n').pop();
  if (!line) throw new Error(`staffroom-load ${args.join(' ')} exited ${code}: ${err.trim()}`);
  const report = JSON.parse(line);
  report.exit_code = code;
  if (err.trim()) report.stderr = err.trim().slice(0, 500);
  return report;
}
