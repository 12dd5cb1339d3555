// The per-connection send queue bound (--send-queue-messages, --send-queue-kib): a connection
// that stops reading is closed with 1008 (and dropped 1 s later) once its queue passes the
// bound, staffroom_queue_drops_total counts it, and a reading client's deliveries go on in order
// (PROTOCOL.md "Limits"; DESIGN.md "Fan-out").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import { isEvent, createChannel, readMetrics, assertConsecutive } from '../support/community.mjs';

const BODY_CHARS = 12000; // each post.created is ~24 KB of JSON (body + html)

/**
 * Starts a server with the given bounds; P posts, S stops reading, R reads. Posts one at a time
 * (so P's and R's queues hold one or two frames) until staffroom_queue_drops_total moves, then
 * `after` more. onDrop(ctx) runs as soon as the drop is seen. Resolves to the measurements.
 */
async function floodUntilDrop({ messages, kib, after = 20, onDrop = async () => {} }) {
  const server = await startServer({ args: ['--post-rate', '0', '--send-queue-messages', String(messages), '--send-queue-kib', String(kib)] });
  const ctx = { server };
  try {
    const P = await registerUser(server.url, 'poster.p');
    const S = await registerUser(server.url, 'stalled.s');
    const R = await registerUser(server.url, 'reader.r');
    const p = await connect(server.wsUrl, { token: P.token });
    const s = await connect(server.wsUrl, { token: S.token });
    const r = await connect(server.wsUrl, { token: R.token });
    Object.assign(ctx, { p, s, r });
    const ch = await createChannel(p, 'firehose'); // 1
    await s.ok('channel.join', { channel_id: ch.id }); // 2
    await r.ok('channel.join', { channel_id: ch.id }); // 3
    await s.waitForEvent(isEvent('member.joined', ch.id, 3));
    await r.waitForEvent(isEvent('member.joined', ch.id, 3));

    const m0 = await readMetrics(server.url);
    const drops0 = m0.get('staffroom_queue_drops_total');
    const conns0 = m0.get('staffroom_connections');
    assert.equal(typeof drops0, 'number', 'staffroom_queue_drops_total is exported');
    assert.equal(conns0, 3);

    s.ws._socket.pause(); // S stops reading: the kernel buffers fill, then its send queue grows.
    const t0 = Date.now();
    let tDrop = null;
    let tGone = null;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const m = await readMetrics(server.url);
        const now = Date.now();
        if (tDrop === null && m.get('staffroom_queue_drops_total') > drops0) tDrop = now;
        if (tGone === null && m.get('staffroom_connections') < conns0) tGone = now;
        if (tDrop !== null && tGone !== null) return m;
        await sleep(20);
      }
      return null;
    })();

    const body = (i) => `post ${i} `.padEnd(BODY_CHARS, 'x');
    const sent = [];
    let afterDrop = 0;
    let dropHandled = false;
    const deadline = t0 + 60000;
    while (afterDrop < after) {
      assert.ok(Date.now() < deadline, `no queue drop after ${sent.length} posts of ${BODY_CHARS} characters`);
      const reply = await p.ok('post.create', { channel_id: ch.id, body: body(sent.length) }, 10000);
      sent.push(reply.post.seq);
      if (tDrop !== null) {
        if (!dropHandled) { dropHandled = true; await onDrop(ctx); }
        afterDrop++;
      }
    }
    const tFloodEnd = Date.now();
    // Bounded: the stalled connection is gone within 5 s of the flood.
    while (tGone === null && Date.now() < tFloodEnd + 5000) await sleep(20);
    polling = false;
    await poller;
    assert.ok(tGone !== null, 'the stalled connection left staffroom_connections within 5 s');

    // The reading client got every post, in order, once; the poster too.
    const last = sent.at(-1);
    await r.waitForEvent(isEvent('post.created', ch.id, last), 10000);
    await p.waitForEvent(isEvent('post.created', ch.id, last), 10000);
    await sleep(200);
    const rSeqs = r.channelEvents(ch.id, 'post.created').map((e) => e.seq);
    assert.deepEqual(rSeqs, sent, 'the reader received every post in order');
    assertConsecutive(rSeqs, 4, 'the reader\'s seqs');
    assert.deepEqual(r.channelEvents(ch.id, 'post.created').map((e) => e.post.body.split(' ', 2).join(' ')),
      sent.map((_, i) => `post ${i}`));
    assert.deepEqual(p.channelEvents(ch.id, 'post.created').map((e) => e.seq), sent);
    assert.equal(r.isOpen, true, `the reader stays connected: ${JSON.stringify(r.closeInfo)}`);
    assert.equal(p.isOpen, true, `the poster stays connected: ${JSON.stringify(p.closeInfo)}`);
    assert.equal((await r.request('channel.list')).ok, true);

    const m1 = await readMetrics(server.url);
    assert.equal(m1.get('staffroom_queue_drops_total'), drops0 + 1, 'exactly one connection dropped');
    assert.equal(m1.get('staffroom_connections'), conns0 - 1);
    Object.assign(ctx, { tDrop, tGone, t0, tFloodEnd, posts: sent.length, postsBeforeDrop: sent.length - after, ch });
    return ctx;
  } catch (e) {
    ctx.error = e;
    throw e;
  } finally {
    for (const k of ['p', 'r']) await ctx[k]?.close();
    if (ctx.s) { ctx.s.ws._socket?.resume(); ctx.s.ws.terminate(); }
    const exit = await server.stop();
    if (!ctx.error) assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
}

