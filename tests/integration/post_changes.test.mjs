// post.edit / post.versions / post.delete / post.react with their events, who may do what,
// and gap-free seqs across every kind of change (PROTOCOL.md "post.edit" … "post.react").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import {
  ISO_MS_Z, QUIET_MS, assertError, isEvent, createChannel, post, listed, assertConsecutive,
useCommunity,
} from '../support/community.mjs';

const community = useCommunity([['admin', 'site.admin', 'Sam Admin'], ['a', 'author.a', 'Ann Author'],
  ['b', 'reader.b', 'Bo Reader'], ['m', 'mod.m', 'Maya Mod'], ['x', 'outsider.x', 'Xavier Outsider']], { before, after, assert, startServer, registerUser, connect });
const { U, c } = community;

/** A public channel owned by m (so m is its moderator-or-better) with a and b as members. */
async function room(slug, extra = {}) {
  const ch = await createChannel(c.m, slug, extra); // 1
  if (extra.visibility === 'private') {
    await c.m.ok('channel.invite', { channel_id: ch.id, user_id: U.a.user.id }); // 2
    await c.m.ok('channel.invite', { channel_id: ch.id, user_id: U.b.user.id }); // 3
  } else {
    await c.a.ok('channel.join', { channel_id: ch.id }); // 2
    await c.b.ok('channel.join', { channel_id: ch.id }); // 3
  }
  await c.b.waitForEvent(isEvent('member.joined', ch.id, 3));
  return ch;
}

test('post.edit: the author only; new body and html, edited_at set, the post keeps its seq, post.edited takes the next seq', async () => {
  const ch = await room('edit-room');
  const p = await post(c.a, ch.id, 'Q1 what *worked*?'); // 4
  assert.equal(p.seq, 4);
  const r = await c.a.ok('post.edit', { post_id: p.id, body: 'Q1 what **worked** this week?' }); // 5
  assert.equal(r.post.id, p.id);
  assert.equal(r.post.seq, 4, 'post.seq stays its creation seq');
  assert.equal(r.post.body, 'Q1 what **worked** this week?');
  assert.match(r.post.html, /<strong>worked<\/strong>/);
  assert.match(r.post.edited_at, ISO_MS_Z);
  assert.ok(r.post.edited_at >= p.created_at);
  assert.equal(r.post.created_at, p.created_at);
  assert.equal(r.post.deleted, false);
  for (const cl of [c.a, c.b, c.m]) {
    const e = await cl.waitForEvent(isEvent('post.edited', ch.id, 5));
    assert.deepEqual(e.post, r.post, 'the event carries the edited post');
  }
  assertError(await c.b.request('post.edit', { post_id: p.id, body: 'not mine' }), 'forbidden');
  assertError(await c.m.request('post.edit', { post_id: p.id, body: 'moderators do not edit' }), 'forbidden');
  assertError(await c.admin.request('post.edit', { post_id: p.id, body: 'admins do not edit' }), 'forbidden');
  assertError(await c.x.request('post.edit', { post_id: p.id, body: 'nor outsiders' }), 'forbidden');
  assertError(await c.a.request('post.edit', { post_id: p.id, body: '' }), 'bad_request');
  assertError(await c.a.request('post.edit', { post_id: p.id, body: '  \n ' }), 'bad_request');
  assertError(await c.a.request('post.edit', { post_id: p.id, body: 'x'.repeat(16001) }), 'bad_request');
  assertError(await c.a.request('post.edit', { post_id: 987654321, body: 'ghost' }), 'not_found');
  assertError(await c.a.request('post.edit', { post_id: p.id }), 'bad_request');

  const h = await c.b.ok('post.history', { channel_id: ch.id });
  assert.deepEqual(h.posts.map((x) => [x.id, x.seq, x.body]), [[p.id, 4, 'Q1 what **worked** this week?']]);
  assert.equal(h.posts[0].edited_at, r.post.edited_at);
  assert.equal((await listed(c.b, ch.id)).last_seq, 5, 'refused edits took no seq');
});

