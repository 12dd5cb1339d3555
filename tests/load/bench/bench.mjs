// The benchmark runner behind scripts/bench: runs every scenario against Staffroom and the
// peers alternately, repeats, and writes the results (see report.mjs). Loopback only.
// Usage: node bench.mjs --mode full|quick --staffroom BIN --load BIN [--floor BIN]
//        [--chat-multi BIN] --out-dir DIR --work-dir DIR [--repeats N] [--only S2,S3]
//        [--readme README.md]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, runLoad, killAll } from './processes.mjs';
import { scenarios, floors } from './scenarios.mjs';
import { writeResults, checkHarness } from './report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const mode = arg('mode', 'quick');
const quick = mode === 'quick';
const bins = {
  staffroom: arg('staffroom'),
  load: arg('load'),
  chatMulti: arg('chat-multi', ''),
  floor: arg('floor', ''),
  nodePeer: path.join(here, '..', 'peers', 'ws-broadcast.mjs'),
};
const outDir = arg('out-dir');
const workDir = arg('work-dir');
const repeats = Number(arg('repeats', quick ? 1 : 3));
const only = arg('only', '').split(',').filter(Boolean);

// Server on the last CPU, generator on the others (when there are at least two).
const cpuCount = os.availableParallelism();
const serverCpus = cpuCount >= 2 ? String(cpuCount - 1) : '';
const loadCpus = cpuCount >= 2 ? (cpuCount === 2 ? '0' : `0-${cpuCount - 2}`) : '';

const log = (...a) => console.log(`bench: ${a.join(' ')}`);
const layoutArgs = (l) => [
  '--channels', String(l.channels), '--subscribers', String(l.subscribers),
  '--publishers', String(l.publishers), '--accounts', String(l.accounts),
];

// Registers the accounts and creates the channels once per layout (unpinned: Argon2id is
// the slow part); every repeat starts from a copy, so no run pays for hashing.
const seeds = new Map();
async function seed(scenario) {
  const key = JSON.stringify(scenario.layout);
  if (seeds.has(key)) return seeds.get(key);
  const dir = path.join(workDir, `seed-${seeds.size}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const dataDir = path.join(dir, 'data');
  const server = await startServer('staffroom', { bins, cpus: '', dataDir, logDir: workDir });
  try {
    const state = path.join(dir, 'state.json');
    const l = scenario.layout;
    const setup = { ...l, subscribers: l.accounts, publishers: 0 };
    const report = await runLoad(bins.load, '', [
      '--port', String(server.port), ...layoutArgs(setup), '--state', state, '--setup-only',
    ], 300000);
    if (!report.ok) throw new Error(`seeding ${key}: ${JSON.stringify(report.errors)}`);
    seeds.set(key, { dataDir, state });
  } finally {
    await server.stop();
  }
  return seeds.get(key);
}

// Which malloc the running server allocates with, from the libraries it has mapped.
function allocator(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/maps`, 'utf8').includes('libjemalloc') ? 'jemalloc' : 'glibc';
  } catch {
    return 'unknown';
  }
}

async function metrics(port) {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (name) => Number((text.match(new RegExp(`^${name} (\\S+)$`, 'm')) || [])[1]);
    // A histogram's cumulative buckets as [upper bound, count] pairs, +Inf last.
    const buckets = (name) => [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))]
      .map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
    return { posts: value('staffroom_posts_total'), commits: value('staffroom_commits_total'),
      queue_drops: value('staffroom_queue_drops_total'),
      commit_seconds: buckets('staffroom_commit_seconds') };
  } catch {
    return null;
  }
}

