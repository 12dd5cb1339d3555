// A reply lost on the way back: the connection drops after the server stored a post; the page resends it with the same client_id and it exists once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../support/browser.mjs';
import { startServer, register } from '../support/server.mjs';
import { connect } from '../support/ws_client.mjs';
import { openTeacher, postIn, send, WAIT } from '../support/teacher.mjs';

let server;
let browser;
let ana;
let channelId;

before(async () => {
  server = await startServer({ args: ['--post-rate', '0'] });
  browser = await launchChromium();
  ana = await register(server.url, 'ms.rivera', undefined, 'Ana Rivera');
  const ws = await connect(server.wsUrl, { token: ana.token });
  channelId = (await ws.ok('channel.create', { slug: 'art', title: 'Art' })).channel.id;
  await ws.close();
});

after(async () => {
  try { if (browser) await browser.close(); } finally { if (server) await server.stop(); }
});

test('a post whose reply and event are lost is resent with its client_id and stored once', async () => {
  let swallow = false;
  let swallowed = 0;
  // Sits between the page and the server; on cue, swallows what the server says about the
  // next post (its reply and its event), then drops the connection as a flaky network would.
  const routeSocket = (context) => context.routeWebSocket(/\/ws$/, (route) => {
    const upstream = route.connectToServer();
    route.onMessage((message) => upstream.send(message));
    upstream.onMessage((message) => {
      if (swallow && /"post"/.test(message) && /Glitter/.test(message)) {
        swallowed += 1;
        if (/"ok":true/.test(message)) { swallow = false; route.close({ code: 4000, reason: 'network blip' }); }
        return;
      }
      route.send(message);
    });
  });
  const t = await openTeacher(browser, server, 'A', { token: ana.token, hash: '#/c/art', setup: routeSocket });
  try {
    const page = t.page;
    await page.locator('#connection[data-state="connected"]').waitFor(WAIT);
    t.state.allowSocketErrors = true;
    swallow = true;
    await send(page.getByLabel('Message #art'), 'Glitter is banned from the art room, sorry!');
    await page.locator('#connection[data-state="connected"]').waitFor(WAIT);
    const list = page.locator('#channel');
    await postIn(list, 'Glitter is banned').waitFor(WAIT);
    assert.ok(swallowed >= 1, 'the first reply was lost');

    const creates = t.sent.filter((m) => m.op === 'post.create');
    const trace = JSON.stringify(t.sent.map((m) => m.op));
    assert.equal(creates.length, 2, `sent, then resent after the reconnect; sent ${trace}`);
    assert.equal(creates[0].client_id, creates[1].client_id, 'the resend carries the same client_id');
    const duplicate = t.received.find((m) => m.ok === true && m.duplicate === true);
    assert.ok(duplicate, `the server recognised the resend; received ${JSON.stringify(t.received.filter((m) => m.id).map((m) => [m.id, m.ok, m.duplicate]))}`);
    assert.equal(await postIn(list, 'Glitter is banned').count(), 1, 'shown once');

    const check = await connect(server.wsUrl, { token: ana.token });
    const posts = (await check.ok('post.history', { channel_id: channelId })).posts;
    await check.close();
    assert.equal(posts.filter((p) => p.body.startsWith('Glitter')).length, 1, 'stored once');
    assert.deepEqual(t.problems, []);
  } finally {
    await t.context.close().catch(() => {});
  }
});
