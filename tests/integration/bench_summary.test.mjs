// The bench's reading of /metrics histograms (tests/load/bench/summary.mjs): pure functions,
// no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramQuantile } from '../load/bench/summary.mjs';

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