async function runOne(scenario, kind, repeat) {
  const runDir = path.join(workDir, `${scenario.name}-${kind}-${repeat}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const args = [...layoutArgs(scenario.layout), ...scenario.args,
    '--run-tag', `${scenario.name}${repeat}`, '--max-seconds', quick ? '60' : '240'];
  if (scenario.steps) args.push('--steps', scenario.steps);
  let dataDir = runDir;
  if (kind === 'staffroom') {
    const s = await seed(scenario);
    dataDir = path.join(runDir, 'data');
    fs.cpSync(s.dataDir, dataDir, { recursive: true });
    args.push('--state', s.state);
  } else {
    args.push('--protocol', 'plain');
  }
  const server = await startServer(kind, { bins, cpus: serverCpus, dataDir,
    extraArgs: scenario.serverArgs || [], logDir: workDir });
  const started = Date.now();
  try {
    const report = await runLoad(bins.load, loadCpus,
      ['--port', String(server.port), '--server-pid', String(server.pid), ...args],
      quick ? 90000 : 300000);
    if (kind === 'staffroom') {
      report.metrics = await metrics(server.port);
      report.allocator = allocator(server.pid);
    }
    return { scenario: scenario.name, variant: scenario.variant, server: kind, repeat,
      server_args: scenario.serverArgs || [], args, seconds: (Date.now() - started) / 1000, report };
  } finally {
    await server.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

// One floor probe (a rate sweep when it has one), as a run the report reads like the others.
async function runFloor(probe, repeat) {
  const started = Date.now();
  const steps = [];
  let reader;
  for (const rate of probe.sweep || [null]) {
    const args = [...probe.args, '--sender-cpu', serverCpus || '-1', '--receiver-cpu',
      loadCpus ? loadCpus.split(/[-,]/)[0] : '-1'];
    if (rate !== null) args.push('--rate', String(rate));
    const r = await runLoad(bins.floor, '', args, quick ? 60000 : 120000);
    reader = r.reader;
    steps.push({ rate: r.rate, lost: r.lost, duplicates: 0, delivered_per_s: r.writes_per_s,
      broadcast_ms: r.broadcast_ms, delivery_ms: r.delivery_ms,
      sender_cpu_us_per_write: r.sender_cpu_us_per_write });
    if (!r.ok) break;  // past what this machine can carry: higher rates only queue more
  }
  return { scenario: 'floor', variant: probe.variant, server: 'floor', repeat, args: probe.args,
    seconds: (Date.now() - started) / 1000, report: { ok: true, steps, reader } };
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  const all = scenarios(quick).filter((s) => only.length === 0 || only.includes(s.name));
  const servers = quick ? ['staffroom', 'node-ws'] : ['staffroom', 'chat-multi', 'node-ws'];
  if (!quick && !bins.chatMulti) throw new Error('--chat-multi BIN is required for a full run');
  log(`${mode} run, ${repeats} repeat(s), ${cpuCount} CPU(s): server on [${serverCpus || 'any'}],`,
    `generator on [${loadCpus || 'any'}], load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const runs = [];
  for (let repeat = 1; repeat <= repeats; ++repeat) {
    for (const scenario of all) {
      for (const kind of scenario.servers.filter((k) => servers.includes(k))) {
        const run = await runOne(scenario, kind, repeat);
        runs.push(run);
        const r = run.report;
        const steps = r.steps || [];
        const lost = steps.reduce((a, s) => a + s.lost, 0);
        const dup = steps.reduce((a, s) => a + s.duplicates, 0);
        log(`${scenario.name} ${scenario.variant} ${kind} #${repeat}: ${run.seconds.toFixed(1)} s,`,
          `${r.connect?.ready}/${r.connect?.connections} connected, ${steps.length} steps,`,
          `lost ${lost}, duplicated ${dup}${r.ok ? '' : ', NOT OK: ' + JSON.stringify(r.errors)}`);
      }
    }
    if (!bins.floor) continue;
    for (const probe of floors(quick).filter((f) => all.some((s) => s.name === f.for))) {
      const run = await runFloor(probe, repeat);
      runs.push(run);
      const last = run.report.steps.at(-1);
      log(`floor ${probe.variant} #${repeat}: ${run.seconds.toFixed(1)} s, ${run.report.steps.length} step(s),`,
        `last ${last.rate}/s: ${Math.round(last.delivered_per_s)} writes/s, p99 ${last.broadcast_ms.p99.toFixed(1)} ms,`,
        `lost ${last.lost}`);
    }
  }
  const meta = {
    mode, repeats, date: new Date().toISOString(), cpus: cpuCount, server_cpus: serverCpus,
    load_cpus: loadCpus, loadavg_start: os.loadavg(), cpu_model: os.cpus()[0]?.model,
    kernel: os.release(), node: process.version, seconds: (Date.now() - started) / 1000,
    // How the generator and the floor read their sockets: io_uring unless the kernel refuses.
    readers: [...new Set(runs.map((r) => r.report.reader).filter(Boolean))],
    allocators: [...new Set(runs.map((r) => r.report.allocator).filter(Boolean))],
    wakes_us: [...new Set(runs.map((r) => r.report.wake_us).filter((x) => x !== undefined))],
  };
  const problems = checkHarness(runs, quick ? {} : { allocator: 'jemalloc', maxGeneratorShare: 0.9 });
  // The floor loses nothing unless the machine cannot carry the rate; at quick mode's tiny
  // rates a loss means the probe itself is broken.
  for (const run of runs.filter((r) => quick && r.server === 'floor')) {
    for (const s of run.report.steps) if (s.lost) problems.push(`floor ${run.variant}: lost ${s.lost}`);
  }
  writeResults(outDir, meta, runs, arg('readme', ''));
  log(`finished in ${meta.seconds.toFixed(1)} s`);
  // Quick mode checks the harness (nothing lost or duplicated); a full run reports whatever
  // it measured, losses included, in the table.
  for (const p of problems) console.error(`bench: ${quick ? '' : 'warning: '}${p}`);
  if (quick && problems.length) process.exitCode = 1;
}

main()
  .catch((e) => {
    console.error(`bench: ${e.stack || e}`);
    process.exitCode = 1;
  })
  .finally(killAll);
