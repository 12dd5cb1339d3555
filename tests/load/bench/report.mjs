// Writes a benchmark's results: bench/results/<date>.json (every run), .md (the table), .png
// (latency percentiles vs rate, by gnuplot) and the README's "Performance" table.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { summarise, medianSweep, generatorShare } from './summary.mjs';

// digits < 0: a whole number in full (where thousands would round away the difference).
const fmt = (x, digits = 1) => {
  if (!Number.isFinite(x)) return '–';
  if (digits < 0) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 10000) return `${(x / 1000).toFixed(0)}k`;
  return x.toFixed(digits);
};
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '–');

// What went wrong in a run: it failed, or lost or duplicated a delivery. `allocator`: the
// malloc Staffroom must run on (the full run's Release build links jemalloc; quick mode's
// sanitized build keeps ASan's). `maxGeneratorShare`: past this share of its core in a step the
// generator may have set that step's latencies itself (full runs; quick mode's rates are tiny).
export function checkHarness(runs, { allocator, maxGeneratorShare } = {}) {
  const problems = [];
  for (const run of runs.filter((x) => x.server !== 'floor')) {
    const r = run.report;
    const where = `${run.scenario} ${run.variant} ${run.server} #${run.repeat}`;
    if (!r.ok) problems.push(`${where}: run failed: ${JSON.stringify(r.errors)}`);
    if (allocator && run.server === 'staffroom' && r.allocator !== allocator) {
      problems.push(`${where}: the server allocated with ${r.allocator}, not jemalloc`);
    }
    for (const [i, s] of (r.steps || []).entries()) {
      if (s.lost || s.duplicates) {
        problems.push(`${where} step ${i} (${s.rate}/s): lost ${s.lost}, duplicated ${s.duplicates}`);
      }
      const share = generatorShare(s);
      if (maxGeneratorShare && share > maxGeneratorShare) {
        problems.push(`${where} step ${i} (${s.rate}/s): the generator used ${share.toFixed(2)} of its core`);
      }
    }
  }
  return problems;
}

