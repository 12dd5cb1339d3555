// Private channels, channel roles, membership management, channel.update/archive and
// user.search, driven by six users with live connections (PROTOCOL.md "channel.update" …
// "user.search", events member.updated / channel.updated, "not_found, never forbidden").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import {
  QUIET_MS, assertError, isEvent, createChannel, post, listed, assertConsecutive, assertNoEvent,
} from '../support/community.mjs';

const GHOST = 987654321; // an id nothing has

let server;
const U = {}; // handle key -> { user, token }
const c = {}; // handle key -> connection

before(async () => {
  server = await startServer({ args: ['--post-rate', '0'] });
  // The first account is the server admin; it is kept out of the channels unless a test says so.
  const people = [
    ['admin', 'site.admin', 'Sam Admin'],
    ['o', 'owner.o', 'Olive Owner'],
    ['m', 'mod.m', 'Maya Mod'],
    ['p', 'member.p', 'Pat Member'],
    ['x', 'outsider.x', 'Xavier Outsider'],
    ['q', 'late.q', 'Quinn Late'],
  ];
  for (const [key, handle, name] of people) {
    U[key] = await registerUser(server.url, handle, 'correct horse battery', name);
    c[key] = await connect(server.wsUrl, { token: U[key].token });
  }
  assert.equal(U.admin.user.role, 'admin');
  assert.equal(U.o.user.role, 'member');
});

after(async () => {
  for (const k of Object.keys(c)) await c[k]?.close();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

/** Every channel event `client` received for ch, as [event, seq]. */
function kinds(client, chId) {
  return client.channelEvents(chId).map((e) => [e.event, e.seq]);
}

test('invitation is the only way into a private channel; member.joined carries invited_by and the channel as the invitee sees it', async () => {
  const ch = await createChannel(c.o, 'faculty-room', { visibility: 'private' });
  assert.equal(ch.visibility, 'private');
  await c.o.waitForEvent(isEvent('member.joined', ch.id, 1));
  assertError(await c.p.request('channel.join', { channel_id: ch.id }), 'not_found');

  const inv = await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.p.user.id });
  assert.equal(inv.member.user.id, U.p.user.id);
  assert.equal(inv.member.user.handle, 'member.p');
  assert.equal(inv.member.role, 'member');
  for (const cl of [c.o, c.p]) {
    const e = await cl.waitForEvent(isEvent('member.joined', ch.id, 2));
    assert.equal(e.user.id, U.p.user.id);
    assert.equal(e.invited_by, U.o.user.id);
  }
  const ep = await c.p.waitForEvent(isEvent('member.joined', ch.id, 2));
  assert.equal(ep.channel.id, ch.id);
  assert.equal(ep.channel.member, true, 'member.joined.channel is the channel as the invitee sees it');
  assert.equal(ep.channel.role, 'member');
  assert.equal(ep.channel.visibility, 'private');

  const seen = await listed(c.p, ch.id);
  assert.ok(seen, 'the invitee now lists the private channel');
  assert.equal(seen.member, true);
  assert.equal(seen.member_count, 2);
  assert.equal(seen.unread, 0, 'the read marker starts at last_seq');

  // Self-joined members of public channels carry invited_by: null.
  const pub = await createChannel(c.o, 'open-staffroom');
  await c.p.ok('channel.join', { channel_id: pub.id });
  const selfJoin = await c.o.waitForEvent(isEvent('member.joined', pub.id, 2));
  assert.equal(selfJoin.invited_by, null);

  // Inviting someone who is already a member is a no-op: a reply and no event, no seq.
  const again = await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.p.user.id });
  assert.equal(again.member.user.id, U.p.user.id);
  assertError(await c.o.request('channel.invite', { channel_id: ch.id, user_id: GHOST }), 'not_found');
  const p3 = await post(c.o, ch.id, 'first private post');
  assert.equal(p3.seq, 3, 'the no-op and the refused invitation took no seq');
  await c.p.waitForEvent(isEvent('post.created', ch.id, 3));
  assert.deepEqual(kinds(c.p, ch.id), [['member.joined', 2], ['post.created', 3]]);
});

