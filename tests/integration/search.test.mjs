// Full-text search: every word matched on its own, FTS5 syntax is just text, HTML-escaped
// snippets with <mark>, ranking, the index follows edits and deletes, private channels never
// leak (PROTOCOL.md "search"; DESIGN.md "Security rules").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect } from '../support/ws_client.mjs';
import { assertError, createChannel, post } from '../support/community.mjs';

let server;
const U = {};
const c = {};
let math;
let science;
const P = {}; // named posts

before(async () => {
  server = await startServer({ args: ['--post-rate', '0'] });
  for (const [key, handle, name] of [['admin', 'site.admin', 'Sam Admin'], ['a', 'ana.s', 'Ana S'],
    ['b', 'bo.s', 'Bo S'], ['x', 'xan.s', 'Xan S']]) {
    U[key] = await registerUser(server.url, handle, 'correct horse battery', name);
    c[key] = await connect(server.wsUrl, { token: U[key].token });
  }
  math = await createChannel(c.a, 'search-math');
  science = await createChannel(c.a, 'search-science');
  P.talks = await post(c.a, math.id, 'Number talks build fluency with mental math');
  P.lines = await post(c.a, math.id, 'We tried number lines today');
  P.sense = await post(c.a, science.id, 'Talks about number sense in science labs');
  P.many = await post(c.a, math.id, 'fractions fractions fractions');
  P.once = await post(c.a, math.id, 'A long afternoon discussion about assessment, pacing, grouping, homework, '
    + 'parent conferences and, in passing, fractions, then planning for the next unit on measurement');
  P.pizza = await post(c.a, math.id, 'fractions with pizza slices');
  P.words = await post(c.a, science.id, 'AND OR NOT NEAR are just words here');
  P.prek = await post(c.a, science.id, 'pre-k circle time');
});

