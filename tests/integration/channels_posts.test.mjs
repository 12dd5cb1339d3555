// Channels, posts, threads, history paging, unread markers and visibility, driven by two users
// with live connections (PROTOCOL.md "Objects", "Events", "Ops").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';

const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const QUIET_MS = 400; // how long "nothing else arrives" is watched

let server;
let A; // { user, token }
let B;
let a; // A's connection
let b; // B's connection

function assertError(reply, code) {
  assert.equal(reply.ok, false, JSON.stringify(reply));
  assert.equal(reply.error?.code, code, JSON.stringify(reply));
}

function isEvent(kind, channelId, seq) {
  return (e) => e.event === kind && e.channel_id === channelId && (seq === undefined || e.seq === seq);
}

function assertPostShape(p) {
  const keys = ['id', 'channel_id', 'seq', 'thread_id', 'author', 'body', 'html', 'created_at', 'edited_at',
    'deleted', 'reactions', 'reply_count', 'client_id'];
  for (const k of keys) assert.ok(k in p, `post has ${k}: ${JSON.stringify(p)}`);
  assert.ok(Number.isInteger(p.id));
  assert.ok(Number.isInteger(p.seq) && p.seq >= 1);
  assert.deepEqual(Object.keys(p.author).sort(), ['display_name', 'handle', 'id']);
  assert.match(p.created_at, ISO_MS_Z);
  assert.equal(p.edited_at, null);
  assert.equal(p.deleted, false);
  assert.deepEqual(p.reactions, []);
}

/** Creates a channel as `client` and returns the channel from the reply. */
async function createChannel(client, slug, extra = {}) {
  const r = await client.ok('channel.create', { slug, title: `Title of ${slug}`, ...extra });
  return r.channel;
}

/** Posts and resolves to the reply's post. */
async function post(client, channelId, body, extra = {}) {
  const r = await client.ok('post.create', { channel_id: channelId, body, ...extra });
  return r.post;
}

/** The channel as it appears in client's channel.list, or undefined. */
async function listed(client, channelId) {
  const r = await client.ok('channel.list');
  return r.channels.find((c) => c.id === channelId);
}

before(async () => {
  server = await startServer({ args: ['--post-rate', '0'] });
  A = await registerUser(server.url, 'teacher.a', 'correct horse battery', 'Teacher A');
  B = await registerUser(server.url, 'teacher.b', 'correct horse battery', 'Teacher B');
  a = await connect(server.wsUrl, { token: A.token });
  b = await connect(server.wsUrl, { token: B.token });
});

