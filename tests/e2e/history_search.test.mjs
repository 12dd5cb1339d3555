// Long channels: infinite scroll back to the first post, "jump to first unread" past the loaded page, and search hits that jump to posts and replies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../support/browser.mjs';
import { startServer, register, OUTPUT_DIR } from '../support/server.mjs';
import { connect } from '../support/ws_client.mjs';
import { openTeacher, postIn, WAIT } from '../support/teacher.mjs';

let server;
let browser;
let ana;
let ben;
let ws;
const ids = {};

before(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  server = await startServer({ args: ['--post-rate', '0'] });
  browser = await launchChromium();
  ana = await register(server.url, 'ms.rivera', undefined, 'Ana Rivera');
  ben = await register(server.url, 'mr.okafor', undefined, 'Ben Okafor');
  ws = await connect(server.wsUrl, { token: ana.token });
  const benWs = await connect(server.wsUrl, { token: ben.token });
  // "archive": 150 root posts Ben never joined; post 3 mentions photosynthesis, post 140 has a reply.
  ids.archive = (await ws.ok('channel.create', { slug: 'archive', title: 'Archive' })).channel.id;
  for (let i = 1; i <= 150; i += 1) {
    const body = i === 3 ? 'Note 3: the photosynthesis lab needs more lamps.' : `Archive note ${i}`;
    const reply = await ws.ok('post.create', { channel_id: ids.archive, body, client_id: `arch-${i}` });
    if (i === 140) ids.root140 = reply.post.id;
  }
  await ws.ok('post.create', { channel_id: ids.archive, thread_id: ids.root140, body: 'Reply about chlorophyll pigments.' });
  // "planning": Ben joins, then Ana writes 70 posts he has not read.
  ids.planning = (await ws.ok('channel.create', { slug: 'planning', title: 'Planning' })).channel.id;
  await benWs.ok('channel.join', { channel_id: ids.planning });
  await benWs.close();
  for (let i = 1; i <= 70; i += 1) await ws.ok('post.create', { channel_id: ids.planning, body: `Plan item ${i}` });
});

after(async () => {
  try {
    if (ws) await ws.close();
    if (browser) await browser.close();
  } finally { if (server) await server.stop(); }
});

test('infinite scroll, jump to first unread, search jumps', async () => {
  const b = await openTeacher(browser, server, 'B', { token: ben.token, hash: '#/c/planning' });
  try {
    const page = b.page;
    const list = page.locator('#channel');
    await page.locator('#connection[data-state="connected"]').waitFor(WAIT);

    // Planning: 70 unread, more than one page; the jump button loads back to the first unread.
    await postIn(list, 'Plan item 70').waitFor(WAIT);
    assert.equal(await postIn(list, /Plan item 1\s*$/).count(), 0, 'only the newest page is loaded');
    const jump = page.getByRole('button', { name: /Jump to first unread \(70 new\)/ });
    await jump.waitFor(WAIT);
    await page.screenshot({ path: `${OUTPUT_DIR}/jump-to-unread.png` });
    await jump.click();
    const divider = list.getByRole('separator', { name: 'New posts start here' });
    await divider.waitFor(WAIT);
    assert.match(await divider.evaluate((n) => n.nextElementSibling.textContent), /Plan item 1\b/);
    await page.waitForFunction(() => {
      const d = document.querySelector('#channel .unread-divider');
      const s = document.querySelector('#channel .post-scroller');
      const r = d.getBoundingClientRect();
      const box = s.getBoundingClientRect();
      return r.top >= box.top - 2 && r.bottom <= box.bottom;
    }, null, WAIT);

    // A new post arrives while Ben reads further up: a pill offers to go down to it.
    await ws.ok('post.create', { channel_id: ids.planning, body: 'Plan item 71, just in.' });
    await page.getByRole('button', { name: '↓ New posts below' }).click();
    await page.waitForFunction(() => {
      const post = [...document.querySelectorAll('#channel .post-body')].find((n) => n.textContent.includes('Plan item 71'));
      const box = document.querySelector('#channel .post-scroller').getBoundingClientRect();
      return post && post.getBoundingClientRect().bottom <= box.bottom + 1;
    }, null, WAIT);

    // Archive (a public channel Ben previews): scrolling up loads older pages until the first post.
    await page.getByRole('region', { name: 'Browse channels' }).getByRole('link', { name: 'Archive' }).click();
    await postIn(list, 'Archive note 150').waitFor(WAIT);
    const scroller = list.locator('.post-scroller');
    for (let i = 0; i < 10 && (await postIn(list, /Archive note 1\s*$/).count()) === 0; i += 1) {
      await scroller.evaluate((s) => { s.scrollTop = 0; });
      await page.waitForTimeout(300);
    }
    await postIn(list, /Archive note 1\s*$/).waitFor(WAIT);
    assert.equal(await list.locator('li.post-item').count(), 150, 'every root post once, no duplicates');
    assert.equal(await list.getByRole('button', { name: 'Load older posts' }).isVisible(), false);

    // Switch away, then search: the hit is highlighted and jumps back into the archive.
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'Planning' }).click();
    await page.getByRole('heading', { name: '#Planning' }).waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.locator('body').press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', '/ focuses search');
    await page.keyboard.type('photosynthesis');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: 'Search: photosynthesis' });
    const hit = panel.locator('.hit', { hasText: 'lamps' });
    await hit.waitFor(WAIT);
    assert.equal(await hit.locator('mark').first().textContent(), 'photosynthesis');
    await page.screenshot({ path: `${OUTPUT_DIR}/search-results.png` });
    await hit.click();
    await page.getByRole('heading', { name: '#Archive' }).waitFor(WAIT);
    const target = postIn(list, 'the photosynthesis lab');
    await target.waitFor(WAIT);
    await page.waitForFunction(() => {
      const post = document.querySelector('#channel .post.is-highlighted');
      if (!post || !post.textContent.includes('photosynthesis')) return false;
      const r = post.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, null, WAIT);
    await page.screenshot({ path: `${OUTPUT_DIR}/search-jump.png` });

    // A hit in a reply opens its thread with the reply highlighted.
    await page.getByLabel('Search posts').fill('chlorophyll');
    await page.getByLabel('Search posts').press('Enter');
    await page.getByRole('complementary', { name: 'Search: chlorophyll' }).locator('.hit', { hasText: 'pigments' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread in #archive' });
    await thread.locator('.post.is-highlighted', { hasText: 'chlorophyll pigments' }).waitFor(WAIT);
    await postIn(thread, 'Archive note 140').waitFor(WAIT);

    assert.deepEqual(b.problems, []);
  } finally {
    await b.context.close().catch(() => {});
  }
});
