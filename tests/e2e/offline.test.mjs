// A flaky connection: the server restarts while a teacher keeps typing; queued posts arrive exactly once and missed posts are caught up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../support/browser.mjs';
import { startServer, tempDataDir, register, OUTPUT_DIR } from '../support/server.mjs';
import { connect } from '../support/ws_client.mjs';
import { openTeacher, postIn, send, WAIT } from '../support/teacher.mjs';

const dataDir = tempDataDir();
const ARGS = ['--post-rate', '0'];
let server;
let browser;
let ana;
let ben;
let channelId;

before(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  server = await startServer({ dataDir, args: ARGS });
  browser = await launchChromium();
  ana = await register(server.url, 'ms.rivera', undefined, 'Ana Rivera');
  ben = await register(server.url, 'mr.okafor', undefined, 'Ben Okafor');
  const ws = await connect(server.wsUrl, { token: ana.token });
  channelId = (await ws.ok('channel.create', { slug: 'grade-2', title: 'Grade 2' })).channel.id;
  const benWs = await connect(server.wsUrl, { token: ben.token });
  await benWs.ok('channel.join', { channel_id: channelId });
  await ws.ok('post.create', { channel_id: channelId, body: 'Before the outage.' });
  await ws.close();
  await benWs.close();
});

after(async () => {
  try { if (browser) await browser.close(); } finally { if (server) await server.stop({ removeData: true }); }
});

test('posts typed during a server restart are sent once; missed posts are caught up', async () => {
  const a = await openTeacher(browser, server, 'A', { token: ana.token, hash: '#/c/grade-2' });
  const b = await openTeacher(browser, server, 'B', { token: ben.token, hash: '#/c/grade-2' });
  try {
    const aList = a.page.locator('#channel');
    const bList = b.page.locator('#channel');
    await postIn(aList, 'Before the outage.').waitFor(WAIT);
    await postIn(bList, 'Before the outage.').waitFor(WAIT);
    const composer = a.page.getByLabel('Message #grade-2');

    // The server goes away: both pages say so.
    a.state.allowSocketErrors = true;
    b.state.allowSocketErrors = true;
    const port = server.port;
    await server.stop({ removeData: false });
    await a.page.locator('#connection[data-state="reconnecting"]').waitFor(WAIT);
    await b.page.locator('#connection[data-state="reconnecting"]').waitFor(WAIT);

    // Ana keeps writing: the posts show as waiting, the connection state counts them.
    await send(composer, 'Offline post one.');
    await send(composer, 'Offline post two, with **Markdown**.');
    const pending = aList.locator('li.is-pending');
    assert.equal(await pending.count(), 2);
    await aList.locator('.pending-state', { hasText: 'Waiting for the connection…' }).first().waitFor(WAIT);
    await a.page.locator('#connection', { hasText: '2 waiting to send' }).waitFor(WAIT);
    await a.page.screenshot({ path: `${OUTPUT_DIR}/offline-queued.png` });

    // The server comes back; a third teacher posts at once (Ben's page may still be reconnecting).
    server = await startServer({ dataDir, port, args: ARGS });
    const benWs = await connect(server.wsUrl, { token: ben.token });
    await benWs.ok('post.create', { channel_id: channelId, body: 'Posted while the pages were reconnecting.', client_id: 'ben-1' });
    await benWs.close();

    await a.page.locator('#connection[data-state="connected"]').waitFor({ timeout: 25000 });
    await b.page.locator('#connection[data-state="connected"]').waitFor({ timeout: 25000 });
    for (const list of [aList, bList]) {
      await postIn(list, 'Offline post one.').waitFor(WAIT);
      await postIn(list, 'Offline post two').locator('strong', { hasText: 'Markdown' }).waitFor(WAIT);
      await postIn(list, 'Posted while the pages were reconnecting.').waitFor(WAIT);
    }
    await a.page.waitForFunction(() => !document.querySelector('#channel li.is-pending'), null, WAIT);

    // Exactly once: on both pages and on the server.
    for (const list of [aList, bList]) {
      for (const text of ['Before the outage.', 'Offline post one.', 'Offline post two', 'Posted while the pages']) {
        assert.equal(await postIn(list, text).count(), 1, `${text} shown once`);
      }
    }
    const check = await connect(server.wsUrl, { token: ana.token });
    const history = (await check.ok('post.history', { channel_id: channelId, limit: 200 })).posts;
    await check.close();
    assert.equal(history.filter((p) => p.body === 'Offline post one.').length, 1, 'stored once');
    assert.equal(history.filter((p) => p.body.startsWith('Offline post two')).length, 1, 'stored once');
    const creates = a.sent.filter((m) => m.op === 'post.create' && m.body === 'Offline post one.');
    assert.ok(creates.length >= 1 && creates.every((m) => m.client_id === creates[0].client_id), 'every send of a post carries its one client_id');

    // The page asked to catch up (session.resume) before it sent the queued posts.
    const ops = a.sent.map((m) => m.op);
    const resumeAt = ops.lastIndexOf('session.resume');
    assert.ok(resumeAt >= 0, 'session.resume sent after the reconnect');
    assert.ok(resumeAt < ops.lastIndexOf('post.create'), 'catch-up before the queued posts');
    await a.page.screenshot({ path: `${OUTPUT_DIR}/offline-delivered.png` });

    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    await a.context.close().catch(() => {});
    await b.context.close().catch(() => {});
  }
});