test('post.versions: every earlier body oldest first with written_at; the author, moderators/owners and admins may read it, others not', async () => {
  const ch = await room('versions-room');
  const p = await post(c.a, ch.id, 'version *one*'); // 4
  const none = await c.a.ok('post.versions', { post_id: p.id });
  assert.deepEqual(none.versions, [], 'an unedited post has no earlier versions');
  const e1 = await c.a.ok('post.edit', { post_id: p.id, body: 'version two' }); // 5
  const e2 = await c.a.ok('post.edit', { post_id: p.id, body: 'version three' }); // 6
  assert.equal(e2.post.body, 'version three');

  for (const who of ['a', 'm', 'admin']) {
    const v = await c[who].ok('post.versions', { post_id: p.id });
    assert.deepEqual(v.versions.map((x) => x.body), ['version *one*', 'version two'], `${who} reads the versions`);
    assert.match(v.versions[0].html, /<em>one<\/em>/);
    assert.equal(v.versions[1].html, '<p>version two</p>\n');
    for (const x of v.versions) assert.deepEqual(Object.keys(x).sort(), ['body', 'html', 'written_at']);
    assert.equal(v.versions[0].written_at, p.created_at, 'the first version was written when the post was created');
    assert.equal(v.versions[1].written_at, e1.post.edited_at, 'the second by the first edit');
    assert.ok(v.versions[1].written_at <= e2.post.edited_at);
  }
  assertError(await c.b.request('post.versions', { post_id: p.id }), 'forbidden');
  assertError(await c.x.request('post.versions', { post_id: p.id }), 'forbidden');
  assertError(await c.a.request('post.versions', { post_id: 987654321 }), 'not_found');

  // A channel moderator (not the owner) may read them too.
  await c.m.ok('channel.set_role', { channel_id: ch.id, user_id: U.b.user.id, role: 'moderator' }); // 7
  const asMod = await c.b.ok('post.versions', { post_id: p.id });
  assert.equal(asMod.versions.length, 2);
  await c.m.ok('channel.set_role', { channel_id: ch.id, user_id: U.b.user.id, role: 'member' }); // 8
  assertError(await c.b.request('post.versions', { post_id: p.id }), 'forbidden');
});

test('post.delete: author or moderator; a tombstone keeps id and seq; post.deleted takes the next seq; deleting again is a no-op', async () => {
  const ch = await room('delete-room');
  const root = await post(c.a, ch.id, 'root to delete'); // 4
  const reply = await post(c.b, ch.id, 'a reply that stays', { thread_id: root.id }); // 5
  const bPost = await post(c.b, ch.id, 'b says something'); // 6

  assertError(await c.b.request('post.delete', { post_id: root.id }), 'forbidden');
  assertError(await c.x.request('post.delete', { post_id: root.id }), 'forbidden');
  const del = await c.a.ok('post.delete', { post_id: root.id }); // 7
  assert.equal(del.post.id, root.id);
  assert.equal(del.post.seq, 4);
  assert.equal(del.post.deleted, true);
  assert.equal(del.post.body, '');
  assert.equal(del.post.html, '');
  for (const cl of [c.a, c.b, c.m]) {
    const e = await cl.waitForEvent(isEvent('post.deleted', ch.id, 7));
    assert.equal(e.post.id, root.id);
    assert.equal(e.post.deleted, true);
    assert.equal(e.post.body, '');
  }
  // The moderator (channel owner) deletes b's post.
  const modDel = await c.m.ok('post.delete', { post_id: bPost.id }); // 8
  assert.equal(modDel.post.deleted, true);
  await c.b.waitForEvent(isEvent('post.deleted', ch.id, 8));

  const again = await c.a.ok('post.delete', { post_id: root.id });
  assert.equal(again.post.deleted, true, 'deleting a tombstone is a no-op reply');
  assertError(await c.a.request('post.edit', { post_id: root.id, body: 'revive' }), 'not_found');
  assertError(await c.a.request('post.delete', { post_id: 987654321 }), 'not_found');

  const h = await c.b.ok('post.history', { channel_id: ch.id });
  assert.deepEqual(h.posts.map((x) => [x.id, x.seq, x.deleted, x.body]),
    [[root.id, 4, true, ''], [reply.id, 5, false, 'a reply that stays'], [bPost.id, 6, true, '']], 'tombstones in history');
  const t = await c.b.ok('thread.get', { post_id: root.id });
  assert.equal(t.root.deleted, true);
  assert.deepEqual(t.replies.map((x) => x.id), [reply.id], 'replies of a deleted root stay');

  // A server admin who is not a member may delete too.
  const r9 = await post(c.b, ch.id, 'admin will remove this'); // 9
  await c.admin.ok('post.delete', { post_id: r9.id }); // 10
  await c.a.waitForEvent(isEvent('post.deleted', ch.id, 10));
  // A channel moderator who is not an owner may delete another member's post.
  const r11 = await post(c.a, ch.id, 'a moderator will remove this'); // 11
  await c.m.ok('channel.set_role', { channel_id: ch.id, user_id: U.b.user.id, role: 'moderator' }); // 12
  const byMod = await c.b.ok('post.delete', { post_id: r11.id }); // 13
  assert.equal(byMod.post.deleted, true);
  await c.a.waitForEvent(isEvent('post.deleted', ch.id, 13));
  await sleep(QUIET_MS);
  assert.deepEqual(c.a.channelEvents(ch.id).filter((e) => e.seq >= 4).map((e) => [e.event, e.seq]),
    [['post.created', 4], ['post.created', 5], ['post.created', 6], ['post.deleted', 7], ['post.deleted', 8],
      ['post.created', 9], ['post.deleted', 10], ['post.created', 11], ['member.updated', 12], ['post.deleted', 13]],
    'the no-op delete emitted nothing');
  assert.equal((await listed(c.a, ch.id)).last_seq, 13);
});

