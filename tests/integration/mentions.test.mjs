// @handle mentions (html links, the per-user `mention` event, mention.list) and read markers
// with unread and mention counts per channel (PROTOCOL.md "Mentions", "mention.list",
// "channel.read", the channel object's unread/mentions).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import {
  ISO_MS_Z, QUIET_MS, assertError, isEvent, createChannel, post, listed, assertNoEvent,
useCommunity,
} from '../support/community.mjs';

const community = useCommunity([['admin', 'site.admin', 'Sam Admin'], ['a', 'ana.k', 'Ana K'],
  ['b', 'ben.t', 'Ben T'], ['d', 'cal.d', 'Cal D'], ['x', 'xan.o', 'Xan O']], { before, after, assert, startServer, registerUser, connect });
const { U, c } = community;

const mentionsOf = (client, chId) => client.eventsWhere((e) => e.event === 'mention' && e.channel_id === chId);
const count = (s, sub) => s.split(sub).length - 1;

test('@handle renders as a link for existing accounts, outside code; members mentioned get one mention event without seq', async () => {
  const ch = await createChannel(c.a, 'mention-room'); // 1
  await c.b.ok('channel.join', { channel_id: ch.id }); // 2
  await c.d.ok('channel.join', { channel_id: ch.id }); // 3
  const body = '@ben.t and @cal.d, see `@ben.t` in code; ana@ben.t is not one; @nobody.here neither; @xan.o is not a member; @ben.t again; me: @ana.k';
  const p = await post(c.a, ch.id, body); // 4
  assert.equal(p.body, body, 'the body is kept verbatim');
  assert.equal(count(p.html, '<a href="#/u/ben.t">@ben.t</a>'), 2, `two links to ben.t: ${p.html}`);
  assert.equal(count(p.html, '#/u/ben.t'), 2, `no link inside code or an address: ${p.html}`);
  assert.equal(count(p.html, '<a href="#/u/cal.d">@cal.d</a>'), 1, p.html);
  assert.match(p.html, /<code>@ben\.t<\/code>/);
  assert.ok(!p.html.includes('#/u/nobody.here'), 'no link for an unknown handle');
  assert.equal(count(p.html, '<a href="#/u/xan.o">@xan.o</a>'), 1, 'an existing account is linked even when not a member');
  assert.match(p.html, /^<p><a href="#\/u\/ben\.t">@ben\.t<\/a> and /, 'a mention at the start of the text');

  for (const [who, n] of [['b', 1], ['d', 1]]) {
    const e = await c[who].waitForEvent((ev) => ev.event === 'mention' && ev.channel_id === ch.id);
    assert.equal(e.post.id, p.id);
    assert.equal(e.post.html, p.html);
    assert.ok(!('seq' in e), `a mention event carries no seq: ${JSON.stringify(e)}`);
    assert.ok(!('id' in e));
    await sleep(QUIET_MS);
    assert.equal(mentionsOf(c[who], ch.id).length, n, `${who} gets exactly one mention event per post`);
  }
  assert.equal(mentionsOf(c.a, ch.id).length, 0, 'the author is not told of their own mention');
  assert.equal(mentionsOf(c.x, ch.id).length, 0, 'a non-member is not told');
  assert.equal(mentionsOf(c.admin, ch.id).length, 0);

  // The html in history and in post.created is the same rendering.
  const created = await c.b.waitForEvent(isEvent('post.created', ch.id, 4));
  assert.equal(created.post.html, p.html);
  const h = await c.x.ok('post.history', { channel_id: ch.id });
  assert.equal(h.posts[0].html, p.html);

  // Handles are followed by characters that cannot be part of them; trailing punctuation ends the handle.
  const p2 = await post(c.a, ch.id, '(@cal.d) @cal.d, and @cal.d! but not email@cal.d or x@cal.d'); // 5
  assert.equal(count(p2.html, '<a href="#/u/cal.d">@cal.d</a>'), 3, p2.html);
  await c.d.waitForEvent((ev) => ev.event === 'mention' && ev.post?.id === p2.id);
  // A post without a mention notifies no one; a post in a fenced block neither.
  await post(c.a, ch.id, 'plain words for everyone'); // 6
  const fenced = await post(c.a, ch.id, '```\n@ben.t inside a fence\n```'); // 7
  assert.ok(!fenced.html.includes('#/u/ben.t'), fenced.html);
  await c.b.waitForEvent(isEvent('post.created', ch.id, 7));
  await assertNoEvent(c.b, (ev) => ev.event === 'mention' && ev.post?.id !== p.id, 'b was told of a post that does not mention b');
});

