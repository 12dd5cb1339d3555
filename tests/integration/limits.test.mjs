// Post rate limit with retry_after and its counter (staffroom_rate_limited_total), per user;
// failed-login throttling per client address and its hold on correct passwords
// (PROTOCOL.md "Limits", "POST /api/login"). The per-handle 6th failure is in http_api.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser, loginRaw } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import { assertError, createChannel, readMetrics } from '../support/community.mjs';

const PASSWORD = 'correct horse battery';

test('posts past --post-burst are rate_limited with retry_after; the counter counts each refusal; the budget is per user and refills at --post-rate', async () => {
  const server = await startServer({ args: ['--post-burst', '3', '--post-rate', '1'] });
  try {
    const A = await registerUser(server.url, 'fast.a');
    const B = await registerUser(server.url, 'calm.b');
    const a = await connect(server.wsUrl, { token: A.token });
    const b = await connect(server.wsUrl, { token: B.token });
    const ch = await createChannel(a, 'rate-room');
    await b.ok('channel.join', { channel_id: ch.id });
    const m0 = await readMetrics(server.url);
    assert.equal(m0.get('staffroom_rate_limited_total'), 0);

    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      a.request('post.create', { channel_id: ch.id, body: `burst ${i}` })));
    const ok = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok);
    assert.ok(ok.length >= 3 && ok.length <= 4, `the burst of 3 (plus at most one refill) passes: ${ok.length}`);
    assert.deepEqual(replies.slice(0, 3).map((r) => r.ok), [true, true, true], 'the first three are the burst');
    for (const r of refused) {
      assertError(r, 'rate_limited');
      assert.ok(Number.isInteger(r.error.retry_after) && r.error.retry_after >= 1, `retry_after: ${JSON.stringify(r)}`);
      assert.ok(r.error.retry_after <= 2, `at 1 post/s the wait is short: ${JSON.stringify(r)}`);
      assert.equal(typeof r.error.message, 'string');
    }
    const m1 = await readMetrics(server.url);
    assert.equal(m1.get('staffroom_rate_limited_total'), refused.length, 'one count per refusal');
    const h = await b.ok('post.history', { channel_id: ch.id });
    assert.deepEqual(h.posts.map((p) => p.body), ok.map((r) => r.post.body), 'nothing refused was stored');
    assert.deepEqual(h.posts.map((p) => p.seq), ok.map((_, i) => 3 + i), 'refusals took no seq (b joined at 2)');

    // Another user's budget is untouched.
    for (let i = 0; i < 3; i++) await b.ok('post.create', { channel_id: ch.id, body: `b ${i}` });

    // After retry_after the author may post again.
    const wait = refused[0].error.retry_after;
    await sleep(wait * 1000 + 100);
    const again = await a.request('post.create', { channel_id: ch.id, body: 'after the wait' });
    assert.equal(again.ok, true, `a post after retry_after (${wait} s) is accepted: ${JSON.stringify(again)}`);
    assert.equal(a.isOpen, true);
    await a.close();
    await b.close();
  } finally {
    const exit = await server.stop();
    assert.equal(exit.code, 0, server.stderr());
  }
});

test('failed logins: 5 failures from one address, each for a different handle, make the 6th attempt 429 even with the right password', async () => {
  const server = await startServer();
  try {
    await registerUser(server.url, 'good.user', PASSWORD);
    for (let i = 0; i < 5; i++) await registerUser(server.url, `victim.${i}`, PASSWORD);
    const okFirst = await loginRaw(server.url, { handle: 'good.user', password: PASSWORD });
    assert.equal(okFirst.status, 200, 'a correct login before any failure works');
    for (let i = 0; i < 5; i++) {
      const r = await loginRaw(server.url, { handle: i % 2 ? `victim.${i}` : `nobody.${i}`, password: `wrong password ${i}` });
      assert.equal(r.status, 401, `failure ${i + 1} is 401: ${r.status} ${r.text}`);
      assert.equal(r.json?.error?.code, 'unauthorized');
    }
    // No handle has failed more than once: this is the per-address count.
    const sixth = await loginRaw(server.url, { handle: 'good.user', password: PASSWORD });
    assert.equal(sixth.status, 429, `the 6th attempt from the address is throttled: ${sixth.status} ${sixth.text}`);
    assert.equal(sixth.json?.error?.code, 'rate_limited');
    assert.match(String(sixth.headers['retry-after']), /^\d+$/);
    const wait = Number(sixth.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= 900, `Retry-After ${wait} is within the 15-minute window`);
    assert.equal(sixth.headers['set-cookie'], undefined, 'no session is handed out');
    const seventh = await loginRaw(server.url, { handle: 'victim.0', password: PASSWORD });
    assert.equal(seventh.status, 429, 'still throttled');
    // Existing sessions are not affected.
    const ws = await connect(server.wsUrl, { token: okFirst.json.token });
    assert.equal((await ws.request('channel.list')).ok, true);
    await ws.close();
  } finally {
    const exit = await server.stop();
    assert.equal(exit.code, 0, server.stderr());
  }
});

test('failed logins: after 5 failures for a handle the right password is refused with 429 too', async () => {
  const server = await startServer();
  try {
    await registerUser(server.url, 'locked.out', PASSWORD);
    for (let i = 0; i < 5; i++) {
      assert.equal((await loginRaw(server.url, { handle: 'Locked.Out', password: `nope nope ${i}` })).status, 401);
    }
    const right = await loginRaw(server.url, { handle: 'locked.out', password: PASSWORD });
    assert.equal(right.status, 429, `throttled even with the right password (handles ignore case): ${right.status} ${right.text}`);
    assert.ok(Number(right.headers['retry-after']) >= 1);
  } finally {
    const exit = await server.stop();
    assert.equal(exit.code, 0, server.stderr());
  }
});