test('a private channel is invisible to a non-member: list, history, members, search, events, mentions and every op answer not_found', async () => {
  const ch = await createChannel(c.o, 'secret-room', { visibility: 'private' }); // 1
  await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.p.user.id }); // 2
  const secret = await post(c.o, ch.id, 'zanzibarquux agenda for the budget'); // 3
  const mentionX = await post(c.o, ch.id, 'should @outsider.x hear about this? no'); // 4
  assert.match(mentionX.html, /<a href="#\/u\/outsider\.x">@outsider\.x<\/a>/, 'the link renders: the account exists');
  await c.p.waitForEvent(isEvent('post.created', ch.id, 4));

  for (const fields of [{}, { archived: true }]) {
    const l = await c.x.ok('channel.list', fields);
    assert.ok(!l.channels.some((x) => x.id === ch.id || x.slug === 'secret-room'), `not listed with ${JSON.stringify(fields)}`);
  }
  const probes = [
    ['channel.join', { channel_id: ch.id }],
    ['channel.read', { channel_id: ch.id, seq: 3 }],
    ['post.history', { channel_id: ch.id }],
    ['channel.members', { channel_id: ch.id }],
    ['channel.update', { channel_id: ch.id, title: 'Mine now' }],
    ['channel.archive', { channel_id: ch.id, archived: true }],
    ['channel.invite', { channel_id: ch.id, user_id: U.x.user.id }],
    ['channel.remove', { channel_id: ch.id, user_id: U.p.user.id }],
    ['channel.set_role', { channel_id: ch.id, user_id: U.x.user.id, role: 'owner' }],
    ['post.create', { channel_id: ch.id, body: 'knock knock' }],
    ['post.create', { channel_id: ch.id, body: 'reply', thread_id: secret.id }],
    ['thread.get', { post_id: secret.id }],
    ['post.edit', { post_id: secret.id, body: 'defaced' }],
    ['post.versions', { post_id: secret.id }],
    ['post.delete', { post_id: secret.id }],
    ['post.react', { post_id: secret.id, emoji: '👀', on: true }],
  ];
  for (const [op, fields] of probes) {
    const r = await c.x.request(op, fields);
    assertError(r, 'not_found');
    // The same answer as for something that does not exist.
    const ghostFields = { ...fields };
    if ('channel_id' in ghostFields) ghostFields.channel_id = GHOST;
    if ('post_id' in ghostFields) ghostFields.post_id = GHOST;
    if ('thread_id' in ghostFields) { ghostFields.channel_id = GHOST; }
    assertError(await c.x.request(op, ghostFields), 'not_found');
  }

  const s = await c.x.ok('search', { q: 'zanzibarquux' });
  assert.deepEqual(s.hits, [], 'no search hit from a private channel');
  const sIn = await c.x.request('search', { q: 'zanzibarquux', channel_id: ch.id });
  if (sIn.ok) assert.deepEqual(sIn.hits, []);
  else assertError(sIn, 'not_found');
  const sMember = await c.p.ok('search', { q: 'zanzibarquux' });
  assert.deepEqual(sMember.hits.map((h) => h.post.id), [secret.id], 'a member finds it');

  const resume = await c.x.ok('session.resume', { channels: [{ channel_id: ch.id, seq: 0 }] });
  assert.equal(resume.replayed, 0);
  assert.deepEqual(resume.reset, [ch.id], 'a channel the caller does not belong to is reset, not replayed');

  const ml = await c.x.ok('mention.list', {});
  assert.ok(!ml.mentions.some((mn) => mn.channel_id === ch.id), 'mention.list holds nothing from the private channel');

  // Nothing of the channel reached the outsider, including the mention and later changes.
  await c.o.ok('post.react', { post_id: secret.id, emoji: '👍', on: true });
  await c.o.ok('post.edit', { post_id: secret.id, body: 'zanzibarquux agenda, revised' });
  await c.o.ok('channel.update', { channel_id: ch.id, description: 'still secret' });
  await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.q.user.id });
  await c.p.waitForEvent(isEvent('member.joined', ch.id, 8));
  await assertNoEvent(c.x, (e) => e.channel_id === ch.id, 'the outsider received an event of the private channel');
  assert.equal(c.x.eventsWhere((e) => e.event === 'mention').length, 0, 'no mention event for a non-member');
  const xFrames = JSON.stringify(c.x.messages);
  assert.ok(!xFrames.includes('zanzibarquux') && !xFrames.includes('secret-room'), 'no frame to the outsider names the channel or its text');
});

