// Durability across a restart on the same data dir: sessions, channels, posts, seqs, handles
// and client_id idempotency survive a clean SIGTERM shutdown (DESIGN.md "Durability").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, tempDataDir } from '../support/server.mjs';
import { registerUser, registerRaw, httpRequest, bearer } from '../support/http.mjs';
import { connect, tryConnect, sleep } from '../support/ws_client.mjs';

const dataDir = tempDataDir();
let server;

after(async () => {
  if (server) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('state survives a SIGTERM restart and seqs continue without a gap', async () => {
  server = await startServer({ dataDir, args: ['--post-rate', '0'] });
  const A = await registerUser(server.url, 'keeper.a');
  const B = await registerUser(server.url, 'keeper.b');
  let a = await connect(server.wsUrl, { token: A.token });
  let b = await connect(server.wsUrl, { token: B.token });
  const pub = (await a.ok('channel.create', { slug: 'lasting', title: 'Lasting', description: 'kept' })).channel; // 1
  const priv = (await a.ok('channel.create', { slug: 'hidden', title: 'Hidden', visibility: 'private' })).channel; // 1
  await b.ok('channel.join', { channel_id: pub.id }); // 2
  const root = (await a.ok('post.create', { channel_id: pub.id, body: 'Q1 **durable**?', client_id: 'r-1' })).post; // 3
  const reply = (await b.ok('post.create', { channel_id: pub.id, body: 'A1 yes', thread_id: root.id })).post; // 4
  const secret = (await a.ok('post.create', { channel_id: priv.id, body: 'private but durable' })).post; // 2
  await b.ok('channel.read', { channel_id: pub.id, seq: 3 });
  const historyBefore = (await a.ok('post.history', { channel_id: pub.id })).posts;
  assert.deepEqual(historyBefore.map((p) => p.seq), [3, 4]);
  await a.close();
  await b.close();

  const exit = await server.stop();
  assert.equal(exit.code, 0, `SIGTERM exits 0: ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  assert.equal(exit.signal, null);

  server = await startServer({ dataDir, args: ['--post-rate', '0'] });
  // The old tokens still work, over HTTP and WebSocket.
  const session = await httpRequest(server.url, '/api/session', { headers: bearer(A.token) });
  assert.equal(session.status, 200, session.text);
  assert.equal(session.json.user.id, A.user.id);
  assert.equal(session.json.user.role, 'admin');
  a = await connect(server.wsUrl, { token: A.token });
  b = await connect(server.wsUrl, { token: B.token });
  try {
    assert.equal(b.messages[0].user.id, B.user.id);
    const listA = (await a.ok('channel.list')).channels;
    const lastingA = listA.find((c) => c.id === pub.id);
    assert.ok(lastingA, 'the public channel is still there');
    assert.equal(lastingA.slug, 'lasting');
    assert.equal(lastingA.description, 'kept');
    assert.equal(lastingA.last_seq, 4);
    assert.equal(lastingA.role, 'owner');
    const hiddenA = listA.find((c) => c.id === priv.id);
    assert.ok(hiddenA, 'the private channel is still listed for its member');
    assert.equal(hiddenA.last_seq, 2);
    const listB = (await b.ok('channel.list')).channels;
    const lastingB = listB.find((c) => c.id === pub.id);
    assert.equal(lastingB.member, true, 'membership survived');
    assert.equal(lastingB.unread, 0, 'B read up to 3 and seq 4 is B\'s own reply');
    assert.ok(!listB.some((c) => c.id === priv.id), 'the private channel is still hidden from B');

    const historyAfter = (await b.ok('post.history', { channel_id: pub.id })).posts;
    assert.deepEqual(historyAfter, historyBefore, 'posts come back identical');
    assert.equal(historyAfter[0].reply_count, 1);
    assert.match(historyAfter[0].html, /<strong>durable<\/strong>/);
    const thread = await a.ok('thread.get', { post_id: reply.id });
    assert.equal(thread.root.id, root.id);
    assert.equal(thread.root.reply_count, 1);
    assert.deepEqual((await a.ok('post.history', { channel_id: priv.id })).posts.map((p) => p.id), [secret.id]);

    // The next change continues the seq; both members get it live.
    const next = (await b.ok('post.create', { channel_id: pub.id, body: 'after the restart' })).post;
    assert.equal(next.seq, 5);
    assert.ok(next.id > reply.id, 'post ids keep growing');
    for (const c of [a, b]) await c.waitForEvent((e) => e.event === 'post.created' && e.channel_id === pub.id && e.seq === 5);
    const pnext = (await a.ok('post.create', { channel_id: priv.id, body: 'private again' })).post;
    assert.equal(pnext.seq, 3);

    // client_id idempotency survives the restart.
    const retry = await a.ok('post.create', { channel_id: pub.id, body: 'Q1 **durable**?', client_id: 'r-1' });
    assert.equal(retry.duplicate, true);
    assert.equal(retry.post.id, root.id);
    await sleep(300);
    assert.equal(a.eventsWhere((e) => e.event === 'post.created' && e.post?.id === root.id).length, 0);

    // Handles are still taken; a new channel with an old slug conflicts.
    const again = await registerRaw(server.url, { handle: 'KEEPER.A', password: 'correct horse battery' });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.error.code, 'conflict');
    const dupSlug = await b.request('channel.create', { slug: 'lasting', title: 'Again' });
    assert.equal(dupSlug.ok, false);
    assert.equal(dupSlug.error.code, 'conflict');
    // A new account after restart is a member, not a second admin.
    const C = await registerUser(server.url, 'keeper.c');
    assert.equal(C.user.role, 'member');
    assert.ok(C.user.id !== A.user.id && C.user.id !== B.user.id);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a session ended before the restart stays ended', async () => {
  const login = await httpRequest(server.url, '/api/login', { method: 'POST', body: { handle: 'keeper.b', password: 'correct horse battery' } });
  assert.equal(login.status, 200, login.text);
  const token = login.json.token;
  assert.equal((await httpRequest(server.url, '/api/logout', { method: 'POST', headers: bearer(token) })).status, 200);
  const exit = await server.stop();
  assert.equal(exit.code, 0);
  server = await startServer({ dataDir });
  assert.equal((await httpRequest(server.url, '/api/session', { headers: bearer(token) })).status, 401);
  assert.equal((await tryConnect(server.wsUrl, { token })).status, 401);
  const exit2 = await server.stop();
  server = null;
  assert.equal(exit2.code, 0);
});