test('a connection that never reads is closed at the byte bound and dropped within ~1 s; the reader gets every post in order', async () => {
  const ctx = await floodUntilDrop({ messages: 20, kib: 128 });
  const goneAfterDrop = ctx.tGone - ctx.tDrop;
  console.log(`byte bound (128 KiB): drop after ${ctx.postsBeforeDrop} posts, ${ctx.tDrop - ctx.t0} ms into the flood; `
    + `TCP connection gone ${goneAfterDrop} ms after the drop (metrics polled every 20 ms)`);
  assert.ok(goneAfterDrop <= 2000, `the stalled connection is gone ${goneAfterDrop} ms after passing the bound (1 s close deadline, polling slack)`);
  assert.ok(goneAfterDrop >= 0);
});

test('a stalled connection that passes the message bound and then reads again sees the 1008 close', async () => {
  let sClose = null;
  const ctx = await floodUntilDrop({
    messages: 5,
    kib: 4096,
    onDrop: async ({ s }) => {
      // Read again before the 1 s deadline: the in-flight frame completes, then the close frame arrives.
      s.ws._socket.resume();
      sClose = await s.waitClose(5000);
    },
  });
  console.log(`message bound (5): drop after ${ctx.postsBeforeDrop} posts; gone ${ctx.tGone - ctx.tDrop} ms after the drop`);
  assert.equal(sClose.code, 1008, `closed with 1008 (policy violation): ${JSON.stringify(sClose)}`);
  assert.ok(ctx.tGone - ctx.tDrop <= 2000, `gone ${ctx.tGone - ctx.tDrop} ms after the drop`);
  // What S received before the close is an in-order prefix without gaps.
  const sSeqs = ctx.s.channelEvents(ctx.ch.id, 'post.created').map((e) => e.seq);
  assertConsecutive(sSeqs, 4, 'the stalled reader\'s seqs');
  assert.ok(sSeqs.length < ctx.posts, 'S did not get the posts after its close');
});

test('/metrics declares staffroom_queue_drops_total and staffroom_rate_limited_total as counters', async () => {
  const server = await startServer();
  try {
    const r = await fetch(`${server.url}/metrics`);
    const text = await r.text();
    assert.match(text, /^# TYPE staffroom_queue_drops_total counter$/m);
    assert.match(text, /^# TYPE staffroom_rate_limited_total counter$/m);
    assert.match(text, /^staffroom_queue_drops_total 0$/m);
    assert.match(text, /^staffroom_rate_limited_total 0$/m);
  } finally {
    await server.stop();
  }
});