test('roles: owners set roles; moderators invite and remove plain members; members may do neither; the last owner cannot be demoted', async () => {
  const ch = await createChannel(c.o, 'roles-room', { visibility: 'private' }); // 1
  await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.m.user.id }); // 2
  await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.p.user.id }); // 3

  const promote = await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.m.user.id, role: 'moderator' }); // 4
  assert.equal(promote.member.user.id, U.m.user.id);
  assert.equal(promote.member.role, 'moderator');
  for (const cl of [c.o, c.m, c.p]) {
    const e = await cl.waitForEvent(isEvent('member.updated', ch.id, 4));
    assert.equal(e.user.id, U.m.user.id);
    assert.equal(e.role, 'moderator');
  }
  assert.equal((await listed(c.m, ch.id)).role, 'moderator', 'channel.role is the caller\'s role');

  const members = await c.p.ok('channel.members', { channel_id: ch.id });
  assert.deepEqual(members.members.map((mb) => [mb.user.display_name, mb.role]),
    [['Maya Mod', 'moderator'], ['Olive Owner', 'owner'], ['Pat Member', 'member']], 'sorted by display name');
  assert.equal(members.members[0].user.handle, 'mod.m');

  // A plain member may do none of it (forbidden: they can see the channel).
  assertError(await c.p.request('channel.invite', { channel_id: ch.id, user_id: U.q.user.id }), 'forbidden');
  assertError(await c.p.request('channel.remove', { channel_id: ch.id, user_id: U.m.user.id }), 'forbidden');
  assertError(await c.p.request('channel.set_role', { channel_id: ch.id, user_id: U.p.user.id, role: 'owner' }), 'forbidden');
  // A moderator may invite and remove plain members, but not set roles.
  assertError(await c.m.request('channel.set_role', { channel_id: ch.id, user_id: U.p.user.id, role: 'moderator' }), 'forbidden');
  const invQ = await c.m.ok('channel.invite', { channel_id: ch.id, user_id: U.q.user.id }); // 5
  assert.equal(invQ.member.role, 'member');
  const jq = await c.q.waitForEvent(isEvent('member.joined', ch.id, 5));
  assert.equal(jq.invited_by, U.m.user.id);
  assertError(await c.m.request('channel.remove', { channel_id: ch.id, user_id: U.o.user.id }), 'forbidden');
  await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.q.user.id, role: 'moderator' }); // 6
  assertError(await c.m.request('channel.remove', { channel_id: ch.id, user_id: U.q.user.id }), 'forbidden');
  await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.q.user.id, role: 'member' }); // 7
  const rem = await c.m.ok('channel.remove', { channel_id: ch.id, user_id: U.q.user.id }); // 8
  assert.equal(rem.channel.id, ch.id);
  for (const cl of [c.o, c.q]) {
    const e = await cl.waitForEvent(isEvent('member.left', ch.id, 8));
    assert.equal(e.user.id, U.q.user.id);
    assert.equal(e.removed_by, U.m.user.id);
  }
  // The removed member lost sight of the channel.
  assert.equal(await listed(c.q, ch.id), undefined);
  assertError(await c.q.request('post.history', { channel_id: ch.id }), 'not_found');
  assertError(await c.q.request('channel.join', { channel_id: ch.id }), 'not_found');

  // Refusals with bad input.
  assertError(await c.o.request('channel.set_role', { channel_id: ch.id, user_id: U.p.user.id, role: 'admin' }), 'bad_request');
  assertError(await c.o.request('channel.invite', { channel_id: ch.id, user_id: GHOST }), 'not_found');
  const selfRemove = await c.o.request('channel.remove', { channel_id: ch.id, user_id: U.o.user.id });
  assert.equal(selfRemove.ok, false, `an owner cannot remove themselves: ${JSON.stringify(selfRemove)}`);
  assert.ok(['forbidden', 'bad_request'].includes(selfRemove.error.code), JSON.stringify(selfRemove));

  // The last owner cannot step down; with a second owner they can.
  assertError(await c.o.request('channel.set_role', { channel_id: ch.id, user_id: U.o.user.id, role: 'member' }), 'conflict');
  await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.m.user.id, role: 'owner' }); // 9
  const down = await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.o.user.id, role: 'member' }); // 10
  assert.equal(down.member.role, 'member');
  assertError(await c.o.request('channel.invite', { channel_id: ch.id, user_id: U.x.user.id }), 'forbidden');
  // Owners remove anyone but themselves, the former owner included.
  await c.m.ok('channel.remove', { channel_id: ch.id, user_id: U.o.user.id }); // 11
  const gone = await c.o.waitForEvent(isEvent('member.left', ch.id, 11));
  assert.equal(gone.removed_by, U.m.user.id);

  await c.p.waitForEvent(isEvent('member.left', ch.id, 11));
  await sleep(QUIET_MS);
  assert.deepEqual(kinds(c.p, ch.id), [['member.joined', 3], ['member.updated', 4], ['member.joined', 5],
    ['member.updated', 6], ['member.updated', 7], ['member.left', 8], ['member.updated', 9], ['member.updated', 10],
    ['member.left', 11]], 'every role change and removal has its seq; refusals took none');
  assertConsecutive(c.m.channelEvents(ch.id).map((e) => e.seq), 2, 'the moderator\'s seqs');
  assert.deepEqual(c.o.channelEvents(ch.id).map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(kinds(c.q, ch.id), [['member.joined', 5], ['member.updated', 6], ['member.updated', 7], ['member.left', 8]],
    'the removed member got nothing after member.left');
  assert.equal(c.x.channelEvents(ch.id).length, 0);
});