function rows(sum) {
  const get = (key, server, fig) => sum[key]?.[server]?.[fig];
  const rowsOut = [];
  // [label, key, figure, digits, target text, met(staffroom, chat, node)]
  const add = (label, key, fig, digits, target, met) => {
    const s = get(key, 'staffroom', fig);
    const c = get(key, 'chat-multi', fig);
    const n = get(key, 'node-ws', fig);
    const ok = met ? (met(s, c, n) ? 'yes' : '**no**') : '';
    rowsOut.push(`| ${label} | ${fmt(s, digits)} | ${fmt(c, digits)} | ${fmt(n, digits)} | ${ratio(s, c)} | ${ratio(s, n)} | ${target} | ${ok} |`);
  };
  add('S1 RSS per idle joined connection, KiB (VmRSS)', 'S1 idle', 'rss_kib_per_conn', 2, '≤ 6 KiB', (s) => s <= 6);
  add('S1 anonymous RSS per connection, KiB', 'S1 idle', 'anon_kib_per_conn', 2, '', null);
  add('S2 20/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@20', 0,
    '≥ 1.2× chat-multi, ≥ 1.1× Node', (s, c, n) => s >= 1.2 * c && s >= 1.1 * n);
  add('S2 20/s: last-recipient p99, ms', 'S2 fan-out', 'p99_ms@20', 1, '', null);
  add('S2 20/s: kernel share of server CPU', 'S2 fan-out', 'sys_share@20', 2, '', null);
  add('S2 100/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@100', 0, '', null);
  add('S2 100/s: last-recipient p99, ms', 'S2 fan-out', 'p99_ms@100', 1, '', null);
  add('S2 200/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@200', 0, '', null);
  add('S2 200/s: last-recipient p99, ms', 'S2 fan-out', 'p99_ms@200', 1, '', null);
  add('S2 200/s: delivery p99, ms', 'S2 fan-out', 'delivery_p99_ms@200', 1, '≤ 10 ms', (s) => s <= 10);
  add('S3 best deliveries/s (p99 ≤ 50 ms, no loss)', 'S3 sweep', 'best_delivered_per_s', 0, '≥ 200k', (s) => s >= 200000);
  add('S3 p99 at that rate, ms', 'S3 sweep', 'best_p99_ms', 1, '≤ 50 ms', (s) => s <= 50);
  for (const sync of ['full', 'normal']) {
    const base = get(`S4 ${sync}/one-txn-per-post`, 'staffroom', 'acked_per_s');
    const closed = get(`S4 ${sync}/closed-loop-100`, 'staffroom', 'acked_per_s');
    const open = get(`S4 ${sync}/open-loop`, 'staffroom', 'acked_per_s');
    add(`S4 ${sync}: one post per transaction (1 publisher, 1 in flight), acked/s`, `S4 ${sync}/one-txn-per-post`, 'acked_per_s', 0, '', null);
    add(`S4 ${sync}: 100 publishers × 1 in flight, acked/s`, `S4 ${sync}/closed-loop-100`, 'acked_per_s', 0, '', null);
    add(`S4 ${sync}: posts per commit (100 × 1 in flight)`, `S4 ${sync}/closed-loop-100`, 'posts_per_commit', 1, '', null);
    add(`S4 ${sync}: KiB written to storage per post (100 × 1 in flight)`, `S4 ${sync}/closed-loop-100`, 'write_kib_per_post', 1, '', null);
    add(`S4 ${sync}: commit time p99 (100 × 1 in flight; bucket bound), ms`, `S4 ${sync}/closed-loop-100`, 'commit_p99_ms', 1, '', null);
    add(`S4 ${sync}: open loop, best posts/s offered and all acked with ack p99 ≤ 20 ms`, `S4 ${sync}/open-loop`,
      'sustained_rate', 0, sync === 'full' ? '≥ 30k' : '', sync === 'full' ? (s) => s >= 30000 : null);
    add(`S4 ${sync}: acked/s there, step start to last ack`, `S4 ${sync}/open-loop`, 'acked_per_s', -1, '', null);
    add(`S4 ${sync}: ack p99 there, ms`, `S4 ${sync}/open-loop`, 'ack_p99_ms', 1, sync === 'full' ? '≤ 20 ms' : '', null);
    add(`S4 ${sync}: generator's share of its core there`, `S4 ${sync}/open-loop`, 'generator_share', 2, '', null);
    const best = Math.max(closed || 0, open || 0);
    rowsOut.push(`| S4 ${sync}: group commit gain (best ÷ one txn per post) | ${ratio(best, base)} | | | | | ${sync === 'full' ? '≥ 3×' : ''} | ${sync === 'full' ? (best >= 3 * base ? 'yes' : '**no**') : ''} |`);
  }
  add('S5 others\' p99 in the windows where nobody new stalls, ms', 'S5 stalled-subscriber', 'p99_before_ms', 1, '', null);
  add('S5 others\' p99 in the windows where one stalls, ms', 'S5 stalled-subscriber', 'p99_stalled_ms', 1, '', null);
  add('S5 change of the others\' p99, %', 'S5 stalled-subscriber', 'p99_change_pct', 0, '< 10 %', (s) => s < 10);
  add('S5 subscribers that stalled, one per stall window', 'S5 stalled-subscriber', 'stalls', 0, '', null);
  const stalls = get('S5 stalled-subscriber', 'staffroom', 'stalls');
  add('S5 of them closed by the server at the queue bound', 'S5 stalled-subscriber', 'stalled_closed', 0,
    'all', (s) => s >= 1 && s >= stalls);
  add('S5 server RSS at the end, KiB', 'S5 stalled-subscriber', 'rss_kib_end', 0, '', null);
  // Each server's own losses in its column; the target is Staffroom's (a peer that drops
  // deliveries under overload is reported, not judged).
  const losses = { staffroom: [0, 0], 'chat-multi': [0, 0], 'node-ws': [0, 0] };
  for (const byServer of Object.values(sum)) {
    for (const [server, m] of Object.entries(byServer)) {
      if (!losses[server]) continue;
      losses[server][0] += m.lost || 0;
      losses[server][1] += m.duplicates || 0;
    }
  }
  const [lost, dup] = losses.staffroom;
  const cell = (server) => losses[server].join(' / ');
  rowsOut.push(`| lost / duplicated deliveries, all runs | ${cell('staffroom')} | ${cell('chat-multi')} | ${cell('node-ws')} | | | 0 / 0 | ${lost + dup === 0 ? 'yes' : '**no**'} |`);
  return rowsOut;
}

