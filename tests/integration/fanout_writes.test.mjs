// Fan-out writes, with io_uring batching (--io-uring auto, where the kernel allows it) and
// without (--io-uring off): every connection gets every post, in seq order, either way, and
// /metrics says which way the server writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect } from '../support/ws_client.mjs';
import { readMetrics, assertConsecutive } from '../support/community.mjs';

const CONNECTIONS = 12;
const POSTS = 40;

async function fanOut(mode) {
  const server = await startServer({ args: ['--post-rate', '0', '--io-uring', mode] });
  const clients = [];
  try {
    const ana = await registerUser(server.url, 'ana', 'correct horse battery', 'Ana');
    const ben = await registerUser(server.url, 'ben', 'correct horse battery', 'Ben');
    const owner = await connect(server.wsUrl, { token: ana.token });
    clients.push(owner);
    const ch = (await owner.ok('channel.create', { slug: 'fanout', title: 'Fan-out' })).channel;
    // Several connections per user, as teachers with a laptop and a phone open.
    for (let i = 0; i < CONNECTIONS; ++i) {
      const c = await connect(server.wsUrl, { token: (i % 2 ? ana : ben).token });
      clients.push(c);
      if (i === 0) await c.ok('channel.join', { channel_id: ch.id });
      // A connection's first request ends its initial hold on live events (as a client's
      // catch-up does); until then its events wait, and go out on their own.
      else await c.ok('channel.list');
    }
    const before = await readMetrics(server.url);
    // Sent without waiting: replies and events interleave in the same batched writes.
    const replies = await Promise.all(Array.from({ length: POSTS }, (_, i) =>
      owner.ok('post.create', { channel_id: ch.id, body: `post ${i} ${'x'.repeat(i * 50)}` }, 15000)));
    const last = Math.max(...replies.map((r) => r.post.seq));
    for (const c of clients) await c.waitForEvent((e) => e.channel_id === ch.id && e.seq === last, 10000);
    for (const [i, c] of clients.entries()) {
      const posts = c.channelEvents(ch.id, 'post.created');
      assert.equal(posts.length, POSTS, `connection ${i} got every post`);
      assertConsecutive(posts.map((e) => e.seq), replies[0].post.seq, `connection ${i}'s seqs`);
      for (const e of posts) {
        const reply = replies.find((r) => r.post.seq === e.seq);
        assert.equal(e.post.body, reply.post.body, `connection ${i}, seq ${e.seq}: the whole body`);
      }
    }
    const after = await readMetrics(server.url);
    return { before, after, stderr: server.stderr };
  } finally {
    for (const c of clients) await c.close();
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
}

test('--io-uring auto: every connection gets every post; fan-outs go out in batches when io_uring works', async () => {
  const { before, after } = await fanOut('auto');
  const writes = after.get('staffroom_ring_writes_total') - before.get('staffroom_ring_writes_total');
  const batches = after.get('staffroom_ring_batches_total') - before.get('staffroom_ring_batches_total');
  if (after.get('staffroom_io_uring') === 1) {
    // Each post reaches 13 connections: some system calls wrote several of them.
    assert.ok(batches >= 1 && writes > batches, `batches ${batches}, writes ${writes}`);
  } else {
    // The kernel refused io_uring (the server said why in its log): one call per write.
    assert.equal(after.get('staffroom_io_uring'), 0);
    assert.equal(writes, 0);
  }
});

test('--io-uring off: every connection gets every post, with one system call per write', async () => {
  const { after } = await fanOut('off');
  assert.equal(after.get('staffroom_io_uring'), 0);
  assert.equal(after.get('staffroom_ring_writes_total'), 0);
  assert.equal(after.get('staffroom_ring_batches_total'), 0);
});