test('channel.members: anyone who can see the channel; public channels to non-members too', async () => {
  const ch = await createChannel(c.o, 'members-list');
  await c.p.ok('channel.join', { channel_id: ch.id });
  const r = await c.x.ok('channel.members', { channel_id: ch.id });
  assert.deepEqual(r.members.map((mb) => [mb.user.id, mb.role]), [[U.o.user.id, 'owner'], [U.p.user.id, 'member']]);
  for (const mb of r.members) {
    assert.deepEqual(Object.keys(mb).sort(), ['role', 'user']);
    assert.ok(!('token' in mb.user) && !('password' in mb.user) && !('password_hash' in mb.user));
  }
  assertError(await c.x.request('channel.members', { channel_id: GHOST }), 'not_found');
});

test('channel.update: owners and moderators change title and description with channel.updated; others are refused', async () => {
  const ch = await createChannel(c.o, 'update-room', { description: 'before' }); // 1
  await c.m.ok('channel.join', { channel_id: ch.id }); // 2
  await c.p.ok('channel.join', { channel_id: ch.id }); // 3
  await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.m.user.id, role: 'moderator' }); // 4

  const r = await c.o.ok('channel.update', { channel_id: ch.id, title: 'Grade 5 science', description: 'Labs and more' }); // 5
  assert.equal(r.channel.title, 'Grade 5 science');
  assert.equal(r.channel.description, 'Labs and more');
  assert.equal(r.channel.slug, 'update-room', 'the slug does not change');
  for (const cl of [c.o, c.m, c.p]) {
    const e = await cl.waitForEvent(isEvent('channel.updated', ch.id, 5));
    assert.equal(e.channel.id, ch.id);
    assert.equal(e.channel.title, 'Grade 5 science');
    assert.equal(e.channel.description, 'Labs and more');
  }
  const byMod = await c.m.ok('channel.update', { channel_id: ch.id, description: '' }); // 6
  assert.equal(byMod.channel.title, 'Grade 5 science', 'an absent title is kept');
  assert.equal(byMod.channel.description, '');
  await c.p.waitForEvent(isEvent('channel.updated', ch.id, 6));

  assertError(await c.p.request('channel.update', { channel_id: ch.id, title: 'Mine' }), 'forbidden');
  assertError(await c.x.request('channel.update', { channel_id: ch.id, title: 'Mine' }), 'forbidden');
  assertError(await c.o.request('channel.update', { channel_id: GHOST, title: 'Nope' }), 'not_found');
  for (const bad of [{ title: '' }, { title: 't'.repeat(81) }, { description: 'd'.repeat(501) }, { title: 5 }]) {
    assertError(await c.o.request('channel.update', { channel_id: ch.id, ...bad }), 'bad_request');
  }
  const edge = await c.o.ok('channel.update', { channel_id: ch.id, title: 'é'.repeat(80) }); // 7
  assert.equal(edge.channel.title, 'é'.repeat(80));
  const seen = await listed(c.x, ch.id);
  assert.equal(seen.title, 'é'.repeat(80));
  assert.equal(seen.last_seq, 7, 'refused updates took no seq');
  await c.p.waitForEvent(isEvent('channel.updated', ch.id, 7));
  await sleep(QUIET_MS);
  assert.deepEqual(c.p.channelEvents(ch.id).map((e) => e.seq), [3, 4, 5, 6, 7]);
  assert.equal(c.x.channelEvents(ch.id).length, 0, 'a non-member gets no channel.updated');
});