after(async () => {
  await a?.close();
  await b?.close();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

test('create, list, join and post: both members see member.joined and post.created with seqs 1..3', async () => {
  const r = await a.ok('channel.create', { slug: 'grade-4-math', title: 'Grade 4 math', visibility: 'public' });
  const ch = r.channel;
  assert.equal(ch.slug, 'grade-4-math');
  assert.equal(ch.title, 'Grade 4 math');
  assert.equal(ch.description, '');
  assert.equal(ch.visibility, 'public');
  assert.equal(ch.member, true);
  assert.equal(ch.role, 'owner');
  assert.equal(ch.last_seq, 1);
  assert.equal(ch.created_by, A.user.id);
  assert.equal(ch.member_count, 1);
  assert.equal(ch.unread, 0);
  assert.match(ch.created_at, ISO_MS_Z);
  assert.ok(!('event' in r), 'a reply is not an event');

  const joinedA = await a.waitForEvent(isEvent('member.joined', ch.id, 1));
  assert.equal(joinedA.user.id, A.user.id);
  assert.equal(joinedA.channel.id, ch.id);

  const listB = await b.ok('channel.list');
  const seen = listB.channels.find((c) => c.id === ch.id);
  assert.ok(seen, 'B sees the public channel');
  assert.equal(seen.member, false);
  assert.equal(seen.role, null);
  assert.equal(seen.unread, 0);
  assert.equal(seen.last_seq, 1);
  assert.equal(seen.slug, 'grade-4-math');
  assert.equal(seen.visibility, 'public');
  const slugs = listB.channels.map((c) => c.slug);
  assert.deepEqual(slugs, [...slugs].sort(), 'channel.list is sorted by slug');

  const join = await b.ok('channel.join', { channel_id: ch.id });
  assert.equal(join.channel.member, true);
  assert.equal(join.channel.role, 'member');
  assert.equal(join.channel.member_count, 2);
  assert.equal(join.channel.last_seq, 2);
  const jA = await a.waitForEvent(isEvent('member.joined', ch.id, 2));
  const jB = await b.waitForEvent(isEvent('member.joined', ch.id, 2));
  assert.equal(jA.user.id, B.user.id);
  assert.equal(jB.user.id, B.user.id);
  assert.equal(jB.channel.member, true, 'member.joined.channel is the channel as the joiner sees it');

  const p = await a.ok('post.create', { channel_id: ch.id, body: 'Hello **bold** world' });
  assert.equal(p.duplicate, false);
  assertPostShape(p.post);
  assert.equal(p.post.seq, 3);
  assert.equal(p.post.channel_id, ch.id);
  assert.equal(p.post.thread_id, null);
  assert.equal(p.post.client_id, null);
  assert.equal(p.post.reply_count, 0);
  assert.equal(p.post.body, 'Hello **bold** world');
  assert.match(p.post.html, /<strong>bold<\/strong>/);
  assert.deepEqual(p.post.author, { id: A.user.id, handle: 'teacher.a', display_name: 'Teacher A' });
  for (const c of [a, b]) {
    const e = await c.waitForEvent(isEvent('post.created', ch.id, 3));
    assert.deepEqual(e.post, p.post, 'the event carries the same post as the reply');
  }
  await sleep(QUIET_MS);
  assert.equal(b.channelEvents(ch.id).filter((e) => e.seq === 1).length, 0, 'B was not a member at seq 1');
  assert.deepEqual(a.channelEvents(ch.id).map((e) => e.seq), [1, 2, 3]);
  assert.deepEqual(b.channelEvents(ch.id).map((e) => e.seq), [2, 3]);

  // Joining again is a no-op: same channel, no event, no seq.
  const again = await b.ok('channel.join', { channel_id: ch.id });
  assert.equal(again.channel.member, true);
  assert.equal(again.channel.last_seq, 3);
  await sleep(QUIET_MS);
  assert.deepEqual(a.channelEvents(ch.id).map((e) => e.seq), [1, 2, 3]);
});

test('Markdown is rendered on the server: bold, strikethrough, tables, autolinks; unsafe HTML and links removed', async () => {
  const ch = await createChannel(a, 'markdown');
  const cases = [
    ['**bold** and *em*', (h) => { assert.match(h, /<strong>bold<\/strong>/); assert.match(h, /<em>em<\/em>/); }],
    ['~~gone~~', (h) => assert.match(h, /<del>gone<\/del>/)],
    ['| a | b |\n|---|---|\n| 1 | 2 |', (h) => { assert.match(h, /<table>/); assert.match(h, /<th>a<\/th>/); assert.match(h, /<td>1<\/td>/); }],
    ['see https://example.org now', (h) => assert.match(h, /<a href="https:\/\/example\.org">https:\/\/example\.org<\/a>/)],
    ['<script>alert(1)</script>', (h) => { assert.doesNotMatch(h, /<script/i); }],
    ['hi <img src=x onerror=alert(1)> there', (h) => { assert.doesNotMatch(h, /<img/i); }],
    ['[x](javascript:alert(1))', (h) => { assert.doesNotMatch(h, /href\s*=\s*["']?\s*javascript:/i); assert.match(h, />x<\/a>|x/); }],
    ['[y](JaVaScRiPt:alert(1)) and [z](vbscript:msgbox(1))', (h) => { assert.doesNotMatch(h, /href\s*=\s*["']?\s*(javascript|vbscript):/i); }],
    ['<a href="javascript:alert(1)">click</a>', (h) => { assert.doesNotMatch(h, /href\s*=\s*["']?\s*javascript:/i); assert.doesNotMatch(h, /<a /i); }],
    ['5 < 6 & "quotes"', (h) => { assert.match(h, /5 &lt; 6 &amp; &quot;quotes&quot;/); }],
  ];
  for (const [body, check] of cases) {
    const p = await post(a, ch.id, body);
    assert.equal(p.body, body, 'body is kept verbatim');
    check(p.html);
    const e = await a.waitForEvent(isEvent('post.created', ch.id, p.seq));
    assert.equal(e.post.html, p.html);
  }
});

test('threads: a reply carries thread_id, counts on the root, thread.get returns both; invalid thread_ids refused', async () => {
  const ch = await createChannel(a, 'threads');
  await b.ok('channel.join', { channel_id: ch.id });
  const root = await post(a, ch.id, 'Q1 What worked this week?');
  const reply = await post(b, ch.id, 'A1 Number talks', { thread_id: root.id });
  assert.equal(reply.thread_id, root.id);
  assert.equal(reply.reply_count, 0);
  assert.equal(reply.seq, root.seq + 1);
  for (const c of [a, b]) {
    const e = await c.waitForEvent(isEvent('post.created', ch.id, reply.seq));
    assert.equal(e.post.thread_id, root.id);
    assert.equal(e.post.id, reply.id);
    assert.equal(e.post.author.id, B.user.id);
  }
  const t = await b.ok('thread.get', { post_id: root.id });
  assert.equal(t.root.id, root.id);
  assert.equal(t.root.reply_count, 1);
  assert.deepEqual(t.replies.map((p) => p.id), [reply.id]);
  const viaReply = await a.ok('thread.get', { post_id: reply.id });
  assert.equal(viaReply.root.id, root.id, 'thread.get accepts a reply id');

  const second = await post(a, ch.id, 'A1 also: exit tickets', { thread_id: root.id });
  const t2 = await a.ok('thread.get', { post_id: root.id });
  assert.equal(t2.root.reply_count, 2);
  assert.deepEqual(t2.replies.map((p) => p.id), [reply.id, second.id], 'replies oldest first');
  const hist = await a.ok('post.history', { channel_id: ch.id });
  assert.deepEqual(hist.posts.map((p) => p.id), [root.id, reply.id, second.id], 'history holds roots and replies');
  assert.equal(hist.posts[0].reply_count, 2);

  assertError(await b.request('post.create', { channel_id: ch.id, body: 'nested', thread_id: reply.id }), 'bad_request');
  const other = await createChannel(a, 'threads-other');
  const foreignRoot = await post(a, other.id, 'root elsewhere');
  assertError(await a.request('post.create', { channel_id: ch.id, body: 'cross', thread_id: foreignRoot.id }), 'not_found');
  assertError(await a.request('post.create', { channel_id: ch.id, body: 'ghost', thread_id: 987654321 }), 'not_found');
  assertError(await a.request('thread.get', { post_id: 987654321 }), 'not_found');
  const after = await a.ok('thread.get', { post_id: root.id });
  assert.equal(after.root.reply_count, 2, 'refused replies were not stored');
});

test('client_id makes post.create idempotent per author', async () => {
  const ch = await createChannel(a, 'idempotent');
  await b.ok('channel.join', { channel_id: ch.id });
  const first = await a.ok('post.create', { channel_id: ch.id, body: 'only once', client_id: 'c-7f3a' });
  assert.equal(first.duplicate, false);
  assert.equal(first.post.client_id, 'c-7f3a');
  const retry = await a.ok('post.create', { channel_id: ch.id, body: 'only once', client_id: 'c-7f3a' });
  assert.equal(retry.duplicate, true);
  assert.equal(retry.post.id, first.post.id);
  assert.equal(retry.post.seq, first.post.seq);
  // Another author may use the same client_id: it is unique per author.
  const other = await b.ok('post.create', { channel_id: ch.id, body: 'mine', client_id: 'c-7f3a' });
  assert.equal(other.duplicate, false);
  assert.notEqual(other.post.id, first.post.id);
  assert.equal(other.post.seq, first.post.seq + 1, 'the duplicate took no seq');
  await b.waitForEvent(isEvent('post.created', ch.id, other.post.seq));
  await sleep(QUIET_MS);
  for (const c of [a, b]) {
    const created = c.channelEvents(ch.id, 'post.created').filter((e) => e.post.id === first.post.id);
    assert.equal(created.length, 1, 'exactly one post.created for the retried post');
  }
  const h = await a.ok('post.history', { channel_id: ch.id });
  assert.equal(h.posts.filter((p) => p.client_id === 'c-7f3a' && p.author.id === A.user.id).length, 1);
  assert.equal(h.posts.length, 2);
});

test('post.history: newest page by default, limit, before_seq/after_seq paging with has_more', async () => {
  const ch = await createChannel(a, 'paging'); // seq 1 is the creator joining
  const posted = [];
  for (let i = 1; i <= 12; i++) posted.push(await post(a, ch.id, `post ${i}`));
  assert.deepEqual(posted.map((p) => p.seq), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  const seqs = (r) => r.posts.map((p) => p.seq);

  const all = await a.ok('post.history', { channel_id: ch.id });
  assert.deepEqual(seqs(all), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], 'oldest first');
  assert.equal(all.has_more, false);
  assert.deepEqual(all.posts.map((p) => p.body), posted.map((p) => p.body));

  const newest = await a.ok('post.history', { channel_id: ch.id, limit: 5 });
  assert.deepEqual(seqs(newest), [9, 10, 11, 12, 13]);
  assert.equal(newest.has_more, true);
  const older = await a.ok('post.history', { channel_id: ch.id, limit: 5, before_seq: 9 });
  assert.deepEqual(seqs(older), [4, 5, 6, 7, 8]);
  assert.equal(older.has_more, true);
  const oldest = await a.ok('post.history', { channel_id: ch.id, limit: 5, before_seq: 4 });
  assert.deepEqual(seqs(oldest), [2, 3]);
  assert.equal(oldest.has_more, false);

  const f1 = await a.ok('post.history', { channel_id: ch.id, limit: 5, after_seq: 0 });
  assert.deepEqual(seqs(f1), [2, 3, 4, 5, 6]);
  assert.equal(f1.has_more, true);
  const f2 = await a.ok('post.history', { channel_id: ch.id, limit: 5, after_seq: 6 });
  assert.deepEqual(seqs(f2), [7, 8, 9, 10, 11]);
  assert.equal(f2.has_more, true);
  const f3 = await a.ok('post.history', { channel_id: ch.id, limit: 5, after_seq: 11 });
  assert.deepEqual(seqs(f3), [12, 13]);
  assert.equal(f3.has_more, false);
  const exact = await a.ok('post.history', { channel_id: ch.id, limit: 5, after_seq: 8 });
  assert.deepEqual(seqs(exact), [9, 10, 11, 12, 13]);
  assert.equal(exact.has_more, false, 'a page that ends exactly at the newest post has no more');
  const exactBack = await a.ok('post.history', { channel_id: ch.id, limit: 4, before_seq: 6 });
  assert.deepEqual(seqs(exactBack), [2, 3, 4, 5]);
  assert.equal(exactBack.has_more, false, 'a page that ends exactly at the oldest post has no more');

  const bounded = await a.ok('post.history', { channel_id: ch.id, after_seq: 3, before_seq: 8, limit: 10 });
  assert.deepEqual(seqs(bounded), [4, 5, 6, 7]);
  assert.equal(bounded.has_more, false);
  const boundedPage = await a.ok('post.history', { channel_id: ch.id, after_seq: 3, before_seq: 8, limit: 2 });
  assert.deepEqual(seqs(boundedPage), [4, 5], 'both cursors page from after_seq');
  assert.equal(boundedPage.has_more, true);

  const empty = await a.ok('post.history', { channel_id: ch.id, after_seq: 13 });
  assert.deepEqual(empty.posts, []);
  assert.equal(empty.has_more, false);

  // A non-member may read a public channel's history.
  const byB = await b.ok('post.history', { channel_id: ch.id, limit: 3 });
  assert.deepEqual(seqs(byB), [11, 12, 13]);

  assertError(await a.request('post.history', { channel_id: ch.id, limit: 0 }), 'bad_request');
  assertError(await a.request('post.history', { channel_id: ch.id, limit: 201 }), 'bad_request');
  assertError(await a.request('post.history', { channel_id: 987654321 }), 'not_found');
});

test('default history limit is 50 and max 200', async () => {
  const ch = await createChannel(a, 'many-posts');
  const sent = await Promise.all(Array.from({ length: 55 }, (_, i) =>
    a.ok('post.create', { channel_id: ch.id, body: `bulk ${i}` }, 15000)));
  assert.equal(new Set(sent.map((r) => r.post.seq)).size, 55, 'every post has its own seq');
  const page = await a.ok('post.history', { channel_id: ch.id });
  assert.equal(page.posts.length, 50);
  assert.equal(page.has_more, true);
  assert.deepEqual(page.posts.map((p) => p.seq), Array.from({ length: 50 }, (_, i) => 7 + i));
  const big = await a.ok('post.history', { channel_id: ch.id, limit: 200 });
  assert.equal(big.posts.length, 55);
  assert.equal(big.has_more, false);
});

test('seqs are gap-free across joins, posts and leaves; a leaver stops receiving the channel', async () => {
  const ch = await createChannel(a, 'seqs'); // 1
  await b.ok('channel.join', { channel_id: ch.id }); // 2
  await post(a, ch.id, 'from A'); // 3
  await post(b, ch.id, 'from B'); // 4
  const left = await b.ok('channel.leave', { channel_id: ch.id }); // 5
  assert.equal(left.channel.member, false);
  assert.equal(left.channel.role, null);
  for (const c of [a, b]) {
    const e = await c.waitForEvent(isEvent('member.left', ch.id, 5));
    assert.equal(e.user.id, B.user.id);
  }
  const afterLeave = await post(a, ch.id, 'B should not see this'); // 6
  assert.equal(afterLeave.seq, 6);
  await a.waitForEvent(isEvent('post.created', ch.id, 6));
  assertError(await b.request('post.create', { channel_id: ch.id, body: 'not a member' }), 'forbidden');
  const leaveAgain = await b.ok('channel.leave', { channel_id: ch.id });
  assert.equal(leaveAgain.channel.member, false);
  await sleep(QUIET_MS);
  assert.equal(b.channelEvents(ch.id).filter((e) => e.seq >= 6).length, 0, 'B got nothing after leaving');

  await b.ok('channel.join', { channel_id: ch.id }); // 7
  await post(b, ch.id, 'back again'); // 8
  await a.waitForEvent(isEvent('post.created', ch.id, 8));
  await b.waitForEvent(isEvent('post.created', ch.id, 8));
  await sleep(QUIET_MS);
  assert.deepEqual(a.channelEvents(ch.id).map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(a.channelEvents(ch.id).map((e) => e.event), ['member.joined', 'member.joined', 'post.created',
    'post.created', 'member.left', 'post.created', 'member.joined', 'post.created']);
  assert.deepEqual(b.channelEvents(ch.id).map((e) => e.seq), [2, 3, 4, 5, 7, 8]);
  const list = await listed(a, ch.id);
  assert.equal(list.last_seq, 8);
});

test('a non-member may not post to or mark read a public channel (forbidden)', async () => {
  const ch = await createChannel(a, 'members-only');
  await post(a, ch.id, 'members only');
  assertError(await b.request('post.create', { channel_id: ch.id, body: 'let me in' }), 'forbidden');
  assertError(await b.request('channel.read', { channel_id: ch.id, seq: 2 }), 'forbidden');
  const h = await a.ok('post.history', { channel_id: ch.id });
  assert.equal(h.posts.length, 1);
});

test('a private channel is invisible to non-members: not_found everywhere, no events', async () => {
  const r = await a.ok('channel.create', { slug: 'staff-only', title: 'Staff only', visibility: 'private' });
  const ch = r.channel;
  assert.equal(ch.visibility, 'private');
  assert.equal(ch.role, 'owner');
  await a.waitForEvent(isEvent('member.joined', ch.id, 1));
  const p = await post(a, ch.id, 'private words');
  await a.waitForEvent(isEvent('post.created', ch.id, p.seq));

  const listA = await a.ok('channel.list');
  assert.ok(listA.channels.some((c) => c.id === ch.id), 'the member lists it');
  const listB = await b.ok('channel.list');
  assert.ok(!listB.channels.some((c) => c.id === ch.id || c.slug === 'staff-only'), 'B does not list it');

  assertError(await b.request('channel.join', { channel_id: ch.id }), 'not_found');
  assertError(await b.request('post.history', { channel_id: ch.id }), 'not_found');
  assertError(await b.request('post.create', { channel_id: ch.id, body: 'hello?' }), 'not_found');
  assertError(await b.request('post.create', { channel_id: ch.id, body: 'reply?', thread_id: p.id }), 'not_found');
  assertError(await b.request('thread.get', { post_id: p.id }), 'not_found');
  assertError(await b.request('channel.read', { channel_id: ch.id, seq: 1 }), 'not_found');
  // Same answer as for a channel that does not exist (existence does not leak).
  const ghost = await b.request('channel.join', { channel_id: 987654321 });
  assertError(ghost, 'not_found');

  // Its slug is still taken.
  assertError(await b.request('channel.create', { slug: 'staff-only', title: 'Mine' }), 'conflict');

  await post(a, ch.id, 'more private words');
  await sleep(QUIET_MS);
  assert.equal(b.channelEvents(ch.id).length, 0, 'B received no event of the private channel');
  const stillNotMember = await a.ok('post.history', { channel_id: ch.id });
  assert.equal(stillNotMember.posts.length, 2);
});

test('channel.create validates slug, title, description, visibility; duplicate slugs conflict', async () => {
  const ok = await a.ok('channel.create', { slug: 'Science_7', title: 'Science 7', description: 'Labs' });
  assert.equal(ok.channel.slug, 'science_7', 'slugs are lowercased');
  assert.equal(ok.channel.description, 'Labs');
  assertError(await a.request('channel.create', { slug: 'science_7', title: 'Again' }), 'conflict');
  assertError(await b.request('channel.create', { slug: 'SCIENCE_7', title: 'Again' }), 'conflict');
  const bad = [
    { slug: 'a', title: 'Too short' },
    { slug: 's'.repeat(33), title: 'Too long' },
    { slug: 'has space', title: 'Space' },
    { slug: 'dot.slug', title: 'Dot' },
    { slug: 'ünï', title: 'Unicode' },
    { slug: 'slash/slug', title: 'Slash' },
    { slug: 'ok-slug', title: '' },
    { slug: 'ok-slug', title: 't'.repeat(81) },
    { slug: 'ok-slug', title: 'Fine', description: 'd'.repeat(501) },
    { slug: 'ok-slug', title: 'Fine', visibility: 'secret' },
  ];
  for (const fields of bad) assertError(await a.request('channel.create', fields), 'bad_request');
  const edge = await a.ok('channel.create', { slug: 'ok', title: 'é'.repeat(80), description: 'é'.repeat(500) });
  assert.equal(edge.channel.title, 'é'.repeat(80), 'limits count code points');
  const longest = await a.ok('channel.create', { slug: 's'.repeat(32), title: 'Longest' });
  assert.equal(longest.channel.slug, 's'.repeat(32));
  const list = await b.ok('channel.list');
  assert.ok(!list.channels.some((c) => c.slug === 'ok-slug'), 'no refused channel was created');
});

test('post body: 1-16,000 code points, not only white space', async () => {
  const ch = await createChannel(a, 'lengths');
  const max = 'é'.repeat(16000);
  const okPost = await post(a, ch.id, max);
  assert.equal(okPost.body, max);
  assert.equal([...okPost.body].length, 16000);
  assertError(await a.request('post.create', { channel_id: ch.id, body: 'é'.repeat(16001) }), 'bad_request');
  assertError(await a.request('post.create', { channel_id: ch.id, body: 'x'.repeat(16001) }), 'bad_request');
  // Astral characters count once each (4 bytes, two UTF-16 units).
  const emoji = '🍎'.repeat(16000);
  const emojiPost = await post(a, ch.id, emoji);
  assert.equal(emojiPost.body, emoji);
  assertError(await a.request('post.create', { channel_id: ch.id, body: '' }), 'bad_request');
  assertError(await a.request('post.create', { channel_id: ch.id, body: '   \n\t ' }), 'bad_request');
  const h = await a.ok('post.history', { channel_id: ch.id });
  assert.equal(h.posts.length, 2);
});

test('unread counts other members\' posts after the read marker; channel.read moves it forward only', async () => {
  const ch = await createChannel(a, 'unread'); // 1
  const join = await b.ok('channel.join', { channel_id: ch.id }); // 2
  assert.equal(join.channel.unread, 0);
  const p3 = await post(a, ch.id, 'one'); // 3
  await post(a, ch.id, 'two'); // 4
  const p5 = await post(a, ch.id, 'three'); // 5
  assert.equal(p5.seq, 5);
  await post(b, ch.id, 'my own post does not count'); // 6
  await b.waitForEvent(isEvent('post.created', ch.id, 6));
  assert.equal((await listed(b, ch.id)).unread, 3);

  const r4 = await b.ok('channel.read', { channel_id: ch.id, seq: 4 });
  assert.equal(r4.channel.unread, 1);
  assert.equal((await listed(b, ch.id)).unread, 1);
  const back = await b.ok('channel.read', { channel_id: ch.id, seq: 2 });
  assert.equal(back.channel.unread, 1, 'the marker never moves backward');

  await post(a, ch.id, 'a reply counts too', { thread_id: p3.id }); // 7
  assert.equal((await listed(b, ch.id)).unread, 2);

  const all = await b.ok('channel.read', { channel_id: ch.id, seq: 7 });
  assert.equal(all.channel.unread, 0);
  assert.equal(all.channel.last_seq, 7, 'channel.read takes no seq');

  const past = await b.request('channel.read', { channel_id: ch.id, seq: 1000 });
  if (past.ok) assert.equal(past.channel.unread, 0);
  else assertError(past, 'bad_request');
  const p8 = await post(a, ch.id, 'after the clamp'); // 8
  assert.equal(p8.seq, 8, 'channel.read took no seq');
  assert.equal((await listed(b, ch.id)).unread, 1, 'the marker never moves past last_seq');

  // Non-members have nothing unread; a joiner starts at last_seq.
  const C = await registerUser(server.url, 'teacher.c');
  const c = await connect(server.wsUrl, { token: C.token });
  try {
    assert.equal((await listed(c, ch.id)).unread, 0);
    const cj = await c.ok('channel.join', { channel_id: ch.id });
    assert.equal(cj.channel.unread, 0, 'joining does not flood with old posts');
    await post(a, ch.id, 'new for C');
    assert.equal((await listed(c, ch.id)).unread, 1);
  } finally {
    await c.close();
  }
  // No channel.read produced an event: B saw exactly seqs 2..10 (C joined at 9, posted at 10).
  await b.waitForEvent(isEvent('post.created', ch.id, 10));
  await sleep(QUIET_MS);
  assert.deepEqual(b.channelEvents(ch.id).map((e) => e.seq), [2, 3, 4, 5, 6, 7, 8, 9, 10], 'reads emitted no event');
});
