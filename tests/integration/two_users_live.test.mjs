// The headline: two teachers post and reply in a channel and each sees the other's posts live,
// in seq order, on every connection (including a second tab), while an outsider sees nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';

let server;
let A;
let B;
let C;
const clients = [];

/** Asserts the channel's events on a connection have strictly consecutive seqs, and returns them. */
function consecutive(client, channelId, label) {
  const seqs = client.channelEvents(channelId).map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++) {
    assert.equal(seqs[i], seqs[i - 1] + 1, `${label}: seqs in order without gaps: ${seqs.join(',')}`);
  }
  return seqs;
}

before(async () => {
  server = await startServer({ args: ['--post-rate', '0'] });
  A = await registerUser(server.url, 'ms.rivera', 'correct horse battery', 'Ana Rivera');
  B = await registerUser(server.url, 'mr.okafor', 'correct horse battery', 'Ben Okafor');
  C = await registerUser(server.url, 'outsider');
});

after(async () => {
  for (const c of clients) await c.close();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

test('two users post and reply and receive each other\'s events live, in seq order', async () => {
  const a = await connect(server.wsUrl, { token: A.token });
  const a2 = await connect(server.wsUrl, { cookie: A.token }); // A's second tab
  const b = await connect(server.wsUrl, { token: B.token });
  const c = await connect(server.wsUrl, { token: C.token });
  clients.push(a, a2, b, c);

  const ch = (await a.ok('channel.create', { slug: 'thursday-chat', title: 'Thursday chat' })).channel;
  await a2.waitForEvent((e) => e.event === 'member.joined' && e.channel_id === ch.id && e.seq === 1);
  await b.ok('channel.join', { channel_id: ch.id });

  // A conversation: every step must reach every member connection before the next one.
  const script = [
    [a, 'Q1 What is one routine that worked this week?', null],
    [b, 'A1 Number talks every morning', 'Q1'],
    [a, 'A1 Love that — which dot images?', 'Q1'],
    [b, 'Q2 How do you handle late work?', null],
    [a2, 'A2 A flexible window of two days', 'Q2'],
    [b, 'A2 Same, with a short reflection', 'Q2'],
  ];
  const roots = {};
  const posted = [];
  for (const [who, body, threadOf] of script) {
    const fields = { channel_id: ch.id, body };
    if (threadOf) fields.thread_id = roots[threadOf].id;
    const r = await who.ok('post.create', fields);
    if (!threadOf) roots[body.slice(0, 2)] = r.post;
    posted.push(r.post);
    for (const [name, conn] of [['a', a], ['a2', a2], ['b', b]]) {
      const e = await conn.waitForEvent((ev) => ev.event === 'post.created' && ev.channel_id === ch.id && ev.seq === r.post.seq, 5000);
      assert.equal(e.post.id, r.post.id, `${name} got the same post at seq ${r.post.seq}`);
      assert.equal(e.post.body, body);
      assert.equal(e.post.thread_id, threadOf ? roots[threadOf].id : null);
      assert.equal(e.post.author.id, who === b ? B.user.id : A.user.id);
    }
  }
  assert.deepEqual(posted.map((p) => p.seq), [3, 4, 5, 6, 7, 8]);

  // Both users fire posts at the same time: everyone sees all of them, in one seq order.
  const burst = await Promise.all([
    ...Array.from({ length: 10 }, (_, i) => a.ok('post.create', { channel_id: ch.id, body: `A burst ${i}` }, 15000)),
    ...Array.from({ length: 10 }, (_, i) => b.ok('post.create', { channel_id: ch.id, body: `B burst ${i}`, thread_id: roots.Q2.id }, 15000)),
  ]);
  const burstSeqs = burst.map((r) => r.post.seq).sort((x, y) => x - y);
  assert.deepEqual(burstSeqs, Array.from({ length: 20 }, (_, i) => 9 + i), 'the burst took seqs 9..28, each once');
  // A's own burst replies come back in the order they were sent (ops of one kind in one channel).
  const aSeqs = burst.slice(0, 10).map((r) => r.post.seq);
  assert.deepEqual(aSeqs, [...aSeqs].sort((x, y) => x - y), 'replies to A in send order');
  for (const conn of [a, a2, b]) {
    await conn.waitForEvent((e) => e.channel_id === ch.id && e.seq === 28, 10000);
  }
  await sleep(400);

  const seqsA = consecutive(a, ch.id, 'a');
  const seqsA2 = consecutive(a2, ch.id, 'a2');
  const seqsB = consecutive(b, ch.id, 'b');
  assert.deepEqual(seqsA, Array.from({ length: 28 }, (_, i) => i + 1));
  assert.deepEqual(seqsA2, seqsA, 'the second tab sees exactly what the first sees');
  assert.deepEqual(seqsB, Array.from({ length: 27 }, (_, i) => i + 2), 'B sees everything from its join on');
  const idsAt = (conn) => conn.channelEvents(ch.id, 'post.created').map((e) => [e.seq, e.post.id]);
  assert.deepEqual(idsAt(b), idsAt(a), 'the same post at the same seq on both users\' connections');

  // The outsider is connected the whole time and sees nothing of the channel.
  assert.equal(c.channelEvents(ch.id).length, 0);

  // History agrees with what was seen live, and the thread counts its replies.
  const h = await b.ok('post.history', { channel_id: ch.id, limit: 200 });
  assert.deepEqual(h.posts.map((p) => [p.seq, p.id]), idsAt(a));
  const t = await a.ok('thread.get', { post_id: roots.Q2.id });
  assert.equal(t.root.reply_count, 12);
  assert.equal(t.replies.length, 12);
  const replySeqs = t.replies.map((p) => p.seq);
  assert.deepEqual(replySeqs, [...replySeqs].sort((x, y) => x - y), 'thread replies oldest first');

  // Unread: each user counts only the other's posts since joining.
  const listB = (await b.ok('channel.list')).channels.find((x) => x.id === ch.id);
  const fromA = h.posts.filter((p) => p.author.id === A.user.id).length;
  assert.equal(listB.unread, fromA);
  assert.equal(listB.last_seq, 28);
  assert.equal(listB.member_count, 2);
});

test('a reconnecting user receives new posts on the new connection only after it opens', async () => {
  const b2 = await connect(server.wsUrl, { token: B.token });
  clients.push(b2);
  const a = clients[0];
  const ch = (await a.ok('channel.list')).channels.find((x) => x.slug === 'thursday-chat');
  const p = await a.ok('post.create', { channel_id: ch.id, body: 'Welcome back' });
  const e = await b2.waitForEvent((ev) => ev.event === 'post.created' && ev.seq === p.post.seq && ev.channel_id === ch.id);
  assert.equal(e.post.id, p.post.id);
  assert.equal(b2.channelEvents(ch.id).length, 1, 'no replay without session.resume');
});