// A table after the main one: a blank line, what it shows, then the rows (nothing without rows).
// The first column is text, the others figures (right-aligned) up to a last text column.
function section(intro, columns, out) {
  if (out.length === 0) return [];
  const align = columns.map((c, i) => (i === 0 || c === 'target' ? '---' : '---:'));
  return ['', ...intro, '', `| ${columns.join(' | ')} |`, `|${align.join('|')}|`, ...out];
}

// What this machine's kernel allows, beside what Staffroom does: staffroom-floor's bare writes.
function floorRows(sum) {
  const f = (variant, fig) => sum[`floor ${variant}`]?.floor?.[fig];
  const s = (key, fig) => sum[key]?.staffroom?.[fig];
  const perDelivery = (x) => (Number.isFinite(x) && x > 0 ? 1e6 / x : NaN);
  const out = [];
  const add = (label, floor, staffroom, digits, target) => {
    if (!Number.isFinite(floor)) return;
    out.push(`| ${label} | ${fmt(floor, digits)} | ${fmt(staffroom, digits)} | ${ratio(staffroom, floor)} | ${target} |`);
  };
  add('S2 20/s: last-recipient p50, ms', f('S2 20/s', 'p50_ms'), s('S2 fan-out', 'p50_ms@20'), 1, '');
  add('S2 20/s: last-recipient p99, ms', f('S2 20/s', 'p99_ms'), s('S2 fan-out', 'p99_ms@20'), 1, '≤ 8 ms');
  add('S2 20/s: CPU per delivery on the sending core, µs', f('S2 20/s', 'cpu_us_per_write'),
    perDelivery(s('S2 fan-out', 'deliveries_per_cpu_s@20')), 2, '');
  add('S2 200/s: delivery p99, ms', f('S2 200/s', 'delivery_p99_ms'), s('S2 fan-out', 'delivery_p99_ms@200'), 1, '≤ 10 ms');
  add('S3: best deliveries/s with p99 ≤ 50 ms and no loss', f('S3 sweep', 'best_delivered_per_s'),
    s('S3 sweep', 'best_delivered_per_s'), 0, '≥ 200k');
  add('S3: most writes/s one core managed (any latency)', f('S3 sweep', 'most_writes_per_s'), NaN, 0, '');
  return section([
    'The machine\'s floor: the same deliveries as bare 200-byte `write()`s over loopback, one per',
    'delivery, from one thread pinned like the server to one reader pinned, and reading, like the',
    'generator (`staffroom-floor`: no WebSocket, JSON, storage or queues; S3\'s in 90 groups of 100).',
    'Below saturation no server\'s p50 beats it on this machine (its p99 is as noisy as a server\'s); past',
    'it, a server that writes several queued frames at once (Staffroom does) can: fewer writes.',
  ], ['figure', 'floor', 'Staffroom', '÷ floor', 'target'], out);
}

