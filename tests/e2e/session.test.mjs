// One teacher's session in the browser: log out, a refused log-in, log in, reload, and reconnect after a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../support/browser.mjs';
import { startServer, tempDataDir, OUTPUT_DIR } from '../support/server.mjs';

const WAIT = { timeout: 10000 };
const PASSWORD = 'correct horse battery';

let server;
let browser;
const dataDir = tempDataDir();

before(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  server = await startServer({ dataDir });
  browser = await launchChromium();
});

after(async () => {
  try { if (browser) await browser.close(); } finally { if (server) await server.stop({ removeData: true }); }
});

/** Console errors the protocol makes expected: 401 answers and a socket refused while the server is down. */
function expected(text, where, allowSocketErrors) {
  if (/\/api\/(session|login)$/.test(where) && text.includes('401')) return true;
  if (allowSocketErrors && (text.includes('WebSocket connection to') || text.includes('ERR_CONNECTION_REFUSED'))) return true;
  return false;
}

async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const state = { problems: [], allowSocketErrors: false };
  page.on('dialog', (d) => { state.problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => state.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url || '';
    if (!expected(m.text(), where, state.allowSocketErrors)) state.problems.push(`console error: ${m.text()} (${where})`);
  });
  await page.goto(server.url);
  return { context, page, state };
}

const connected = (page) => page.locator('#connection[data-state="connected"]').waitFor(WAIT);

test('log out, a refused log-in, log in, reload, reconnect after a restart', async () => {
  const { context, page, state } = await openPage();
  try {
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Handle').fill('coach.kim');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await connected(page);
    assert.equal(await page.locator('#me').textContent(), 'coach.kim', 'display name defaults to the handle');

    // A channel with a post, to check the history comes back after the restart.
    await page.getByRole('button', { name: '+ New channel' }).click();
    await page.getByLabel('Title').fill('Coaching');
    await page.getByLabel('Slug').fill('coaching');
    await page.getByRole('button', { name: 'Create channel' }).click();
    const composer = page.getByLabel('Message #coaching');
    await composer.fill('Cycle 1 notes are up.');
    await composer.press('Enter');
    await page.locator('.post-body', { hasText: 'Cycle 1 notes are up.' }).waitFor(WAIT);

    // Log out: back to the log-in form.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    await page.getByText('You have logged out.').waitFor(WAIT);

    // A wrong password shows the server's message.
    await page.getByLabel('Handle').fill('coach.kim');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const error = page.getByRole('alert').filter({ hasText: /\S/ });
    await error.waitFor(WAIT);
    assert.ok((await error.textContent()).length > 0);

    // The right one signs in; a reload keeps the session (GET /api/session) and the channel (URL hash).
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await connected(page);
    await page.getByRole('link', { name: 'Coaching' }).click();
    await page.locator('.post-body', { hasText: 'Cycle 1 notes are up.' }).waitFor(WAIT);
    await page.reload();
    await connected(page);
    await page.locator('.post-body', { hasText: 'Cycle 1 notes are up.' }).waitFor(WAIT);

    // The server restarts: the page shows it is reconnecting, then reloads the channel and can post.
    state.allowSocketErrors = true;
    const port = server.port;
    await server.stop({ removeData: false });
    await page.locator('#connection[data-state="reconnecting"]').waitFor(WAIT);
    assert.equal(await page.locator('#connection .connection-label').textContent(), 'Reconnecting…');
    server = await startServer({ dataDir, port });
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 20000 });
    await page.locator('.post-body', { hasText: 'Cycle 1 notes are up.' }).waitFor(WAIT);
    await composer.fill('Back after the restart.');
    await composer.press('Enter');
    await page.locator('.post-body', { hasText: 'Back after the restart.' }).waitFor(WAIT);
    assert.equal(await page.locator('.post-body', { hasText: 'Cycle 1 notes are up.' }).count(), 1, 'history reloaded without duplicates');
    await page.screenshot({ path: `${OUTPUT_DIR}/session-after-restart.png` });

    assert.deepEqual(state.problems, []);
  } finally {
    await context.close().catch(() => {});
  }
});
