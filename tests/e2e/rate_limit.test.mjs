// Posting faster than the server allows: the page waits as told (retry_after) and sends each post once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { openTeacher, registerInUi, createChannelInUi, postIn, WAIT } from '../support/teacher.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ args: ['--post-burst', '2', '--post-rate', '1'] });
  browser = await launchChromium();
});

after(async () => {
  try { if (browser) await browser.close(); } finally { if (server) await server.stop(); }
});

test('a burst of posts over the rate limit is delivered in order, once each', async () => {
  const t = await openTeacher(browser, server, 'T');
  try {
    await registerInUi(t.page, 'ms.ortiz', 'Rosa Ortiz');
    const composer = await createChannelInUi(t.page, 'Quick notes', 'quick');
    for (let i = 1; i <= 5; i += 1) {
      await composer.fill(`Note number ${i}`);
      await composer.press('Enter');
    }
    const list = t.page.locator('#channel');
    await postIn(list, 'Note number 5').waitFor({ timeout: 15000 });
    for (let i = 1; i <= 5; i += 1) assert.equal(await postIn(list, `Note number ${i}`).count(), 1);
    assert.equal(await list.locator('li.is-pending').count(), 0);
    const order = await list.locator('li.post-item .post-body').allTextContents();
    assert.deepEqual(order.map((text) => text.trim()), [1, 2, 3, 4, 5].map((i) => `Note number ${i}`), 'typing order kept');
    assert.equal(await list.locator('.composer-error').textContent(), '');
    const refused = t.received.filter((m) => m.ok === false && m.error && m.error.code === 'rate_limited');
    assert.ok(refused.length > 0, 'the server did refuse some posts at first');
    assert.deepEqual(t.problems, []);
  } finally {
    await t.context.close().catch(() => {});
  }
});