// The peers' figures that issue #5 measured with its own probe, where the targets were set.
// The peers' code is the same here, so their ratio to these says how this machine (and this
// harness) compares with that one: the targets are absolute, and judged as given above.
const PROBE = [
  ['chat-multi', 'S2 20/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@20', 133000, 0],
  ['chat-multi', 'S2 20/s: last-recipient p99, ms', 'S2 fan-out', 'p99_ms@20', 8.9, 1],
  ['chat-multi', 'S2 200/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@200', 212000, 0],
  ['chat-multi', 'S2 200/s: delivery p99, ms', 'S2 fan-out', 'delivery_p99_ms@200', 62, 1],
  ['chat-multi', 'S1 RSS per idle connection, KiB', 'S1 idle', 'rss_kib_per_conn', 6.6, 2],
  ['node-ws', 'S2 20/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@20', 155000, 0],
  ['node-ws', 'S2 200/s: deliveries per server CPU-s', 'S2 fan-out', 'deliveries_per_cpu_s@200', 234000, 0],
  ['node-ws', 'S2 200/s: delivery p99, ms', 'S2 fan-out', 'delivery_p99_ms@200', 5.7, 1],
  ['node-ws', 'S1 RSS per idle connection, KiB', 'S1 idle', 'rss_kib_per_conn', 8.1, 2],
];

function probeRows(sum) {
  const names = { 'chat-multi': 'chat-multi', 'node-ws': 'Node ws' };
  const out = [];
  for (const [server, label, key, fig, probe, digits] of PROBE) {
    const here = sum[key]?.[server]?.[fig];
    if (!Number.isFinite(here)) continue;
    out.push(`| ${names[server]} ${label} | ${fmt(probe, digits)} | ${fmt(here, digits)} | ${ratio(here, probe)} |`);
  }
  return section([
    'The peers against the figures issue #5 measured for them with its own probe (where the',
    'targets were set). Their code is the same here: a CPU-s ratio below 1× means this machine,',
    'in this run, delivered less per CPU-second than that one did. The targets above are judged',
    'as the issue gives them, not scaled.',
  ], ['figure', 'issue\'s probe', 'this run', '÷ probe'], out);
}

export function table(meta, runs) {
  const sum = summarise(runs);
  return [
    `Medians of ${meta.repeats} repeats, ${meta.date.slice(0, 16).replace('T', ' ')} UTC, ${meta.cpus} CPUs (${meta.cpu_model}),`,
    `server pinned to CPU ${meta.server_cpus || 'any'}, generator to ${meta.load_cpus || 'any'}; load average at start ${meta.loadavg_start.map((x) => x.toFixed(1)).join(' ')}; run took ${(meta.seconds / 60).toFixed(1)} min.`,
    ...(meta.readers?.length ? [`The generator and the floor read with ${meta.readers.join('; ')}.`] : []),
    ...(meta.allocators?.length ? [`Staffroom allocated with ${meta.allocators.join('; ')}.`] : []),
    ...(meta.wakes_us?.length
      ? [`Open loop: the generator wakes at most every ${meta.wakes_us.map((w) => (w / 1000).toFixed(2)).join('; ')} ms and sends the posts due by then; each latency counts from its post's own scheduled time.`]
      : []),
    '',
    '| figure | Staffroom | chat-multi | Node ws | ÷ chat-multi | ÷ Node | target | met |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...rows(sum),
    ...floorRows(sum),
    ...probeRows(sum),
  ].join('\n');
}