test('post.react toggles: reactions as [{emoji,count,user_ids}] in first-use order; no-ops emit nothing', async () => {
  const ch = await room('react-room');
  const p = await post(c.a, ch.id, 'react to me'); // 4
  const r1 = await c.a.ok('post.react', { post_id: p.id, emoji: '👍', on: true }); // 5
  assert.deepEqual(r1.post.reactions, [{ emoji: '👍', count: 1, user_ids: [U.a.user.id] }]);
  for (const cl of [c.a, c.b, c.m]) {
    const e = await cl.waitForEvent(isEvent('post.reacted', ch.id, 5));
    assert.equal(e.user_id, U.a.user.id);
    assert.equal(e.emoji, '👍');
    assert.equal(e.on, true);
    assert.equal(e.post.id, p.id);
    assert.equal(e.post.seq, 4);
    assert.deepEqual(e.post.reactions, r1.post.reactions);
  }
  const r2 = await c.b.ok('post.react', { post_id: p.id, emoji: '🎉', on: true }); // 6
  const r3 = await c.b.ok('post.react', { post_id: p.id, emoji: '👍', on: true }); // 7
  assert.deepEqual(r2.post.reactions.map((x) => x.emoji), ['👍', '🎉']);
  assert.deepEqual(r3.post.reactions, [
    { emoji: '👍', count: 2, user_ids: [U.a.user.id, U.b.user.id].sort((x, y) => x - y) },
    { emoji: '🎉', count: 1, user_ids: [U.b.user.id] },
  ]);
  // No-ops: adding one already there, removing one not there.
  const dupOn = await c.a.ok('post.react', { post_id: p.id, emoji: '👍', on: true });
  assert.deepEqual(dupOn.post.reactions, r3.post.reactions);
  const offMissing = await c.a.ok('post.react', { post_id: p.id, emoji: '🎉', on: false });
  assert.deepEqual(offMissing.post.reactions, r3.post.reactions);

  const off = await c.a.ok('post.react', { post_id: p.id, emoji: '👍', on: false }); // 8
  assert.deepEqual(off.post.reactions, [{ emoji: '👍', count: 1, user_ids: [U.b.user.id] }, { emoji: '🎉', count: 1, user_ids: [U.b.user.id] }]);
  const e8 = await c.b.waitForEvent(isEvent('post.reacted', ch.id, 8));
  assert.equal(e8.on, false);
  assert.equal(e8.user_id, U.a.user.id);
  await c.b.ok('post.react', { post_id: p.id, emoji: '👍', on: false }); // 9
  const last = await c.b.ok('post.react', { post_id: p.id, emoji: '🎉', on: false }); // 10
  assert.deepEqual(last.post.reactions, [], 'an emoji with no users is not listed');

  // Validation and membership.
  for (const emoji of ['', 'a b', '👍\n', 'x'.repeat(17)]) {
    assertError(await c.a.request('post.react', { post_id: p.id, emoji, on: true }), 'bad_request');
  }
  assertError(await c.a.request('post.react', { post_id: p.id, emoji: '👍' }), 'bad_request');
  assertError(await c.a.request('post.react', { post_id: p.id, emoji: '👍', on: 'yes' }), 'bad_request');
  const long = await c.a.ok('post.react', { post_id: p.id, emoji: '🍎'.repeat(16), on: true }); // 11
  assert.equal(long.post.reactions[0].emoji, '🍎'.repeat(16), '16 code points are allowed');
  assertError(await c.x.request('post.react', { post_id: p.id, emoji: '👍', on: true }), 'forbidden');
  assertError(await c.a.request('post.react', { post_id: 987654321, emoji: '👍', on: true }), 'not_found');

  await c.a.waitForEvent(isEvent('post.reacted', ch.id, 11));
  await sleep(QUIET_MS);
  assert.deepEqual(c.a.channelEvents(ch.id, 'post.reacted').map((e) => [e.seq, e.emoji, e.on, e.user_id]), [
    [5, '👍', true, U.a.user.id], [6, '🎉', true, U.b.user.id], [7, '👍', true, U.b.user.id], [8, '👍', false, U.a.user.id],
    [9, '👍', false, U.b.user.id], [10, '🎉', false, U.b.user.id], [11, '🍎'.repeat(16), true, U.a.user.id]]);
  const h = await c.x.ok('post.history', { channel_id: ch.id });
  assert.deepEqual(h.posts[0].reactions, [{ emoji: '🍎'.repeat(16), count: 1, user_ids: [U.a.user.id] }]);
});