after(async () => {
  for (const k of Object.keys(c)) await c[k]?.close();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

const ids = (r) => r.hits.map((h) => h.post.id);
const sorted = (a) => [...a].sort((x, y) => x - y);

/** Asserts the snippet has no markup other than <mark>…</mark>. */
function assertOnlyMarks(snippet) {
  const stripped = snippet.replace(/<\/?mark>/g, '');
  assert.ok(!/[<>]/.test(stripped), `only <mark> tags in the snippet: ${snippet}`);
  assert.ok(!/&(?!([a-z]+|#\d+|#x[0-9a-f]+);)/i.test(stripped), `every & is an entity: ${snippet}`);
}

test('each word is matched on its own (all words, any order); hits are {post, snippet} with <mark>; channel_id narrows', async () => {
  const r = await c.x.ok('search', { q: 'number talks' });
  assert.deepEqual(sorted(ids(r)), sorted([P.talks.id, P.sense.id]), 'posts holding both words, adjacent or not');
  for (const h of r.hits) {
    assert.deepEqual(Object.keys(h).sort(), ['post', 'snippet']);
    assert.equal(typeof h.snippet, 'string');
    assert.match(h.snippet, /<mark>number<\/mark>/i);
    assert.match(h.snippet, /<mark>talks<\/mark>/i);
    assertOnlyMarks(h.snippet);
    for (const k of ['id', 'channel_id', 'seq', 'author', 'body', 'html', 'deleted', 'reactions']) assert.ok(k in h.post, k);
  }
  const hit = r.hits.find((h) => h.post.id === P.talks.id);
  assert.deepEqual(hit.post, P.talks, 'the hit carries the post as it is');
  const narrowed = await c.x.ok('search', { q: 'number talks', channel_id: science.id });
  assert.deepEqual(ids(narrowed), [P.sense.id]);
  const caseless = await c.x.ok('search', { q: 'NUMBER' });
  assert.deepEqual(sorted(ids(caseless)), sorted([P.talks.id, P.lines.id, P.sense.id]));
  assertError(await c.x.request('search', { q: 'number', channel_id: 987654321 }), 'not_found');
});

test('best match first', async () => {
  const r = await c.x.ok('search', { q: 'fractions' });
  assert.deepEqual(sorted(ids(r)), sorted([P.many.id, P.once.id, P.pizza.id]));
  assert.equal(r.hits[0].post.id, P.many.id, 'three occurrences in a short post rank first');
  assert.equal(r.hits.at(-1).post.id, P.once.id, 'one occurrence in a long post ranks last');
});

test('an empty or blank q finds nothing; limit is 1-50, default 20', async () => {
  for (const q of ['', '   ']) assert.deepEqual((await c.x.ok('search', { q })).hits, [], JSON.stringify(q));
  const ch = await createChannel(c.a, 'search-limit');
  await Promise.all(Array.from({ length: 25 }, (_, i) => c.a.ok('post.create', { channel_id: ch.id, body: `kumquat number ${i}` }, 15000)));
  assert.equal((await c.x.ok('search', { q: 'kumquat' })).hits.length, 20, 'default limit 20');
  assert.equal((await c.x.ok('search', { q: 'kumquat', limit: 3 })).hits.length, 3);
  assert.equal((await c.x.ok('search', { q: 'kumquat', limit: 50 })).hits.length, 25);
  for (const limit of [0, 51, -1, 'ten']) assertError(await c.x.request('search', { q: 'kumquat', limit }), 'bad_request');
  assertError(await c.x.request('search', {}), 'bad_request');
  assertError(await c.x.request('search', { q: 5 }), 'bad_request');
});

test('FTS5 syntax in q is just text: never an error, and operators have no effect', async () => {
  const queries = ['"', '""', '"unterminated', 'a"b', '*', '**', 'frac*', 'AND', 'OR', 'NOT', 'NEAR(', 'NEAR(number talks, 2)',
    '-', '-fractions', '(', ')', '(fractions', 'fractions)', '^fractions', 'body:fractions', '{body}: number', '+', ':', "'", '\\',
    'fractions OR kumquat', 'fractions NOT pizza', 'number AND', 'NEAR', 'number * talks', '"number talks"', '\u00a0', 'ünïcödé 🍎',
    'a'.repeat(200), Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')];
  for (const q of queries) {
    const r = await c.x.request('search', { q });
    assert.equal(r.ok, true, `q ${JSON.stringify(q).slice(0, 60)} is not an error: ${JSON.stringify(r).slice(0, 300)}`);
    assert.ok(Array.isArray(r.hits));
    for (const h of r.hits) assertOnlyMarks(h.snippet);
  }
  const q = async (text) => ids(await c.x.ok('search', { q: text }));
  assert.ok((await q('AND')).includes(P.words.id), 'AND is a word to find');
  assert.ok((await q('NEAR')).includes(P.words.id), 'NEAR is a word to find');
  assert.deepEqual(sorted(await q('NOT OR')), [P.words.id]);
  assert.ok(!(await q('frac*')).some((id) => [P.many.id, P.once.id, P.pizza.id].includes(id)), '* is not a prefix operator');
  assert.deepEqual(sorted(await q('-fractions')), sorted([P.many.id, P.once.id, P.pizza.id]), '- is not negation');
  assert.deepEqual(sorted(await q('fractions -pizza')), [P.pizza.id], '-pizza is the word pizza, not "without pizza"');
  assert.deepEqual(await q('fractions OR kumquat'), [], 'OR is a word every hit must hold, not a disjunction');
  assert.ok(!(await q('fractions NOT pizza')).includes(P.many.id), 'NOT is a word, not an operator');
  assert.deepEqual(sorted(await q('(fractions')), sorted([P.many.id, P.once.id, P.pizza.id]));
  assert.deepEqual(await q('pre-k'), [P.prek.id]);
  assert.deepEqual(await q('body:fractions'), [], 'no column filter: "body" is a word none of these posts holds');
});

test('snippets are HTML-escaped text with the matches in <mark>', async () => {
  const ch = await createChannel(c.a, 'search-escape');
  // Inside code spans, so the text is the same in the Markdown body and in the rendered html.
  const p1 = await post(c.a, ch.id, 'rubric `<b>bold</b> & <script>alert("pwn")</script>` tail');
  const p2 = await post(c.a, ch.id, 'the `<mark>fake</mark>` rubrical and <img src=x onerror=alert(1)> words');
  const r1 = await c.x.ok('search', { q: 'rubric' });
  const h1 = r1.hits.find((h) => h.post.id === p1.id);
  assert.ok(h1, JSON.stringify(r1));
  assert.match(h1.snippet, /<mark>rubric<\/mark>/);
  assertOnlyMarks(h1.snippet);
  assert.ok(!/<script|<b>/i.test(h1.snippet), h1.snippet);
  const r2 = await c.x.ok('search', { q: 'rubrical' });
  assert.deepEqual(ids(r2), [p2.id]);
  const s2 = r2.hits[0].snippet;
  assert.match(s2, /<mark>rubrical<\/mark>/);
  assert.equal((s2.match(/<mark>/g) || []).length, 1, `only the match is marked, the post's own <mark> is escaped: ${s2}`);
  assert.match(s2, /&lt;mark&gt;fake&lt;\/mark&gt;/, s2);
  assertOnlyMarks(s2);
  const r3 = await c.x.ok('search', { q: '<script>' });
  for (const h of r3.hits) assertOnlyMarks(h.snippet);
  const r4 = await c.x.ok('search', { q: 'pwn' });
  assert.deepEqual(ids(r4), [p1.id]);
  assert.match(r4.hits[0].snippet, /<mark>pwn<\/mark>/);
  assertOnlyMarks(r4.hits[0].snippet);
});

test('the index follows edits and deletes', async () => {
  const ch = await createChannel(c.a, 'search-edits');
  const p = await post(c.a, ch.id, 'alpha kiwifruit smoothie');
  assert.deepEqual(ids(await c.x.ok('search', { q: 'kiwifruit' })), [p.id]);
  await c.a.ok('post.edit', { post_id: p.id, body: 'beta mangosteen smoothie' });
  assert.deepEqual(ids(await c.x.ok('search', { q: 'kiwifruit' })), [], 'the old text is no longer found');
  const m = await c.x.ok('search', { q: 'mangosteen' });
  assert.deepEqual(ids(m), [p.id], 'the new text is found');
  assert.equal(m.hits[0].post.body, 'beta mangosteen smoothie');
  assert.notEqual(m.hits[0].post.edited_at, null);
  assert.match(m.hits[0].snippet, /<mark>mangosteen<\/mark>/);
  assert.deepEqual(ids(await c.x.ok('search', { q: 'smoothie' })), [p.id], 'one hit per post, not one per version');
  await c.a.ok('post.edit', { post_id: p.id, body: 'gamma durian smoothie' });
  assert.deepEqual(ids(await c.x.ok('search', { q: 'mangosteen' })), []);
  assert.deepEqual(ids(await c.x.ok('search', { q: 'durian' })), [p.id]);
  await c.a.ok('post.delete', { post_id: p.id });
  for (const word of ['durian', 'smoothie', 'kiwifruit', 'mangosteen']) {
    assert.deepEqual(ids(await c.x.ok('search', { q: word })), [], `a deleted post is not found by ${word}`);
  }
  // A reply is searchable and survives its root's deletion.
  const root = await post(c.a, ch.id, 'root persimmon');
  await c.b.ok('channel.join', { channel_id: ch.id });
  const reply = await post(c.b, ch.id, 'reply persimmon', { thread_id: root.id });
  await c.a.ok('post.delete', { post_id: root.id });
  assert.deepEqual(ids(await c.x.ok('search', { q: 'persimmon' })), [reply.id]);
});

test('private channel posts are found by members only, and stop being found when a member is removed', async () => {
  const priv = await createChannel(c.a, 'search-private', { visibility: 'private' });
  const secret = await post(c.a, priv.id, 'zephyrine budget figures');
  const pub = await createChannel(c.a, 'search-public-too');
  const open = await post(c.a, pub.id, 'zephyrine in the open');
  assert.deepEqual(ids(await c.x.ok('search', { q: 'zephyrine' })), [open.id], 'a non-member sees only the public hit');
  assert.deepEqual(ids(await c.x.ok('search', { q: 'budget figures' })), []);
  const inPriv = await c.x.request('search', { q: 'zephyrine', channel_id: priv.id });
  if (inPriv.ok) assert.deepEqual(inPriv.hits, []);
  else assertError(inPriv, 'not_found');
  assert.deepEqual(sorted(ids(await c.a.ok('search', { q: 'zephyrine' }))), sorted([secret.id, open.id]));
  assert.deepEqual(ids(await c.admin.ok('search', { q: 'budget figures' })), [], 'not even a server admin who is not a member');

  await c.a.ok('channel.invite', { channel_id: priv.id, user_id: U.b.user.id });
  assert.deepEqual(ids(await c.b.ok('search', { q: 'budget figures' })), [secret.id]);
  assert.deepEqual(ids(await c.b.ok('search', { q: 'budget', channel_id: priv.id })), [secret.id]);
  await c.a.ok('channel.remove', { channel_id: priv.id, user_id: U.b.user.id });
  assert.deepEqual(ids(await c.b.ok('search', { q: 'budget figures' })), [], 'removed: no longer found');
});
