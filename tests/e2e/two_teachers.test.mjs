// Two teachers in two browser contexts: register, create/join a channel, post, reply in a thread, all live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserAndServer, stopBrowserAndServer } from '../support/browser.mjs';
import { OUTPUT_DIR } from '../support/server.mjs';

const WAIT = { timeout: 10000 };
const PASSWORD = 'correct horse battery';

let server;
let browser;

before(async () => ({ server, browser } = await startBrowserAndServer()));
after(() => stopBrowserAndServer({ server, browser }));

/** A page that records dialogs, console errors and uncaught exceptions. */
async function openTeacher(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'America/New_York' });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const problems = [];
  const replies = new Map();   // op -> [resolve] waiting for the next ok reply to that op
  page.on('websocket', (ws) => {
    const sentOps = new Map();
    ws.on('framesent', ({ payload }) => {
      try { const m = JSON.parse(payload); sentOps.set(m.id, m.op); } catch { /* not JSON */ }
    });
    ws.on('framereceived', ({ payload }) => {
      let m;
      try { m = JSON.parse(payload); } catch { return; }
      const op = sentOps.get(m.id);
      if (op && m.ok) for (const resolve of replies.get(op)?.splice(0) || []) resolve(m);
    });
  });
  const nextReply = (op) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no reply to ${op} in time`)), WAIT.timeout);
    if (!replies.has(op)) replies.set(op, []);
    replies.get(op).push((reply) => { clearTimeout(timer); resolve(reply); });
  });
  page.on('dialog', (dialog) => { problems.push(`${name}: dialog ${dialog.type()}: ${dialog.message()}`); dialog.dismiss().catch(() => {}); });
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Before signing in, GET /api/session answers 401 as the protocol says; Chromium logs that.
    const where = message.location().url || '';
    if (where.endsWith('/api/session') && message.text().includes('401')) return;
    problems.push(`${name}: console error: ${message.text()} (${where})`);
  });
  await page.goto(server.url);
  return { name, context, page, problems, nextReply };
}

async function register({ page }, handle, displayName) {
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#connection[data-state="connected"]').waitFor(WAIT);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(WAIT);
  assert.equal(await page.locator('#me').textContent(), displayName);
}

/** The <article> of the post whose body contains `text`, inside `scope`. */
const postIn = (scope, text) => scope.locator('article.post', { has: scope.page().locator('.post-body', { hasText: text }) });

test('two teachers talk live in a channel and a thread', async () => {
  const a = await openTeacher('A');
  const b = await openTeacher('B');
  try {
    // Both register through the form.
    await register(a, 'ms.rivera', 'Ana Rivera');
    await register(b, 'mr.okafor', 'Ben Okafor');

    // A creates a public channel and lands in it.
    await a.page.getByRole('button', { name: '+ New channel' }).click();
    await a.page.getByLabel('Title').fill('Grade 4 math');
    await a.page.getByLabel('Slug').fill('grade-4-math');
    await a.page.getByLabel('Description').fill('Number talks and more');
    await a.page.getByLabel('Public').check();
    await a.page.getByRole('button', { name: 'Create channel' }).click();
    await a.page.getByRole('heading', { name: '#Grade 4 math' }).waitFor(WAIT);
    const aComposer = a.page.getByLabel('Message #grade-4-math');
    await aComposer.waitFor(WAIT);

    // B refreshes the browse list, previews the channel and joins it.
    await b.page.getByRole('button', { name: 'Refresh channel list' }).click();
    const browse = b.page.getByRole('region', { name: 'Browse channels' });
    await browse.getByRole('link', { name: 'Grade 4 math' }).click();
    await b.page.getByRole('heading', { name: '#Grade 4 math' }).waitFor(WAIT);
    await b.page.getByRole('button', { name: 'Join channel' }).click();
    const bComposer = b.page.getByLabel('Message #grade-4-math');
    await bComposer.waitFor(WAIT);
    await b.page.getByRole('region', { name: 'Your channels' }).getByRole('link', { name: 'Grade 4 math' }).waitFor(WAIT);
    // A sees the member count go up from B's member.joined.
    await a.page.locator('.channel-members', { hasText: '2 members' }).waitFor(WAIT);

    // A posts a root post with Enter; B sees it live, without reloading.
    const rootText = 'What number talk worked best this week?';
    await aComposer.fill(rootText);
    await aComposer.press('Enter');
    assert.equal(await aComposer.inputValue(), '', 'Enter sends and clears the composer');
    await postIn(a.page.locator('#channel'), rootText).waitFor(WAIT);
    const bRoot = postIn(b.page.locator('#channel'), rootText);
    await bRoot.waitFor(WAIT);
    assert.equal(await bRoot.locator('.post-author').textContent(), 'Ana Rivera');
    assert.match(await bRoot.locator('time').getAttribute('datetime'), /Z$/);
    assert.equal(await postIn(a.page.locator('#channel'), rootText).count(), 1, 'the author sees the post once');

    // A opens its own thread; B opens it too and replies.
    const aRoot = postIn(a.page.locator('#channel'), rootText);
    await aRoot.getByRole('button', { name: 'Reply' }).click();
    const aThread = a.page.getByRole('complementary', { name: /Thread/ });
    await aThread.waitFor(WAIT);
    await bRoot.getByRole('button', { name: 'Reply' }).click();
    const bThread = b.page.getByRole('complementary', { name: /Thread/ });
    await bThread.waitFor(WAIT);
    await postIn(bThread, rootText).waitFor(WAIT);
    const replyText = 'Dot images! The class found five ways to count them.';
    const bReplyBox = b.page.getByLabel('Reply in thread');
    await bReplyBox.fill(replyText);
    await bReplyBox.press('Enter');

    // A: the reply count goes up and the reply shows in the open thread, live.
    await aRoot.getByRole('button', { name: '1 reply' }).waitFor(WAIT);
    await postIn(aThread, replyText).waitFor(WAIT);
    await bRoot.getByRole('button', { name: '1 reply' }).waitFor(WAIT);
    assert.equal(await postIn(bThread, replyText).count(), 1, 'the replier sees the reply once');
    assert.equal(await postIn(aThread, replyText).locator('.post-author').textContent(), 'Ben Okafor');

    // Shift+Enter makes a new line instead of sending.
    await aComposer.click();
    await a.page.keyboard.type('Line one of the plan');
    await a.page.keyboard.press('Shift+Enter');
    await a.page.keyboard.type('Line two of the plan');
    assert.equal(await aComposer.inputValue(), 'Line one of the plan\nLine two of the plan');
    await a.page.keyboard.press('Enter');
    const bMulti = postIn(b.page.locator('#channel'), 'Line two of the plan');
    await bMulti.waitFor(WAIT);
    assert.match(await bMulti.locator('.post-body').innerText(), /Line one of the plan\s*\n\s*Line two of the plan/);

    // The polite live region announced B's post to A... and A's to B.
    await b.page.locator('#announcer[aria-live="polite"]', { hasText: 'Line one of the plan' }).waitFor(WAIT);

    await a.page.screenshot({ path: `${OUTPUT_DIR}/two-teachers-a.png` });
    await b.page.screenshot({ path: `${OUTPUT_DIR}/two-teachers-b.png` });
    await b.page.setViewportSize({ width: 375, height: 812 });
    await b.page.locator('#thread').scrollIntoViewIfNeeded();
    await b.page.screenshot({ path: `${OUTPUT_DIR}/two-teachers-b-375.png`, fullPage: true });
    const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 375px (overflow ${overflow}px)`);

    // Unread: A moves to a second channel while B posts in the first; A's sidebar shows a badge,
    // opening the channel clears it (channel.read), and a reload confirms the server agrees.
    await a.page.getByRole('button', { name: '+ New channel' }).click();
    await a.page.getByLabel('Title').fill('Book study');
    await a.page.getByLabel('Slug').fill('book-study');
    await a.page.getByRole('button', { name: 'Create channel' }).click();
    await a.page.getByRole('heading', { name: '#Book study' }).waitFor(WAIT);
    await bComposer.fill('Sharing my exit tickets tomorrow.');
    await bComposer.press('Enter');
    const aSidebar = a.page.getByRole('navigation', { name: 'Channels' });
    await aSidebar.getByRole('link', { name: 'Grade 4 math 1 unread' }).waitFor(WAIT);
    const readAck = a.nextReply('channel.read');
    await aSidebar.getByRole('link', { name: /Grade 4 math/ }).click();
    await postIn(a.page.locator('#channel'), 'Sharing my exit tickets tomorrow.').waitFor(WAIT);
    assert.equal((await readAck).channel.unread, 0);
    assert.equal(await aSidebar.locator('.badge').count(), 0, 'opening the channel clears its badge');
    await a.page.reload();
    await a.page.locator('#connection[data-state="connected"]').waitFor(WAIT);
    await postIn(a.page.locator('#channel'), 'Sharing my exit tickets tomorrow.').waitFor(WAIT);
    assert.equal(await aSidebar.locator('.badge').count(), 0, 'no unread badge after reading');

    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    await a.context.close().catch(() => {});
    await b.context.close().catch(() => {});
  }
});