test('mention.list: the caller\'s mentions newest first, paged with before_id; gone with the channel\'s visibility', async () => {
  const pub = await createChannel(c.a, 'mention-list'); // 1
  await c.b.ok('channel.join', { channel_id: pub.id });
  const priv = await createChannel(c.a, 'mention-private', { visibility: 'private' });
  await c.a.ok('channel.invite', { channel_id: priv.id, user_id: U.b.user.id });
  const before0 = await c.b.ok('mention.list', {});
  const baseIds = before0.mentions.map((m) => m.id);

  const posts = [];
  for (let i = 0; i < 5; i++) posts.push(await post(c.a, pub.id, `round ${i} for @ben.t`));
  const privPost = await post(c.a, priv.id, 'private note for @ben.t');
  await c.b.waitForEvent((ev) => ev.event === 'mention' && ev.post?.id === privPost.id);

  const all = await c.b.ok('mention.list', { limit: 50 });
  const fresh = all.mentions.filter((m) => !baseIds.includes(m.id));
  assert.deepEqual(fresh.map((m) => m.post.id), [privPost.id, ...posts.map((p) => p.id).reverse()], 'newest first');
  for (const m of fresh) {
    assert.ok(Number.isInteger(m.id));
    assert.match(m.created_at, ISO_MS_Z);
    assert.equal(m.channel_id, m.post.channel_id);
  }
  const ids = all.mentions.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'ids descend');
  assert.equal(all.has_more, false);

  const page1 = await c.b.ok('mention.list', { limit: 2 });
  assert.deepEqual(page1.mentions.map((m) => m.post.id), [privPost.id, posts[4].id]);
  assert.equal(page1.has_more, true);
  const page2 = await c.b.ok('mention.list', { limit: 2, before_id: page1.mentions[1].id });
  assert.deepEqual(page2.mentions.map((m) => m.post.id), [posts[3].id, posts[2].id]);
  const page3 = await c.b.ok('mention.list', { limit: 50, before_id: page2.mentions[1].id });
  assert.deepEqual(page3.mentions.slice(0, 2).map((m) => m.post.id), [posts[1].id, posts[0].id]);
  assert.equal(page3.has_more, false);

  // Only the caller's own mentions.
  const aList = await c.a.ok('mention.list', {});
  assert.ok(!aList.mentions.some((m) => posts.some((p) => p.id === m.post.id)), 'a sees none of b\'s mentions');

  // Removed from the private channel, b no longer sees the mention there.
  await c.a.ok('channel.remove', { channel_id: priv.id, user_id: U.b.user.id });
  const afterRemove = await c.b.ok('mention.list', { limit: 50 });
  assert.ok(!afterRemove.mentions.some((m) => m.channel_id === priv.id), 'no mention from a channel b can no longer see');
  assert.ok(afterRemove.mentions.some((m) => m.post.id === posts[0].id));

  assertError(await c.b.request('mention.list', { limit: 0 }), 'bad_request');
  assertError(await c.b.request('mention.list', { limit: 'ten' }), 'bad_request');
});

