// Catch-up with session.resume: exactly the missed events of every kind, in seq order, live
// events held back until the replay is sent, reset past 1,000 missed, and the time a 1,000-event
// replay takes (PROTOCOL.md "session.resume"; DESIGN.md "Sequence numbers … Catch-up").
import { test, before, after } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startServer, tempDataDir } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import {
  QUIET_MS, assertError, isEvent, createChannel, post, listed, assertConsecutive,
} from '../support/community.mjs';

const GHOST = 987654321;

let server;
const U = {};
let b; // the actor's connection: it sees every change of the channels it owns
let d; // a third member

before(async () => {
  // Default send queue bounds on purpose: a legal 1,000-event replay must fit through them.
  server = await startServer({ args: ['--post-rate', '0'] });
  for (const [key, handle, name] of [['admin', 'site.admin', 'Sam Admin'], ['a', 'ana.r', 'Ana R'],
    ['b', 'ben.s', 'Ben S'], ['d', 'dee.t', 'Dee T']]) {
    U[key] = await registerUser(server.url, handle, 'correct horse battery', name);
  }
  b = await connect(server.wsUrl, { token: U.b.token });
  d = await connect(server.wsUrl, { token: U.d.token });
});

after(async () => {
  await b?.close();
  await d?.close();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

/** The highest seq `client` saw in a channel (0 if none). */
function lastSeen(client, chId) {
  return client.channelEvents(chId).reduce((m, e) => Math.max(m, e.seq), 0);
}

/** Posts n posts as `client`, pipelined in batches; resolves to the replies' posts. */
async function postMany(client, chId, n, prefix, batch = 100) {
  const out = [];
  for (let i = 0; i < n; i += batch) {
    const k = Math.min(batch, n - i);
    const replies = await Promise.all(Array.from({ length: k }, (_, j) =>
      client.ok('post.create', { channel_id: chId, body: `${prefix} ${i + j}` }, 30000)));
    out.push(...replies.map((r) => r.post));
  }
  return out;
}

/** Channel events (of chIds) the client received before the reply with this id. */
function eventsBeforeReply(client, replyId, chIds) {
  const at = client.messages.findIndex((m) => 'ok' in m && m.id === replyId);
  assert.ok(at >= 0, `reply ${replyId} received`);
  return client.messages.slice(0, at).filter((m) => m.event && chIds.includes(m.channel_id) && Number.isInteger(m.seq)).length;
}

/** A comparable summary of an event: kind, seq and the ids it is about. */
function summary(e) {
  return {
    event: e.event, seq: e.seq, post: e.post?.id, user: e.user?.id ?? e.user_id, role: e.role, emoji: e.emoji, on: e.on,
    invited_by: e.invited_by, removed_by: e.removed_by, channel: e.channel?.id,
  };
}

test('resume after a disconnect replays exactly the missed edits, deletes, reactions, posts and membership changes in order; then live events follow without gap', async () => {
  const ch = await createChannel(b, 'resume-main'); // 1
  const quiet = await createChannel(b, 'resume-quiet'); // 1
  const priv = await createChannel(b, 'resume-private', { visibility: 'private' }); // 1
  const a1 = await connect(server.wsUrl, { token: U.a.token });
  await a1.ok('channel.join', { channel_id: ch.id }); // 2
  await d.ok('channel.join', { channel_id: ch.id }); // 3
  await a1.ok('channel.join', { channel_id: quiet.id }); // 2
  await b.ok('channel.invite', { channel_id: priv.id, user_id: U.a.user.id }); // 2
  const mine = await post(a1, ch.id, 'mine'); // 4
  const toEdit = await post(b, ch.id, 'to be edited'); // 5
  const toDelete = await post(b, ch.id, 'to be deleted'); // 6
  await a1.waitForEvent(isEvent('post.created', ch.id, 6));
  await a1.waitForEvent(isEvent('member.joined', priv.id, 2));
  await a1.waitForEvent(isEvent('member.joined', quiet.id, 2));
  const seenA = lastSeen(a1, ch.id);
  const seenQuiet = lastSeen(a1, quiet.id);
  const seenPriv = lastSeen(a1, priv.id);
  assert.deepEqual([seenA, seenQuiet, seenPriv], [6, 2, 2]);
  await a1.close();

  // While a is away: every kind of change.
  await b.ok('post.edit', { post_id: toEdit.id, body: 'edited once' }); // 7
  await b.ok('post.delete', { post_id: toDelete.id }); // 8
  await b.ok('post.react', { post_id: mine.id, emoji: '👍', on: true }); // 9
  await d.ok('post.react', { post_id: mine.id, emoji: '🎉', on: true }); // 10
  const fresh = await post(b, ch.id, 'while you were away, @ana.r'); // 11
  const reply = await post(d, ch.id, 'a reply to yours', { thread_id: mine.id }); // 12
  await b.ok('channel.set_role', { channel_id: ch.id, user_id: U.a.user.id, role: 'moderator' }); // 13
  await b.ok('channel.update', { channel_id: ch.id, title: 'Resumed room' }); // 14
  await b.ok('channel.invite', { channel_id: ch.id, user_id: U.admin.user.id }); // 15
  await d.ok('channel.leave', { channel_id: ch.id }); // 16
  await b.ok('post.edit', { post_id: toEdit.id, body: 'edited twice' }); // 17
  assertError(await d.request('post.react', { post_id: mine.id, emoji: '🎉', on: false }), 'forbidden'); // d left: no seq
  await b.ok('post.react', { post_id: mine.id, emoji: '👍', on: false }); // 18
  // The private channel moves on and a is removed from it.
  await post(b, priv.id, 'private, while away'); // 3
  await b.ok('channel.remove', { channel_id: priv.id, user_id: U.a.user.id }); // 4
  await b.waitForEvent(isEvent('post.reacted', ch.id, 18));
  await b.waitForEvent(isEvent('member.left', priv.id, 4));

  const missed = b.channelEvents(ch.id).filter((e) => e.seq > seenA).map(summary);
  assert.deepEqual(missed.map((e) => e.seq), [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], 'b observed every change');
  assert.deepEqual(missed.map((e) => e.event), ['post.edited', 'post.deleted', 'post.reacted', 'post.reacted', 'post.created',
    'post.created', 'member.updated', 'channel.updated', 'member.joined', 'member.left', 'post.edited', 'post.reacted']);

  const a2 = await connect(server.wsUrl, { token: U.a.token });
  try {
    const r = await a2.ok('session.resume', { channels: [
      { channel_id: ch.id, seq: seenA }, { channel_id: quiet.id, seq: seenQuiet }, { channel_id: priv.id, seq: seenPriv }] });
    assert.equal(r.replayed, missed.length, `replayed counts the events sent: ${JSON.stringify(r)}`);
    assert.deepEqual(r.reset, [priv.id], 'a channel a no longer belongs to is reset');
    assert.equal(eventsBeforeReply(a2, r.id, [ch.id, quiet.id, priv.id]), r.replayed, 'the reply comes after the replayed events');
    await a2.waitForEvent(isEvent('post.reacted', ch.id, 18), 5000);
    await sleep(QUIET_MS);
    const got = a2.channelEvents(ch.id).map(summary);
    assert.deepEqual(got, missed, 'exactly the missed events, in seq order, as b saw them');
    assert.equal(a2.channelEvents(quiet.id).length, 0, 'nothing missed in the quiet channel');
    assert.equal(a2.channelEvents(priv.id).length, 0, 'a reset channel is not replayed');
    assert.equal(a2.eventsWhere((e) => e.event === 'mention').length, 0, 'per-user mention events are not replayed');

    // Replayed events carry the current state of the post or channel.
    const replayed = a2.channelEvents(ch.id);
    const bySeq = (s) => replayed.find((e) => e.seq === s);
    assert.equal(bySeq(7).post.body, 'edited twice', 'the post as it is now');
    assert.equal(bySeq(8).post.deleted, true);
    assert.equal(bySeq(8).post.body, '');
    assert.equal(bySeq(11).post.id, fresh.id);
    assert.equal(bySeq(12).post.thread_id, mine.id);
    assert.equal(bySeq(12).post.id, reply.id);
    assert.equal(bySeq(14).channel.title, 'Resumed room');
    assert.equal(bySeq(13).role, 'moderator');
    assert.equal(bySeq(15).invited_by, U.b.user.id);
    assert.equal(bySeq(16).user.id, U.d.user.id);

    // Live events continue after the replay with no gap and no duplicate.
    await post(b, ch.id, 'live again'); // 19
    await b.ok('post.react', { post_id: fresh.id, emoji: '✅', on: true }); // 20
    await a2.waitForEvent(isEvent('post.reacted', ch.id, 20));
    await sleep(QUIET_MS);
    assert.deepEqual(a2.channelEvents(ch.id).map((e) => e.seq), [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);

    // Resuming again from the newest seq replays nothing; from an older one replays again (idempotent log).
    const none = await a2.ok('session.resume', { channels: [{ channel_id: ch.id, seq: 20 }] });
    assert.deepEqual([none.replayed, none.reset], [0, []]);
    const again = await a2.ok('session.resume', { channels: [{ channel_id: ch.id, seq: 18 }] });
    assert.deepEqual([again.replayed, again.reset], [2, []]);
    await sleep(QUIET_MS);
    assert.deepEqual(a2.channelEvents(ch.id).map((e) => e.seq).slice(-2), [19, 20]);
    assert.equal(a2.channelEvents(ch.id).length, 16, 'the explicit second resume sent 19 and 20 again');
  } finally {
    await a2.close();
  }
});

test('live events are held back until the replay is sent: a client that resumes first sees every seq once, in order, while posts keep coming', async () => {
  const ch = await createChannel(b, 'resume-race'); // 1
  const a1 = await connect(server.wsUrl, { token: U.a.token });
  await a1.ok('channel.join', { channel_id: ch.id }); // 2
  await postMany(b, ch.id, 20, 'seen');
  await a1.waitForEvent(isEvent('post.created', ch.id, 22));
  const seen = lastSeen(a1, ch.id);
  assert.equal(seen, 22);
  await a1.close();
  await postMany(b, ch.id, 400, 'missed'); // 23..422

  // Live posts keep coming from before the new connection opens until after its replay.
  let running = true;
  let livePosted = 0;
  const live = (async () => {
    while (running) {
      await Promise.all(Array.from({ length: 3 }, () => b.ok('post.create', { channel_id: ch.id, body: `live ${livePosted++}` }, 15000)));
    }
  })();
  const a2 = await connect(server.wsUrl, { token: U.a.token });
  try {
    await sleep(300); // under the 2 s a new connection holds channel events back for its first request
    const r = await a2.request('session.resume', { channels: [{ channel_id: ch.id, seq: seen }] }, 15000);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.reset, []);
    assert.ok(r.replayed >= 400, `replayed ${r.replayed}`);
    // Held-back live events may follow the replay before the reply; the replay itself precedes it.
    assert.ok(eventsBeforeReply(a2, r.id, [ch.id]) >= r.replayed, 'the reply comes after the replayed events');
    await sleep(300);
    running = false;
    await live;
    const last = 422 + livePosted;
    await a2.waitForEvent(isEvent('post.created', ch.id, last), 10000);
    await sleep(QUIET_MS);
    const seqs = a2.channelEvents(ch.id).map((e) => e.seq);
    assertConsecutive(seqs, 23, 'the resumer\'s seqs');
    assert.equal(seqs.length, last - 22, 'every seq exactly once');
    assert.ok(livePosted >= 6, `posts kept coming during the test (${livePosted})`);
    assert.equal(a2.isOpen, true);
  } finally {
    running = false;
    await live.catch(() => {});
    await a2.close();
  }
});

test('a new connection that sends no request gets live events after at most ~2 s; one that sends any request gets them at once', async () => {
  const ch = await createChannel(b, 'resume-hold'); // 1
  const a1 = await connect(server.wsUrl, { token: U.a.token });
  await a1.ok('channel.join', { channel_id: ch.id }); // 2
  await a1.close();
  const silent = await connect(server.wsUrl, { token: U.a.token });
  const talker = await connect(server.wsUrl, { token: U.a.token });
  try {
    await talker.ok('channel.list');
    const t0 = Date.now();
    await post(b, ch.id, 'live for both'); // 3
    await talker.waitForEvent(isEvent('post.created', ch.id, 3), 1000);
    const tTalker = Date.now() - t0;
    await silent.waitForEvent(isEvent('post.created', ch.id, 3), 4000);
    const tSilent = Date.now() - t0;
    console.log(`live event after a first request: ${tTalker} ms; without any request: ${tSilent} ms`);
    assert.ok(tTalker < 1000);
  } finally {
    await silent.close();
    await talker.close();
  }
});

test('at most 20,000 events are replayed per request: 21 channels 1,000 behind each replay 20 and reset the last', async () => {
  const chans = [];
  const a1 = await connect(server.wsUrl, { token: U.a.token });
  for (let k = 0; k < 21; k++) {
    const ch = await createChannel(b, `resume-cap-${String(k).padStart(2, '0')}`); // 1
    await a1.ok('channel.join', { channel_id: ch.id }); // 2
    chans.push(ch);
  }
  await a1.close();
  const t0 = Date.now();
  for (const ch of chans) {
    await postMany(b, ch.id, 1000, 'cap', 200); // 3..1002
    b.messages.length = 0; // keep the actor's memory flat
    b.events.length = 0;
    b.replies.length = 0;
  }
  console.log(`posted 21,000 posts in ${Date.now() - t0} ms`);
  const a2 = await connect(server.wsUrl, { token: U.a.token });
  try {
    const closedEarly = a2.closed.then((ci) => { throw new Error(`closed during a 20,000-event replay: ${JSON.stringify(ci)}`); });
    const t1 = Date.now();
    const work = Promise.all([
      a2.ok('session.resume', { channels: chans.map((ch) => ({ channel_id: ch.id, seq: 2 })) }, 60000),
      ...chans.slice(0, 20).map((ch) => a2.waitForEvent(isEvent('post.created', ch.id, 1002), 60000)),
    ]);
    const [r] = await Promise.race([work, closedEarly]);
    console.log(`session.resume replaying 20,000 events over 20 channels: ${Date.now() - t1} ms`);
    assert.equal(r.replayed, 20000);
    assert.deepEqual(r.reset, [chans[20].id], 'the channel past the cap is reset');
    await sleep(QUIET_MS);
    for (const ch of chans.slice(0, 20)) assert.equal(a2.channelEvents(ch.id).length, 1000);
    assert.equal(a2.channelEvents(chans[20].id).length, 0);
    assert.equal(a2.isOpen, true);
  } finally {
    await a2.close();
  }
});

test('more than 1,000 missed events: the channel is reset and not replayed; exactly 1,000 are replayed (timed)', async () => {
  const ch = await createChannel(b, 'resume-flood'); // 1
  const small = await createChannel(b, 'resume-small'); // 1
  const a1 = await connect(server.wsUrl, { token: U.a.token });
  await a1.ok('channel.join', { channel_id: ch.id }); // 2
  await a1.ok('channel.join', { channel_id: small.id }); // 2
  await a1.close();
  const started = Date.now();
  const posts = await postMany(b, ch.id, 1001, 'flood'); // 3..1003
  const postMs = Date.now() - started;
  assert.equal(posts.at(-1).seq, 1003);
  await post(b, small.id, 'one in the small room'); // 3
  console.log(`posted 1,001 pipelined posts in ${postMs} ms`);

  const a2 = await connect(server.wsUrl, { token: U.a.token });
  try {
    const r = await a2.ok('session.resume', { channels: [{ channel_id: ch.id, seq: 2 }, { channel_id: small.id, seq: 2 }] });
    assert.deepEqual(r.reset, [ch.id], '1,001 behind is more than 1,000: reset');
    assert.equal(r.replayed, 1, 'only the small channel was replayed');
    await a2.waitForEvent(isEvent('post.created', small.id, 3));
    await sleep(QUIET_MS);
    assert.equal(a2.channelEvents(ch.id).length, 0, 'a reset channel sends no event');
    assert.equal(a2.isOpen, true);
  } finally {
    await a2.close();
  }

  // Exactly 1,000 behind is replayed, with the default send queue bound (1,000 messages):
  // five times on fresh connections, each must get all 1,000 events and the reply.
  const times = [];
  for (let round = 0; round < 5; round++) {
    const a3 = await connect(server.wsUrl, { token: U.a.token });
    try {
      const t0 = process.hrtime.bigint();
      const replyP = a3.request('session.resume', { channels: [{ channel_id: ch.id, seq: 3 }] }, 30000);
      const lastEvent = a3.waitForEvent(isEvent('post.created', ch.id, 1003), 30000);
      const closedEarly = a3.closed.then((ci) => {
        throw new Error(`round ${round}: the connection closed during a 1,000-event replay: ${JSON.stringify(ci)} after `
          + `${a3.channelEvents(ch.id).length} events; reply ${JSON.stringify(a3.replies.at(-1))}; earlier rounds ${JSON.stringify(times)} ms`);
      });
      const [r2] = await Promise.race([Promise.all([replyP, lastEvent]), closedEarly]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      assert.equal(r2.ok, true, `a 1,000-event replay is allowed: ${JSON.stringify(r2)}`);
      assert.deepEqual([r2.replayed, r2.reset], [1000, []], 'exactly 1,000 behind is replayed');
      assert.equal(eventsBeforeReply(a3, r2.id, [ch.id]), 1000, 'the reply comes after the replayed events');
      await sleep(100);
      const seqs = a3.channelEvents(ch.id).map((e) => e.seq);
      assertConsecutive(seqs, 4, 'replayed seqs');
      assert.equal(seqs.length, 1000);
      assert.deepEqual(a3.channelEvents(ch.id).slice(0, 3).map((e) => e.post.body), ['flood 1', 'flood 2', 'flood 3']);
      assert.equal(a3.isOpen, true, `still open: ${JSON.stringify(a3.closeInfo)}`);
    } finally {
      await a3.close();
    }
  }
  const median = [...times].sort((x, y) => x - y)[2];
  console.log(`session.resume replaying exactly 1,000 events (request sent to the last event and the reply received): `
    + `median ${median.toFixed(1)} ms of ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
});

test('a resume of several channels whose events together pass the send queue bound (1,000 messages) is delivered completely', async () => {
  // 3 × 400 = 1,200 events: each channel is well within the 1,000 limit, so nothing is reset; a
  // reading client must get them all (the replay has to follow the queue, not overflow it).
  const chans = [];
  const a1 = await connect(server.wsUrl, { token: U.a.token });
  for (let k = 0; k < 3; k++) {
    const ch = await createChannel(b, `resume-multi-${k}`); // 1
    await a1.ok('channel.join', { channel_id: ch.id }); // 2
    chans.push(ch);
  }
  await a1.close();
  for (const ch of chans) await postMany(b, ch.id, 400, `multi ${ch.id}`); // 3..402
  const a2 = await connect(server.wsUrl, { token: U.a.token });
  try {
    const closedEarly = a2.closed.then((ci) => {
      throw new Error(`the connection closed during a 1,200-event replay: ${JSON.stringify(ci)} after `
        + `${chans.map((ch) => a2.channelEvents(ch.id).length).join('+')} events`);
    });
    const t0 = Date.now();
    const work = Promise.all([
      a2.ok('session.resume', { channels: chans.map((ch) => ({ channel_id: ch.id, seq: 2 })) }, 30000),
      ...chans.map((ch) => a2.waitForEvent(isEvent('post.created', ch.id, 402), 30000)),
    ]);
    const [r] = await Promise.race([work, closedEarly]);
    assert.deepEqual([r.replayed, r.reset], [1200, []]);
    await sleep(100);
    for (const ch of chans) {
      const seqs = a2.channelEvents(ch.id).map((e) => e.seq);
      assertConsecutive(seqs, 3, `channel ${ch.id}`);
      assert.equal(seqs.length, 400);
    }
    assert.equal(a2.isOpen, true);
    console.log(`session.resume of 3 channels × 400 events: ${Date.now() - t0} ms`);
  } finally {
    await a2.close();
  }
});

test('the replay comes from the stored event log: a resume after a server restart gets the events missed before it', async () => {
  const dataDir = tempDataDir();
  let own = await startServer({ dataDir, args: ['--post-rate', '0'] });
  let ra;
  let rb;
  try {
    const A = await registerUser(own.url, 'restart.a');
    const B = await registerUser(own.url, 'restart.b');
    rb = await connect(own.wsUrl, { token: B.token });
    ra = await connect(own.wsUrl, { token: A.token });
    const ch = await createChannel(rb, 'restart-room'); // 1
    await ra.ok('channel.join', { channel_id: ch.id }); // 2
    const p3 = await post(rb, ch.id, 'before'); // 3
    await ra.waitForEvent(isEvent('post.created', ch.id, 3));
    await ra.close();
    await rb.ok('post.edit', { post_id: p3.id, body: 'before, edited' }); // 4
    await rb.ok('post.react', { post_id: p3.id, emoji: '👍', on: true }); // 5
    await post(rb, ch.id, 'missed'); // 6
    await rb.waitForEvent(isEvent('post.created', ch.id, 6));
    const missed = rb.channelEvents(ch.id).filter((e) => e.seq > 3).map(summary);
    await rb.close();
    const exit = await own.stop({ removeData: false });
    assert.equal(exit.code, 0);

    own = await startServer({ dataDir, args: ['--post-rate', '0'] });
    ra = await connect(own.wsUrl, { token: A.token });
    const r = await ra.ok('session.resume', { channels: [{ channel_id: ch.id, seq: 3 }] });
    assert.deepEqual([r.replayed, r.reset], [3, []]);
    await ra.waitForEvent(isEvent('post.created', ch.id, 6));
    await sleep(QUIET_MS);
    assert.deepEqual(ra.channelEvents(ch.id).map(summary), missed, 'the same events after the restart');
    rb = await connect(own.wsUrl, { token: B.token });
    const p7 = await post(rb, ch.id, 'after the restart');
    assert.equal(p7.seq, 7, 'seqs continue after the restart');
    await ra.waitForEvent(isEvent('post.created', ch.id, 7));
    assert.deepEqual(ra.channelEvents(ch.id).map((e) => e.seq), [4, 5, 6, 7]);
  } finally {
    await ra?.close();
    await rb?.close();
    await own.stop({ removeData: false });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('session.resume validates its request; unknown channels are reset like invisible ones', async () => {
  const a2 = await connect(server.wsUrl, { token: U.a.token });
  try {
    assertError(await a2.request('session.resume', {}), 'bad_request');
    assertError(await a2.request('session.resume', { channels: 'all' }), 'bad_request');
    assertError(await a2.request('session.resume', { channels: [{ channel_id: 'x', seq: 1 }] }), 'bad_request');
    assertError(await a2.request('session.resume', { channels: [{ channel_id: 1, seq: -1 }] }), 'bad_request');
    assertError(await a2.request('session.resume', { channels: [{ seq: 1 }] }), 'bad_request');
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ channel_id: i + 1, seq: 0 }));
    assertError(await a2.request('session.resume', { channels: tooMany }), 'bad_request');
    const max = Array.from({ length: 500 }, (_, i) => ({ channel_id: GHOST - i, seq: 0 }));
    const okMax = await a2.ok('session.resume', { channels: max });
    assert.equal(okMax.replayed, 0);
    assert.equal(okMax.reset.length, 500, 'every unknown channel is reset');
    const empty = await a2.ok('session.resume', { channels: [] });
    assert.deepEqual([empty.replayed, empty.reset], [0, []]);
    assert.equal((await listed(a2, GHOST)), undefined);
  } finally {
    await a2.close();
  }
});