test('archive: owners and server admins only; archived channels are read-only and left out of the default list', async () => {
  const ch = await createChannel(c.o, 'archive-room'); // 1
  await c.m.ok('channel.join', { channel_id: ch.id }); // 2
  await c.p.ok('channel.join', { channel_id: ch.id }); // 3
  await c.o.ok('channel.set_role', { channel_id: ch.id, user_id: U.m.user.id, role: 'moderator' }); // 4
  const old = await post(c.p, ch.id, 'before the archive'); // 5

  assertError(await c.m.request('channel.archive', { channel_id: ch.id, archived: true }), 'forbidden');
  assertError(await c.p.request('channel.archive', { channel_id: ch.id, archived: true }), 'forbidden');
  assertError(await c.x.request('channel.archive', { channel_id: ch.id, archived: true }), 'forbidden');
  assertError(await c.o.request('channel.archive', { channel_id: ch.id, archived: 'yes' }), 'bad_request');

  const r = await c.o.ok('channel.archive', { channel_id: ch.id, archived: true }); // 6
  assert.equal(r.channel.archived, true);
  for (const cl of [c.o, c.m, c.p]) {
    const e = await cl.waitForEvent(isEvent('channel.updated', ch.id, 6));
    assert.equal(e.channel.archived, true);
  }
  for (const cl of [c.o, c.p, c.x]) {
    assert.equal(await listed(cl, ch.id), undefined, 'archived channels are left out of the default list');
    const withArchived = await listed(cl, ch.id, { archived: true });
    assert.ok(withArchived, 'channel.list archived:true lists it');
    assert.equal(withArchived.archived, true);
  }
  // Read-only: no posts, replies, edits, reactions or joins; history still reads.
  assertError(await c.p.request('post.create', { channel_id: ch.id, body: 'too late' }), 'forbidden');
  assertError(await c.p.request('post.create', { channel_id: ch.id, body: 'too late', thread_id: old.id }), 'forbidden');
  assertError(await c.p.request('post.edit', { post_id: old.id, body: 'rewritten' }), 'forbidden');
  assertError(await c.o.request('post.react', { post_id: old.id, emoji: '👍', on: true }), 'forbidden');
  assertError(await c.x.request('channel.join', { channel_id: ch.id }), 'forbidden');
  const h = await c.x.ok('post.history', { channel_id: ch.id });
  assert.deepEqual(h.posts.map((p) => p.body), ['before the archive']);
  assert.equal((await listed(c.o, ch.id, { archived: true })).last_seq, 6, 'refused writes took no seq');

  // A server admin who is not a member may restore it.
  const restored = await c.admin.ok('channel.archive', { channel_id: ch.id, archived: false }); // 7
  assert.equal(restored.channel.archived, false);
  const e7 = await c.p.waitForEvent(isEvent('channel.updated', ch.id, 7));
  assert.equal(e7.channel.archived, false);
  assert.ok(await listed(c.x, ch.id), 'listed again');
  const p8 = await post(c.p, ch.id, 'open again');
  assert.equal(p8.seq, 8);
  await c.o.waitForEvent(isEvent('post.created', ch.id, 8));
  await sleep(QUIET_MS);
  assert.deepEqual(kinds(c.o, ch.id).slice(-4), [['post.created', 5], ['channel.updated', 6], ['channel.updated', 7], ['post.created', 8]]);
  assertConsecutive(c.o.channelEvents(ch.id).map((e) => e.seq), 1, 'the owner\'s seqs');
  assert.equal(c.admin.channelEvents(ch.id).length, 0, 'the admin is not a member: no events');
});