test('read markers: unread counts other members\' undeleted posts, mentions counts undeleted posts mentioning the caller; edits and reactions do not count', async () => {
  const ch = await createChannel(c.a, 'unread-mentions'); // 1
  const j = await c.b.ok('channel.join', { channel_id: ch.id }); // 2
  assert.equal(j.channel.unread, 0);
  assert.equal(j.channel.mentions, 0);
  const p3 = await post(c.a, ch.id, 'three'); // 3
  const p4 = await post(c.a, ch.id, 'four for @ben.t'); // 4
  const p5 = await post(c.a, ch.id, 'five'); // 5
  await post(c.b, ch.id, 'my own note does not count as unread'); // 6
  let seen = await listed(c.b, ch.id);
  assert.deepEqual([seen.unread, seen.mentions], [3, 1]);
  assert.deepEqual([(await listed(c.a, ch.id)).unread, (await listed(c.a, ch.id)).mentions], [1, 0], 'a sees b\'s post as unread');

  await c.a.ok('post.edit', { post_id: p3.id, body: 'three, edited' }); // 7
  await c.a.ok('post.react', { post_id: p3.id, emoji: '👍', on: true }); // 8
  seen = await listed(c.b, ch.id);
  assert.deepEqual([seen.unread, seen.mentions, seen.last_seq], [3, 1, 8], 'edits and reactions are not unread posts');

  await c.a.ok('post.delete', { post_id: p5.id }); // 9
  seen = await listed(c.b, ch.id);
  assert.deepEqual([seen.unread, seen.mentions], [2, 1], 'a deleted post is no longer unread');
  await c.a.ok('post.delete', { post_id: p4.id }); // 10
  seen = await listed(c.b, ch.id);
  assert.deepEqual([seen.unread, seen.mentions], [1, 0], 'a deleted mention no longer counts');

  const reply = await post(c.a, ch.id, 'a reply for @ben.t', { thread_id: p3.id }); // 11
  assert.equal(reply.seq, 11);
  seen = await listed(c.b, ch.id);
  assert.deepEqual([seen.unread, seen.mentions], [2, 1]);

  // Read up to the edit's seq: the post at 3 is read, the reply at 11 is not.
  const r8 = await c.b.ok('channel.read', { channel_id: ch.id, seq: 8 });
  assert.deepEqual([r8.channel.unread, r8.channel.mentions], [1, 1]);
  const r11 = await c.b.ok('channel.read', { channel_id: ch.id, seq: 11 });
  assert.deepEqual([r11.channel.unread, r11.channel.mentions], [0, 0]);
  const back = await c.b.ok('channel.read', { channel_id: ch.id, seq: 3 });
  assert.deepEqual([back.channel.unread, back.channel.mentions], [0, 0], 'the marker never moves backward');
  assert.deepEqual([(await listed(c.b, ch.id)).unread, (await listed(c.b, ch.id)).mentions], [0, 0]);

  // A second connection of the same user shares the marker.
  const b2 = await connect(community.server().wsUrl, { token: U.b.token });
  try {
    const p12 = await post(c.a, ch.id, 'twelve @ben.t'); // 12
    for (const conn of [c.b, b2]) await conn.waitForEvent((ev) => ev.event === 'mention' && ev.post?.id === p12.id);
    const s2 = await listed(b2, ch.id);
    assert.deepEqual([s2.unread, s2.mentions, s2.last_seq], [1, 1, 12]);
    await b2.ok('channel.read', { channel_id: ch.id, seq: 12 });
    const s1 = await listed(c.b, ch.id);
    assert.deepEqual([s1.unread, s1.mentions], [0, 0], 'the marker belongs to the user, not the connection');
  } finally {
    await b2.close();
  }
  // Non-members have neither unread posts nor mentions.
  const xs = await listed(c.x, ch.id);
  assert.deepEqual([xs.unread, xs.mentions], [0, 0]);
  // channel.read emitted no event and took no seq.
  await sleep(QUIET_MS);
  assert.deepEqual(c.b.channelEvents(ch.id).filter((e) => e.event !== 'mention').map((e) => e.seq), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});