function plot(file, sum) {
  const s2 = sum['S2 fan-out'] || {};
  const sweeps = sum['S3 sweep']?.staffroom?.sweeps || [];
  const names = { staffroom: 'Staffroom', 'chat-multi': 'chat-multi', 'node-ws': 'Node ws' };
  let data = '';
  const series = [];
  for (const [server, m] of Object.entries(s2)) {
    const rates = Object.keys(m).filter((k) => k.startsWith('p99_ms@')).map((k) => Number(k.slice(7)));
    data += `$s2_${server.replace('-', '_')} << EOD\n`;
    for (const r of rates.sort((a, b) => a - b)) data += `${r} ${m[`p50_ms@${r}`]} ${m[`p99_ms@${r}`]}\n`;
    data += 'EOD\n';
    series.push(server);
  }
  data += '$s3 << EOD\n';
  for (const p of medianSweep(sweeps)) data += `${p.delivered_per_s / 1000} ${p.p50} ${p.p90} ${p.p99} ${p.p999}\n`;
  data += 'EOD\n';
  // The machine's floor (bare writes): S2's p99 at 20/s and 200/s, S3's p99 along its sweep.
  const floor = (variant) => sum[`floor ${variant}`]?.floor;
  data += '$s2_floor << EOD\n';
  for (const [rate, variant] of [[20, 'S2 20/s'], [200, 'S2 200/s']]) {
    if (Number.isFinite(floor(variant)?.p99_ms)) data += `${rate} ${floor(variant).p50_ms} ${floor(variant).p99_ms}\n`;
  }
  data += 'EOD\n$s3_floor << EOD\n';
  for (const p of medianSweep(floor('S3 sweep')?.sweeps || [])) data += `${p.delivered_per_s / 1000} ${p.p99}\n`;
  data += 'EOD\n';
  const hasFloor = Boolean(floor('S2 20/s') || floor('S3 sweep'));
  const colors = { staffroom: '#1b7837', 'chat-multi': '#2166ac', 'node-ws': '#b2182b' };
  const s2plot = series.flatMap((s) => [
    `$s2_${s.replace('-', '_')} using 1:3 with linespoints lw 2 pt 7 lc rgb '${colors[s]}' title '${names[s]} p99'`,
    `$s2_${s.replace('-', '_')} using 1:2 with linespoints lw 1 dt 2 pt 6 lc rgb '${colors[s]}' title '${names[s]} p50'`,
  ]).join(', ');
  const script = `${data}
set terminal pngcairo size 1400,560 font 'DejaVu Sans,11'
set output '${file}'
set multiplot layout 1,2
set logscale y
set grid ytics mytics xtics
set ylabel 'last-recipient latency (ms, log scale)'
set key top left
set title 'S2: 1 publisher → 1,000 subscribers'
set xlabel 'posts per second'
plot ${s2plot || "1/0 notitle"}${hasFloor && floor('S2 20/s') ? ", $s2_floor using 1:3 with points pt 4 ps 1.5 lc rgb 'black' title 'floor (bare writes) p99'" : ''}
set title 'S3 (Staffroom): 100 channels × 100 subscribers'
set xlabel 'deliveries per second (thousands)'
plot $s3 using 1:2 with linespoints lw 2 pt 7 title 'p50', $s3 using 1:3 with linespoints lw 2 pt 7 title 'p90', $s3 using 1:4 with linespoints lw 2 pt 7 title 'p99', $s3 using 1:5 with linespoints lw 2 pt 7 title 'p99.9', 50 with lines dt 3 lc rgb 'black' title '50 ms target'${hasFloor && floor('S3 sweep') ? ", $s3_floor using 1:2 with linespoints lw 2 dt 3 pt 4 lc rgb 'black' title 'floor (bare writes) p99'" : ''}
unset multiplot
`;
  const r = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
  if (r.status !== 0) console.error(`bench: gnuplot failed: ${r.stderr || r.error}`);
}

// Replaces the README's table between the bench markers (if the markers are there).
function updateReadme(readme, text, stem) {
  if (!fs.existsSync(readme)) return;
  const body = fs.readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const a = body.indexOf(start);
  const b = body.indexOf(end);
  if (a < 0 || b < a) return;
  const block = `${start}\n${text}\n\n![Latency percentiles vs rate](bench/results/${stem}.png)\n${end}`;
  fs.writeFileSync(readme, body.slice(0, a) + block + body.slice(b + end.length));
}

export function writeResults(outDir, meta, runs, readme) {
  const stem = meta.date.slice(0, 10);
  const text = table(meta, runs);
  fs.writeFileSync(path.join(outDir, `${stem}.json`), JSON.stringify({ meta, summary: summarise(runs), runs }, null, 1));
  fs.writeFileSync(path.join(outDir, `${stem}.md`), `# Staffroom benchmark ${stem}\n\n${text}\n\n![Latency percentiles vs rate](${stem}.png)\n`);
  plot(path.join(outDir, `${stem}.png`), summarise(runs));
  if (readme) updateReadme(readme, text, stem);
  console.log(text);
}
