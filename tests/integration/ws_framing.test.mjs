// RFC 6455 framing at the WebSocket edge, checked on raw TCP: fragmentation, control frames
// between fragments, ping/pong, many frames per TCP write, one byte per write, protocol
// violations and their close codes (1002, 1007, 1009), the close handshake, and the headers of
// every frame the server sends (FIN, no mask, RSV 0, minimal length encoding).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import { OP, frame, closePayload, acceptFor, rawConnect } from '../support/raw_ws.mjs';

let server;
let ana;
const opened = []; // every raw connection of this file, for the frame-header check at the end

before(async () => {
  server = await startServer({ args: ['--post-rate', '0'] });
  ana = await registerUser(server.url, 'ana');
});

after(async () => {
  for (const ws of opened) ws.destroy();
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

/** Upgrades by hand, checks the 101 response and the hello event, returns the RawWs. */
async function open() {
  const r = await rawConnect(server.port, { Authorization: `Bearer ${ana.token}` });
  opened.push(r.ws);
  assert.equal(r.status, 101, r.head);
  assert.equal(r.headers.upgrade?.toLowerCase(), 'websocket', r.head);
  assert.match(r.headers.connection ?? '', /\bupgrade\b/i, r.head);
  assert.equal(r.headers['sec-websocket-accept'], acceptFor(r.key), r.head);
  assert.equal(r.headers['sec-websocket-extensions'], undefined, 'no extension offered, none agreed');
  const hello = await r.ws.next();
  assert.equal(hello.opcode, OP.text, r.ws.describe());
  assert.equal(hello.json?.event, 'hello', r.ws.describe());
  return r.ws;
}

const req = (id, op = 'channel.list', fields = {}) => JSON.stringify({ id, op, ...fields });
const text = (payload, options) => frame(OP.text, payload, options);

/** The (first unseen) text frame that replies to id. */
function reply(ws, id, ms = 3000) {
  return ws.waitFor((f) => f.opcode === OP.text && f.json?.id === id, ms, `the reply to id ${id}`);
}

/** A close frame with this code, then the server ending the TCP connection; no reply to noReplyId. */
async function expectClose(ws, code, noReplyId, ms = 3000) {
  const f = await ws.waitFor((x) => x.opcode === OP.close, ms, `a close frame with ${code}`);
  assert.equal(f.code, code, `close code ${f.code} reason ${JSON.stringify(f.reason)}; frames ${ws.describe()}`);
  await ws.waitEnd(ms);
  if (noReplyId !== undefined) assert.ok(!ws.frames.some((x) => x.json?.id === noReplyId), `id ${noReplyId} was answered`);
  return f;
}

test('a text message in 3 fragments (split inside a UTF-8 character) is answered as one request', async () => {
  const ws = await open();
  const msg = Buffer.from(req(11, 'channel.list', { note: 'café au lait' }));
  const cut = msg.indexOf(Buffer.from('é')) + 1; // UTF-8 is valid per message, not per fragment
  ws.write(Buffer.concat([text(msg.subarray(0, 10), { fin: false }), frame(OP.cont, msg.subarray(10, cut), { fin: false }),
    frame(OP.cont, msg.subarray(cut))]));
  const r = await reply(ws, 11);
  assert.equal(r.json.ok, true, r.payload.toString());
  assert.ok(Array.isArray(r.json.channels));
});

test('a ping between two fragments is answered at once with its payload; the message still is', async () => {
  const ws = await open();
  const msg = req(21);
  ws.write(Buffer.concat([text(msg.slice(0, 8), { fin: false }), frame(OP.ping, 'abc')]));
  // The pong must not wait for the rest of the message.
  const pong = await ws.waitFor((f) => f.opcode === OP.pong, 3000, 'the pong');
  assert.equal(pong.payload.toString(), 'abc');
  ws.write(frame(OP.cont, msg.slice(8)));
  assert.equal((await reply(ws, 21)).json.ok, true);
});

test('ping -> pong with the same payload (also empty and 125 bytes)', async () => {
  const ws = await open();
  const payloads = ['hello there', '', 'm'.repeat(125), Buffer.from([0, 255, 0xc3, 0x28])];
  for (const p of payloads) {
    ws.write(frame(OP.ping, p));
    const pong = await ws.waitFor((f) => f.opcode === OP.pong, 3000, 'a pong');
    assert.deepEqual(pong.payload, Buffer.from(p));
  }
  ws.write(text(req(31)));
  assert.equal((await reply(ws, 31)).json.ok, true, 'pings do not disturb requests');
});

// channel.list is served from the read pool, so its replies may legitimately come in any order
// (PROTOCOL.md: replies come in the order requests complete); an unknown op completes at once.
const isUnknownOp = (id) => id % 2 === 1;

test('50 requests in one TCP write are all answered once; those that complete at once, in order', async () => {
  const ws = await open();
  const ids = Array.from({ length: 50 }, (_, i) => 100 + i);
  ws.write(Buffer.concat(ids.map((id) => text(req(id, isUnknownOp(id) ? 'no.such.op' : 'channel.list')))));
  const got = () => ws.frames.filter((f) => f.opcode === OP.text && Number.isInteger(f.json?.id)).map((f) => f.json);
  await ws.until(() => got().length >= ids.length, 5000, '50 replies');
  await sleep(100);
  assert.deepEqual(got().map((r) => r.id).sort((a, b) => a - b), ids, 'each request answered exactly once');
  for (const r of got()) assert.equal(r.ok, !isUnknownOp(r.id), JSON.stringify(r));
  assert.deepEqual(got().filter((r) => isUnknownOp(r.id)).map((r) => r.id), ids.filter(isUnknownOp), 'in order of id');
});

test('a request written one byte at a time is answered', async () => {
  const ws = await open();
  ws.socket.setNoDelay(true);
  const bytes = Buffer.concat([frame(OP.ping, 'p'), text(req(51))]);
  for (const b of bytes) {
    ws.write(Buffer.from([b]));
    await sleep(2);
  }
  assert.equal((await ws.waitFor((f) => f.opcode === OP.pong, 3000, 'the pong')).payload.toString(), 'p');
  assert.equal((await reply(ws, 51)).json.ok, true);
});

test('an unmasked client frame: close 1002 and the TCP connection ends', async () => {
  const ws = await open();
  ws.write(text(req(61), { mask: false }));
  await expectClose(ws, 1002, 61);
});

const violations = [
  ['RSV1 set with no extension agreed', () => text(req(71), { rsv: 4 })],
  ['RSV3 set', () => text(req(71), { rsv: 1 })],
  ['unknown data opcode 3', () => frame(3, req(71))],
  ['unknown control opcode 0xB', () => frame(0xb, '')],
  ['a continuation frame with no message started', () => frame(OP.cont, req(71))],
  ['a new text frame while a fragmented message is open',
    () => Buffer.concat([text('{"id":', { fin: false }), text(req(71))])],
  ['a ping with a 126-byte payload', () => frame(OP.ping, 'p'.repeat(126))],
  ['a fragmented ping (FIN=0)', () => frame(OP.ping, 'abc', { fin: false })],
  ['a close frame with a 1-byte payload', () => frame(OP.close, Buffer.from([3]))],
  ['a close frame with the reserved code 1005', () => frame(OP.close, closePayload(1005))],
];
for (const [what, build] of violations) {
  test(`protocol violation, ${what}: close 1002 and the TCP connection ends`, async () => {
    const ws = await open();
    ws.write(build());
    await expectClose(ws, 1002, 71);
  });
}

test('invalid UTF-8 in a text frame: close 1007', async () => {
  const ws = await open();
  ws.write(text(Buffer.concat([Buffer.from('{"id":81,"op":"channel.list","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])));
  await expectClose(ws, 1007, 81);
});

test('invalid UTF-8 in a later fragment: close 1007', async () => {
  const ws = await open();
  ws.write(Buffer.concat([text('{"id":82,"op":"channel.list","x":"', { fin: false }), frame(OP.cont, Buffer.from([0xed, 0xa0, 0x80, 0x22, 0x7d]))]));
  await expectClose(ws, 1007, 82);
});

/** A channel.list request padded to exactly n bytes of JSON. */
function paddedRequest(id, n) {
  const bare = req(id, 'channel.list', { pad: '' });
  return Buffer.from(req(id, 'channel.list', { pad: 'p'.repeat(n - bare.length) }));
}

/** The message as 4 KiB fragments. */
function fragments(msg) {
  const parts = [];
  for (let i = 0; i < msg.length; i += 4096) {
    const last = i + 4096 >= msg.length;
    parts.push(frame(i === 0 ? OP.text : OP.cont, msg.subarray(i, i + 4096), { fin: last }));
  }
  return Buffer.concat(parts);
}

test('a message of exactly 64 KiB in 16 fragments of 4 KiB is answered', async () => {
  const ws = await open();
  ws.write(fragments(paddedRequest(91, 65536)));
  assert.equal((await reply(ws, 91, 5000)).json.ok, true);
});

test('a message of 64 KiB + 1 byte in small fragments: close 1009', async () => {
  const ws = await open();
  ws.write(fragments(paddedRequest(92, 65537)));
  await expectClose(ws, 1009, 92);
});

test('a message of 20 fragments of 4 KiB: close 1009', async () => {
  const ws = await open();
  ws.write(fragments(paddedRequest(93, 20 * 4096)));
  await expectClose(ws, 1009, 93);
});

test('a frame header claiming 70,000 bytes: close 1009 without waiting for the payload', async () => {
  const ws = await open();
  ws.write(text('{"id":94', { len: 70000 }));
  await expectClose(ws, 1009, 94, 2000);
});

test('client close(1000, "bye"): the server answers close 1000 and ends the TCP connection within 2 s', async () => {
  const ws = await open();
  const started = Date.now();
  ws.write(frame(OP.close, closePayload(1000, 'bye')));
  await expectClose(ws, 1000, undefined, 2000);
  assert.ok(Date.now() - started <= 2000, `ended after ${Date.now() - started} ms`);
});

test('after the client\'s close nothing further is answered', async () => {
  const ws = await open();
  // The request travels in the same TCP write as the close, right behind it.
  ws.write(Buffer.concat([frame(OP.close, closePayload(1000)), text(req(111)), frame(OP.ping, 'late')]));
  const f = await expectClose(ws, 1000, 111, 2000);
  const after = ws.frames.slice(ws.frames.indexOf(f) + 1);
  assert.deepEqual(after.map((x) => x.opcode), [], 'no frame follows the server\'s close');
  assert.ok(!ws.frames.some((x) => x.opcode === OP.pong), 'the ping after the close got no pong');
});

test('the ws client: 200 requests back-to-back are all answered, each as its own JSON message', async () => {
  const c = await connect(server.wsUrl, { token: ana.token });
  try {
    const ops = Array.from({ length: 200 }, (_, i) => (isUnknownOp(i + 1) ? ['no.such.op', {}] : ['channel.list', { pad: 'x'.repeat(i * 37) }]));
    const replies = await Promise.all(ops.map(([op, fields]) => c.request(op, fields, 10000)));
    replies.forEach((r, i) => assert.equal(r.ok, ops[i][0] === 'channel.list', JSON.stringify(r)));
    await sleep(100);
    assert.equal(c.rawFrames.length, 0, `frames that were not JSON: ${JSON.stringify(c.rawFrames).slice(0, 300)}`);
    const ids = c.replies.map((r) => r.id);
    assert.equal(ids.length, 200, 'exactly one message per reply');
    assert.deepEqual([...ids].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1));
    const unknownIds = ids.filter(isUnknownOp);
    assert.deepEqual(unknownIds, [...unknownIds].sort((a, b) => a - b), 'replies that complete at once come in order');
    assert.equal(c.messages.length, 201, 'hello + 200 replies, nothing else');
  } finally {
    await c.close();
  }
});

test('server frames: FIN, unmasked, RSV 0, text for JSON, minimal 7/16/64-bit lengths', async () => {
  const ws = await open();
  ws.write(text(req(131, 'channel.create', { slug: 'long-posts', title: 'Long posts' })));
  const channelId = (await reply(ws, 131)).json.channel.id;
  ws.write(text(req(132, 'no.such.op')));
  const small = await reply(ws, 132);
  assert.equal(small.lenBytes, 0, `a ${small.length}-byte reply uses the 7-bit length`);
  for (let i = 0; i < 3; i++) {
    ws.write(text(req(133 + i, 'post.create', { channel_id: channelId, body: `${i} `.padEnd(16000, 'x') })));
    const r = await reply(ws, 133 + i, 10000);
    assert.equal(r.json.ok, true, r.payload.toString('utf8', 0, 200));
    assert.ok(r.length >= 126 && r.length <= 65535, `post reply length ${r.length}`);
    assert.equal(r.lenBytes, 2, 'a 126..65535-byte reply uses the 16-bit length');
  }
  ws.write(text(req(140, 'post.history', { channel_id: channelId })));
  const big = await reply(ws, 140, 10000);
  assert.ok(big.length > 65535, `history length ${big.length}`);
  assert.equal(big.lenBytes, 8, 'a reply over 65535 bytes uses the 64-bit length');
  assert.deepEqual(big.json.posts.map((p) => p.body.length), [16000, 16000, 16000]);
  // Every frame every raw connection of this file received.
  let count = 0;
  for (const c of opened) {
    for (const f of c.frames) {
      const where = `frame op${f.opcode} len ${f.length}: ${f.payload.toString('utf8', 0, 80)}`;
      assert.equal(f.fin, true, where);
      assert.equal(f.masked, false, where);
      assert.equal(f.rsv, 0, where);
      assert.ok([OP.text, OP.close, OP.ping, OP.pong].includes(f.opcode), where);
      if (f.opcode === OP.text) assert.notEqual(f.json, undefined, `valid UTF-8 JSON: ${where}`);
      else assert.ok(f.length <= 125, `control frame payload <= 125: ${where}`);
      assert.equal(f.lenBytes, f.length < 126 ? 0 : f.length < 65536 ? 2 : 8, `minimal length encoding: ${where}`);
      count++;
    }
    if (c.ended) assert.equal(c.buf.length, 0, 'no partial frame left when the connection ended');
  }
  assert.ok(count > 100, `${count} frames checked`);
});
