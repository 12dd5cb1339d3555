// The WebSocket edge: handshake authentication and Origin, the hello event, malformed frames,
// request validation, the frame size limit and the post rate limit (PROTOCOL.md "WebSocket").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, tryConnect, sleep } from '../support/ws_client.mjs';

let server;
let ana;
let ws; // ana's main connection

function assertError(reply, code, id) {
  assert.equal(reply.ok, false, JSON.stringify(reply));
  assert.equal(reply.error?.code, code, JSON.stringify(reply));
  assert.equal(typeof reply.error.message, 'string');
  assert.ok(reply.error.message.length > 0);
  if (id !== undefined) assert.equal(reply.id, id, JSON.stringify(reply));
}

/** Sends a raw text frame and resolves to the next reply with id null. */
async function rawNullReply(client, text) {
  const next = client.waitForNew((m) => m && m.ok === false && m.id === null, 5000);
  client.sendRaw(text);
  return next;
}

before(async () => {
  server = await startServer();
  ana = await registerUser(server.url, 'ana');
  ws = await connect(server.wsUrl, { token: ana.token });
});

after(async () => {
  if (ws) await ws.close();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

test('no credentials or a bad token: 401 before the upgrade', async () => {
  assert.equal((await tryConnect(server.wsUrl)).status, 401);
  assert.equal((await tryConnect(server.wsUrl, { token: '0'.repeat(64) })).status, 401);
  assert.equal((await tryConnect(server.wsUrl, { token: 'not-a-token' })).status, 401);
  assert.equal((await tryConnect(server.wsUrl, { cookie: 'a'.repeat(64) })).status, 401);
  // A token in the query string is not accepted (it would leak into logs).
  assert.equal((await tryConnect(`${server.wsUrl}?token=${ana.token}`)).status, 401);
});

test('a foreign Origin is 403; the allowed origins and no Origin are accepted', async () => {
  for (const origin of ['https://evil.example', 'http://127.0.0.1:1', `http://127.0.0.1:${server.port}.evil.example`,
    `https://127.0.0.1:${server.port}`, 'null']) {
    const r = await tryConnect(server.wsUrl, { token: ana.token, origin });
    assert.equal(r.status, 403, `Origin ${origin} -> ${r.status}`);
  }
  for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`, undefined]) {
    const r = await tryConnect(server.wsUrl, { token: ana.token, origin });
    assert.equal(r.status, 101, `Origin ${origin} -> ${r.status}`);
    await r.client.close();
  }
});

test('the cookie authenticates the WebSocket too', async () => {
  const c = await connect(server.wsUrl, { cookie: ana.token, origin: `http://127.0.0.1:${server.port}` });
  try {
    const r = await c.request('channel.list');
    assert.equal(r.ok, true, JSON.stringify(r));
  } finally {
    await c.close();
  }
});

test('the first frame is the hello event with the user and the server version', async () => {
  const c = await connect(server.wsUrl, { token: ana.token });
  try {
    const first = c.messages[0];
    assert.equal(first.event, 'hello');
    assert.equal(first.id, undefined, 'an event carries no id');
    assert.equal(first.user.id, ana.user.id);
    assert.equal(first.user.handle, 'ana');
    assert.equal(first.user.role, 'admin');
    assert.equal(typeof first.server?.version, 'string');
    assert.ok(first.server.version.length > 0);
  } finally {
    await c.close();
  }
});

test('a frame that is not JSON gets an id:null bad_request and the connection stays usable', async () => {
  assertError(await rawNullReply(ws, 'not json'), 'bad_request', null);
  assertError(await rawNullReply(ws, '{"id": 1, "op": "channel.list"'), 'bad_request', null);
  assert.equal(ws.isOpen, true);
  const r = await ws.request('channel.list');
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(Array.isArray(r.channels));
});

test('a frame that is not an object, or has no integer id, gets id:null', async () => {
  for (const frame of ['[1,2,3]', '42', '"channel.list"', 'null', '{"op":"channel.list"}',
    '{"id":"7","op":"channel.list"}', '{"id":1.5,"op":"channel.list"}', '{"id":null,"op":"channel.list"}',
    '{"id":[1],"op":"channel.list"}']) {
    assertError(await rawNullReply(ws, frame), 'bad_request', null);
  }
  assert.equal(ws.isOpen, true);
  assert.equal((await ws.request('channel.list')).ok, true);
});

test('an unknown op is bad_request with the same id; a missing op too', async () => {
  assertError(await ws.requestWithId(4242, { op: 'nope' }), 'bad_request', 4242);
  assertError(await ws.requestWithId(4243, { op: 'channel.explode' }), 'bad_request', 4243);
  assertError(await ws.requestWithId(4244, {}), 'bad_request', 4244);
  assertError(await ws.requestWithId(4245, { op: 17 }), 'bad_request', 4245);
  // Request id 0 and a large id below 2^53 are echoed as they are.
  const zero = await ws.requestWithId(0, { op: 'channel.list' });
  assert.equal(zero.ok, true, JSON.stringify(zero));
  const big = 2 ** 53 - 1;
  const large = await ws.requestWithId(big, { op: 'channel.list' });
  assert.equal(large.id, big);
  assert.equal(large.ok, true);
});

test('wrong field types and missing fields are bad_request; unknown fields are ignored', async () => {
  const ch = await ws.ok('channel.create', { slug: 'types', title: 'Types' });
  const channelId = ch.channel.id;
  const cases = [
    ['channel.create', { slug: 5, title: 'Five' }],
    ['channel.create', { slug: 'no-title' }],
    ['channel.create', { title: 'No slug' }],
    ['channel.create', { slug: 'vis', title: 'Vis', visibility: true }],
    ['channel.create', { slug: 'desc', title: 'Desc', description: 7 }],
    ['channel.join', {}],
    ['channel.join', { channel_id: String(channelId) }],
    ['channel.join', { channel_id: -1 }],
    ['channel.join', { channel_id: 1.5 }],
    ['post.create', { body: 'no channel' }],
    ['post.create', { channel_id: String(channelId), body: 'string id' }],
    ['post.create', { channel_id: channelId }],
    ['post.create', { channel_id: channelId, body: 42 }],
    ['post.create', { channel_id: channelId, body: 'x', thread_id: 'root' }],
    ['post.create', { channel_id: channelId, body: 'x', client_id: 12 }],
    ['post.create', { channel_id: channelId, body: 'x', client_id: '' }],
    ['post.create', { channel_id: channelId, body: 'x', client_id: 'c'.repeat(65) }],
    ['post.create', { channel_id: channelId, body: 'x', client_id: 'tab\tinside' }],
    ['post.history', { channel_id: channelId, limit: '5' }],
    ['post.history', { channel_id: channelId, limit: 0 }],
    ['post.history', { channel_id: channelId, limit: 201 }],
    ['post.history', { channel_id: channelId, before_seq: 'x' }],
    ['thread.get', {}],
    ['channel.read', { channel_id: channelId }],
    ['channel.read', { channel_id: channelId, seq: '1' }],
  ];
  for (const [op, fields] of cases) {
    const r = await ws.request(op, fields);
    assertError(r, 'bad_request');
    assert.ok(Number.isInteger(r.id), `${op} ${JSON.stringify(fields)} replied with its id`);
  }
  // Unknown fields are ignored.
  const r = await ws.request('post.history', { channel_id: channelId, limit: 200, colour: 'blue' });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(ws.isOpen, true);
});

test('a binary frame gets a bad_request reply and the connection stays open', async () => {
  const next = ws.waitForNew((m) => m && m.ok === false, 5000);
  ws.sendRaw(Buffer.from(JSON.stringify({ id: 77, op: 'channel.list' })), { binary: true });
  const r = await next;
  assertError(r, 'bad_request');
  assert.equal(ws.isOpen, true);
  assert.equal((await ws.request('channel.list')).ok, true);
});

test('a frame just under 64 KiB is served; one over 64 KiB closes the connection with 1009', async () => {
  const c = await connect(server.wsUrl, { token: ana.token });
  try {
    const padding = 'p'.repeat(65000);
    const near = await c.request('channel.list', { padding });
    assert.equal(near.ok, true, 'a 65,000-byte frame is within the limit');
    c.sendRaw(JSON.stringify({ id: 999, op: 'channel.list', padding: 'p'.repeat(70 * 1024) }));
    const closed = await c.waitClose(5000);
    assert.equal(closed.code, 1009);
  } finally {
    await c.close();
  }
  // Other connections are unaffected.
  assert.equal((await ws.request('channel.list')).ok, true);
});

test('posts beyond the burst are rate_limited (default burst 10, 1/s)', async () => {
  // A fresh user, so no earlier request of this file can have touched its budget.
  const flooder = await registerUser(server.url, 'flooder');
  const fc = await connect(server.wsUrl, { token: flooder.token });
  const ch = await fc.ok('channel.create', { slug: 'flood', title: 'Flood' });
  const started = Date.now();
  const replies = await Promise.all(Array.from({ length: 15 }, (_, i) =>
    fc.request('post.create', { channel_id: ch.channel.id, body: `flood ${i}` }, 10000)));
  const elapsedS = (Date.now() - started) / 1000;
  const okCount = replies.filter((r) => r.ok).length;
  const limited = replies.filter((r) => !r.ok);
  for (const r of limited) assertError(r, 'rate_limited');
  assert.ok(okCount >= 10, `the burst of 10 is allowed (${okCount} ok)`);
  assert.ok(okCount <= 10 + Math.ceil(elapsedS) + 1, `${okCount} ok in ${elapsedS}s exceeds burst + rate`);
  assert.ok(limited.length >= 1, 'at least one post was refused');
  assert.equal(fc.isOpen, true, 'rate limiting does not close the connection');
  // History holds exactly the accepted posts.
  const h = await fc.ok('post.history', { channel_id: ch.channel.id, limit: 50 });
  assert.equal(h.posts.length, okCount);
  await fc.close();
});

test('every frame the main connection received is a JSON event or reply', async () => {
  await sleep(200);
  for (const m of ws.messages) {
    assert.ok(typeof m === 'object' && m !== null && ('event' in m || 'ok' in m), JSON.stringify(m).slice(0, 200));
    if ('ok' in m) assert.ok(m.id === null || Number.isInteger(m.id));
    if ('event' in m) assert.equal(m.id, undefined);
  }
  assert.equal(ws.rawFrames.length, 0, 'every frame was JSON');
});
