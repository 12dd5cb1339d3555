// Idle WebSocket peers: pinged after half of --idle-timeout without a byte from them, dropped
// at the timeout; a peer that answers the ping (as every browser and `ws` does) stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { registerUser } from '../support/http.mjs';
import { connect, sleep } from '../support/ws_client.mjs';
import { OP, frame, rawConnect } from '../support/raw_ws.mjs';

let server;
let ana;

before(async () => {
  server = await startServer({ args: ['--idle-timeout', '2'] });
  ana = await registerUser(server.url, 'ana');
});

after(async () => {
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit ${JSON.stringify(exit)}; stderr: ${server.stderr()}`);
  }
});

test('a silent peer gets a ping after ~1 s and is dropped at ~2 s', async () => {
  const r = await rawConnect(server.port, { Authorization: `Bearer ${ana.token}` });
  assert.equal(r.status, 101, r.head);
  const started = Date.now();
  const hello = await r.ws.next();
  assert.equal(hello.json?.event, 'hello');
  const ping = await r.ws.waitFor((f) => f.opcode === OP.ping, 3000, 'a ping');
  const pingedAfter = Date.now() - started;
  assert.ok(pingedAfter >= 800 && pingedAfter < 1800, `pinged after ${pingedAfter} ms`);
  assert.equal(ping.length, 0);
  await r.ws.waitEnd(3000);
  const droppedAfter = Date.now() - started;
  assert.ok(droppedAfter >= 1800 && droppedAfter < 3000, `dropped after ${droppedAfter} ms`);
});

test('a peer that answers pings (the ws client) stays open past the timeout and is served', async () => {
  const client = await connect(`${server.wsUrl}`, { token: ana.token });
  await sleep(4500);
  assert.equal(client.closeInfo, null, 'still open');
  const listed = await client.ok('channel.list');
  assert.ok(Array.isArray(listed.channels));
  await client.close();
});

test('traffic from the peer counts as life: requests every 0.5 s keep a raw peer open', async () => {
  const r = await rawConnect(server.port, { Authorization: `Bearer ${ana.token}` });
  assert.equal(r.status, 101, r.head);
  for (let i = 1; i <= 7; ++i) {
    r.ws.write(frame(OP.text, JSON.stringify({ id: i, op: 'channel.list' })));
    await r.ws.waitFor((f) => f.json?.id === i, 2000, `reply ${i}`);
    await sleep(500);
  }
  assert.equal(r.ws.ended, false, 'still connected after 3.5 s of requests');
  r.ws.destroy();
});
