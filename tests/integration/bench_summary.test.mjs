// The bench's pure functions: reading /metrics histograms (tests/load/bench/summary.mjs) and
// the harness checks (report.mjs); no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramQuantile, summarise } from '../load/bench/summary.mjs';
import { checkHarness } from '../load/bench/report.mjs';

test('histogramQuantile gives the bound under which the share lies', () => {
  // 100 commits: 90 within 2 ms, 8 more within 16 ms, 2 slower than 64 ms.
  const buckets = [[0.002, 90], [0.016, 98], [0.064, 98], [Infinity, 100]];
  assert.equal(histogramQuantile(buckets, 0.5), 0.002);
  assert.equal(histogramQuantile(buckets, 0.9), 0.002);
  assert.equal(histogramQuantile(buckets, 0.95), 0.016);
  assert.equal(histogramQuantile(buckets, 0.98), 0.016);
  assert.equal(histogramQuantile(buckets, 0.99), Infinity);
});

test('histogramQuantile of nothing is NaN', () => {
  assert.ok(Number.isNaN(histogramQuantile([], 0.99)));
  assert.ok(Number.isNaN(histogramQuantile(undefined, 0.99)));
  assert.ok(Number.isNaN(histogramQuantile([[0.001, 0], [Infinity, 0]], 0.99)));
});

test('checkHarness flags a Staffroom run that did not allocate as required', () => {
  const run = (server, allocator) => ({
    scenario: 'S4', variant: 'full/open-loop', server, repeat: 1,
    report: { ok: true, steps: [{ rate: 50, lost: 0, duplicates: 0 }], allocator },
  });
  const jemalloc = { allocator: 'jemalloc' };
  assert.deepEqual(checkHarness([run('staffroom', 'jemalloc'), run('node-ws', undefined)], jemalloc), []);
  // Quick mode runs the sanitized build, whose allocator is ASan's: nothing required.
  assert.deepEqual(checkHarness([run('staffroom', 'glibc')]), []);
  const problems = checkHarness([run('staffroom', 'glibc')], jemalloc);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /S4 full\/open-loop staffroom #1: the server allocated with glibc/);
});

test('checkHarness flags the steps where the generator used most of its core', () => {
  // Each step lasts 5 s; the generator measures itself over the step and its drain.
  const step = (rate, cpu, wall) => ({ rate, seconds: 5, lost: 0, duplicates: 0,
    generator: { cpu_s: cpu, seconds: wall } });
  const run = {
    scenario: 'S4', variant: 'full/open-loop', server: 'staffroom', repeat: 2,
    // The middle step's CPU is over a long drain: 0.56 of the core, not 1.4 of the step.
    report: { ok: true, steps: [step(1000, 0.2, 5.1), step(25000, 7, 12.5), step(30000, 4.75, 5)] },
  };
  // Quick mode asks nothing of the generator.
  assert.deepEqual(checkHarness([run]), []);
  const problems = checkHarness([run], { maxGeneratorShare: 0.9 });
  assert.deepEqual(problems, [
    'S4 full/open-loop staffroom #2 step 2 (30000/s): the generator used 0.95 of its core',
  ]);
  // A report from before the generator measured itself is not flagged.
  const old = { ...run, report: { ok: true, steps: [{ rate: 30000, seconds: 5, lost: 0, duplicates: 0 }] } };
  assert.deepEqual(checkHarness([old], { maxGeneratorShare: 0.9 }), []);
});

test('an S4 open loop is judged at the offered rate of the best step that acked every post', () => {
  // acked_per_s runs to a step's last ack, so it stays a few ms' worth under the offered rate.
  const step = (rate, p99, acks = 3 * rate) => ({
    rate, seconds: 3, posts: 3 * rate, acks, lost: 0, errors: 0, duplicates: 0,
    acked_per_s: (acks * 1e9) / (3e9 + 4.3e6), ack_ms: { p50: 5, p99 },
  });
  const run = (repeat, steps) => ({
    scenario: 'S4', variant: 'full/open-loop', server: 'staffroom', repeat,
    report: { ok: true, steps: [step(500, 1), ...steps] },
  });
  const figures = (runs) => summarise(runs)['S4 full/open-loop'].staffroom;
  // Two repeats sustained 30,000/s under 20 ms, one only 25,000/s: the median is 30,000.
  const three = figures([
    run(1, [step(25000, 10), step(30000, 25.9)]),
    run(2, [step(25000, 11), step(30000, 15.7), step(40000, 66)]),
    run(3, [step(25000, 12), step(30000, 17.2), step(40000, 77)]),
  ]);
  assert.equal(three.sustained_rate, 30000);
  assert.ok(three.acked_per_s < 30000 && three.acked_per_s > 29900);
  assert.equal(three.ack_p99_ms, 15.7);
  // A step whose last ack came late still counts at its offered rate (90,000 acks over 4 s:
  // 22,500/s, below the 25k step's figure).
  const late = figures([run(1, [step(25000, 10), { ...step(30000, 12), acked_per_s: 22500 }])]);
  assert.equal(late.sustained_rate, 30000);
  assert.equal(late.ack_p99_ms, 12);
  // A step whose acks fell short of its posts does not count, however fast its acks came.
  const short = figures([run(1, [step(25000, 10), step(30000, 12, 89000)])]);
  assert.equal(short.sustained_rate, 25000);
  assert.equal(short.ack_p99_ms, 10);
});