test('leaving a private channel ends its visibility; a former member cannot rejoin by themselves', async () => {
  const ch = await createChannel(c.o, 'leave-private', { visibility: 'private' }); // 1
  await c.o.ok('channel.invite', { channel_id: ch.id, user_id: U.p.user.id }); // 2
  const left = await c.p.ok('channel.leave', { channel_id: ch.id }); // 3
  assert.equal(left.channel.member, false);
  const e = await c.o.waitForEvent(isEvent('member.left', ch.id, 3));
  assert.equal(e.removed_by, null);
  await c.p.waitForEvent(isEvent('member.left', ch.id, 3));
  await post(c.o, ch.id, 'after p left'); // 4
  await c.o.waitForEvent(isEvent('post.created', ch.id, 4));
  assertError(await c.p.request('channel.join', { channel_id: ch.id }), 'not_found');
  assertError(await c.p.request('post.history', { channel_id: ch.id }), 'not_found');
  assert.equal(await listed(c.p, ch.id), undefined);
  await assertNoEvent(c.p, (ev) => ev.channel_id === ch.id && ev.seq > 3, 'a former member got a later event');
});

test('user.search: prefix of handle or of a word of the display name, ignoring case; empty q lists by handle; limit 1-50', async () => {
  await registerUser(server.url, 'ms.rivera', 'correct horse battery', 'Ana Rivera');
  await registerUser(server.url, 'rivet.j', 'correct horse battery', 'Jo Rivet');
  await registerUser(server.url, 'zed.river', 'correct horse battery', 'Zed Brook');

  const riv = await c.x.ok('user.search', { q: 'riv' });
  const handles = riv.users.map((u) => u.handle);
  for (const h of ['ms.rivera', 'rivet.j']) assert.ok(handles.includes(h), `${h} in ${handles}`);
  assert.ok(!handles.includes('owner.o'));
  for (const u of riv.users) {
    assert.deepEqual(Object.keys(u).sort(), ['created_at', 'display_name', 'handle', 'id', 'role']);
  }
  const upper = await c.x.ok('user.search', { q: 'RIV' });
  assert.deepEqual(upper.users.map((u) => u.id).sort(), riv.users.map((u) => u.id).sort(), 'case is ignored');
  const word = await c.x.ok('user.search', { q: 'ana' });
  assert.ok(word.users.some((u) => u.handle === 'ms.rivera'), 'a display-name word matches');
  const none = await c.x.ok('user.search', { q: 'qqqzzz' });
  assert.deepEqual(none.users, []);

  const first = await c.x.ok('user.search', { q: '', limit: 3 });
  assert.equal(first.users.length, 3);
  const byHandle = first.users.map((u) => u.handle);
  assert.deepEqual(byHandle, [...byHandle].sort(), 'an empty q lists by handle');
  assert.deepEqual(byHandle, ['late.q', 'member.p', 'mod.m']);
  const dflt = await c.x.ok('user.search', { q: '' });
  assert.equal(dflt.users.length, 9, 'default limit 20 covers all nine accounts');

  assertError(await c.x.request('user.search', { q: 'riv', limit: 0 }), 'bad_request');
  assertError(await c.x.request('user.search', { q: 'riv', limit: 51 }), 'bad_request');
  assert.equal((await c.x.ok('user.search', { q: '', limit: 50 })).users.length, 9);
  // Search syntax is just text.
  for (const q of ['%', '_', "'", '"', '*', '\\']) assert.equal((await c.x.request('user.search', { q })).ok, true, q);
});
