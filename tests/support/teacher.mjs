// Browser-test helpers: a teacher's page that records problems and WebSocket frames, plus the UI steps tests repeat.
import assert from 'node:assert/strict';

export const WAIT = { timeout: 15000 };   // a bound, not a delay: ASan builds on 2 shared cores are slow
export const PASSWORD = 'correct horse battery';

/**
 * Opens a page in a new context and records dialogs, page errors and console errors (except
 * the 401 of GET /api/session before signing in and, when state.allowSocketErrors, refused
 * sockets). options: {viewport, timezoneId, token (signs in with this session), isMobile, hash,
 * setup(context, state) (runs before the page loads, e.g. to route its WebSocket)}.
 * Returns {name, context, page, problems, state, sent, received, nextReply(op)}.
 */
export async function openTeacher(browser, server, name, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport || { width: 1280, height: 800 },
    timezoneId: options.timezoneId || 'America/New_York',
    isMobile: Boolean(options.isMobile),
    hasTouch: Boolean(options.isMobile),
  });
  if (options.token) {
    await context.addCookies([{ name: 'staffroom_session', value: options.token, url: server.url }]);
  }
  const state = { allowSocketErrors: false };
  if (options.setup) await options.setup(context, state);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const problems = [];
  const sent = [];       // parsed frames the page sent
  const received = [];   // parsed frames the page received
  const waiters = [];    // {op, resolve}
  page.on('websocket', (ws) => {
    const ops = new Map();
    ws.on('framesent', ({ payload }) => {
      try { const m = JSON.parse(payload); sent.push(m); ops.set(m.id, m.op); } catch { /* not JSON */ }
    });
    ws.on('framereceived', ({ payload }) => {
      let m;
      try { m = JSON.parse(payload); } catch { return; }
      received.push(m);
      const op = ops.get(m.id);
      if (!op || !m.ok) return;
      for (let i = waiters.length - 1; i >= 0; i -= 1) {
        if (waiters[i].op === op) { waiters[i].resolve(m); waiters.splice(i, 1); }
      }
    });
  });
  const nextReply = (op) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no reply to ${op} in time`)), WAIT.timeout);
    waiters.push({ op, resolve: (m) => { clearTimeout(timer); resolve(m); } });
  });
  page.on('dialog', (dialog) => { problems.push(`${name}: dialog ${dialog.type()}: ${dialog.message()}`); dialog.dismiss().catch(() => {}); });
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url || '';
    const text = message.text();
    if (/\/api\/(session|login)$/.test(where) && text.includes('401')) return;
    if (state.allowSocketErrors && (text.includes('WebSocket connection to') || text.includes('ERR_CONNECTION_REFUSED'))) return;
    problems.push(`${name}: console error: ${text} (${where})`);
  });
  await page.goto(options.hash ? `${server.url}/${options.hash}` : server.url);
  return { name, context, page, problems, state, sent, received, nextReply };
}

export const connected = (page) => page.locator('#connection[data-state="connected"]').waitFor(WAIT);

/** Registers through the form and waits for the socket. */
export async function registerInUi(page, handle, displayName) {
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Handle').fill(handle);
  if (displayName) await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await connected(page);
  assert.equal(await page.locator('#me').textContent(), displayName || handle);
}

/** Creates a channel through the sidebar form and waits for its composer. */
export async function createChannelInUi(page, title, slug, { visibility = 'public', description = '' } = {}) {
  const toggle = page.getByRole('button', { name: '+ New channel' });
  if (!(await toggle.isVisible())) await page.getByRole('button', { name: 'Channels' }).click();
  await toggle.click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Slug').fill(slug);
  if (description) await page.getByLabel('Description').fill(description);
  await page.getByLabel(visibility === 'private' ? 'Private' : 'Public').check();
  await page.getByRole('button', { name: 'Create channel' }).click();
  const composer = page.getByLabel(`Message #${slug}`);
  await composer.waitFor(WAIT);
  return composer;
}

/** Types into a composer and sends with Enter. */
export async function send(composer, text) {
  await composer.fill(text);
  await composer.press('Enter');
}

/** The <article> of the post whose body contains `text`, inside `scope`. */
export const postIn = (scope, text) => scope.locator('article.post:not(.post-pending)', { has: scope.page().locator('.post-body', { hasText: text }) });

/** Fails when the page scrolls sideways (the 375 px rule). */
export async function assertNoHorizontalScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${what}: no horizontal scrolling (overflow ${overflow}px)`);
}