test('interleaved, pipelined edits, reactions, posts and deletes from three users get gap-free seqs seen identically by every member', async () => {
  const ch = await room('busy-room', { visibility: 'private' });
  const base = await Promise.all([post(c.a, ch.id, 'a0'), post(c.b, ch.id, 'b0'), post(c.m, ch.id, 'm0')]); // 4..6
  const [pa, pb, pm] = base;
  const ops = [];
  for (let i = 0; i < 10; i++) {
    ops.push(c.a.ok('post.edit', { post_id: pa.id, body: `a edit ${i}` }, 15000));
    ops.push(c.b.ok('post.react', { post_id: pa.id, emoji: `e${i}`, on: true }, 15000));
    ops.push(c.m.ok('post.create', { channel_id: ch.id, body: `m more ${i}` }, 15000));
    ops.push(c.a.ok('post.react', { post_id: pm.id, emoji: '👍', on: i % 2 === 0 }, 15000));
  }
  ops.push(c.b.ok('post.delete', { post_id: pb.id }, 15000));
  await Promise.all(ops);
  // 10 edits + 10 reactions by b + 10 posts + 10 toggles of one reaction (each a real change) + 1 delete.
  const expectedLast = 6 + 41;
  const final = await listed(c.m, ch.id);
  assert.equal(final.last_seq, expectedLast);
  for (const who of ['a', 'b', 'm']) {
    await c[who].waitForEvent((e) => e.channel_id === ch.id && e.seq === expectedLast, 10000);
  }
  await sleep(QUIET_MS);
  const seen = {};
  for (const who of ['a', 'b', 'm']) {
    const evs = c[who].channelEvents(ch.id).filter((e) => e.seq >= 4);
    assertConsecutive(evs.map((e) => e.seq), 4, `${who}'s seqs`);
    assert.equal(evs.length, expectedLast - 3, `${who} got every change once`);
    seen[who] = evs.map((e) => [e.event, e.seq, e.post?.id]);
  }
  assert.deepEqual(seen.b, seen.a, 'every member saw the same events in the same order');
  assert.deepEqual(seen.m, seen.a);
  const count = (kind) => seen.a.filter(([k]) => k === kind).length;
  assert.deepEqual([count('post.created'), count('post.edited'), count('post.reacted'), count('post.deleted')], [13, 10, 20, 1]);
  // Edits of one post arrive in the order they were sent (ops of one kind in one channel).
  const edits = c.b.channelEvents(ch.id, 'post.edited').map((e) => e.post.body);
  assert.deepEqual(edits, Array.from({ length: 10 }, (_, i) => `a edit ${i}`));
  const h = await c.a.ok('post.history', { channel_id: ch.id, limit: 200 });
  assert.equal(h.posts.find((x) => x.id === pa.id).body, 'a edit 9');
  assert.equal(h.posts.find((x) => x.id === pa.id).reactions.length, 10);
  assert.deepEqual(h.posts.find((x) => x.id === pm.id).reactions, [], 'the toggled reaction ended off');
  assert.equal(h.posts.find((x) => x.id === pb.id).deleted, true);
  assert.equal(c.x.channelEvents(ch.id).length, 0);
});
