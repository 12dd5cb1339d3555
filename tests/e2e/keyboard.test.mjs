// Keyboard only: sign in, shortcuts dialog, channel switching, posting, editing the last post, visible focus, labels and contrast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../support/browser.mjs';
import { startServer, register, OUTPUT_DIR } from '../support/server.mjs';
import { connect } from '../support/ws_client.mjs';
import { openTeacher, postIn, PASSWORD, WAIT } from '../support/teacher.mjs';

let server;
let browser;

before(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  server = await startServer({ args: ['--post-rate', '0'] });
  browser = await launchChromium();
  const kim = await register(server.url, 'coach.kim', PASSWORD, 'Kim Park');
  const ws = await connect(server.wsUrl, { token: kim.token });
  for (const [slug, title] of [['art', 'Art'], ['music', 'Music']]) await ws.ok('channel.create', { slug, title });
  await ws.close();
});

after(async () => {
  try { if (browser) await browser.close(); } finally { if (server) await server.stop(); }
});

const focused = (page) => page.evaluate(() => {
  const node = document.activeElement;
  return { id: node.id, label: node.getAttribute('aria-label') || node.textContent.trim().slice(0, 40), outline: getComputedStyle(node).outlineStyle, tag: node.tagName };
});

test('a teacher who uses only the keyboard', async () => {
  const t = await openTeacher(browser, server, 'K');
  const page = t.page;
  try {
    // Sign in with Tab and Enter: the handle field has focus first.
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'auth-handle', null, WAIT);
    await page.keyboard.type('coach.kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#connection[data-state="connected"]').waitFor(WAIT);

    // Tab order starts with the skip link, then the top bar; focus is always visible.
    await page.reload();
    await page.locator('#connection[data-state="connected"]').waitFor(WAIT);
    await page.keyboard.press('Tab');
    let now = await focused(page);
    assert.equal(now.label, 'Skip to the message box');
    const order = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      now = await focused(page);
      order.push(now.id || now.label);
      assert.notEqual(now.outline, 'none', `visible focus on ${now.label}`);
    }
    assert.deepEqual(order.slice(0, 4), ['search-input', 'mentions-button', 'shortcuts-button', 'logout']);

    // ? lists the shortcuts; Escape closes the dialog.
    await page.locator('body').focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.getByText('Previous / next channel').waitFor(WAIT);
    await page.screenshot({ path: `${OUTPUT_DIR}/shortcuts.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT.timeout });

    // Alt+↓ walks the joined channels; the composer takes a post with Enter.
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('heading', { name: '#Art' }).waitFor(WAIT);
    // A draft stays with its channel while the teacher looks elsewhere.
    await page.getByLabel('Message #art').focus();
    await page.keyboard.type('Draft about the kiln schedule');
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('heading', { name: '#Music' }).waitFor(WAIT);
    await page.keyboard.press('Alt+ArrowUp');
    assert.equal(await page.getByLabel('Message #art').inputValue(), 'Draft about the kiln schedule');
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('heading', { name: '#Music' }).waitFor(WAIT);
    const composer = page.getByLabel('Message #music');
    await composer.focus();
    await page.keyboard.type('Choir rehersal moved to Thursday.');
    await page.keyboard.press('Enter');
    const post = postIn(page.locator('#channel'), 'Choir rehersal');
    await post.waitFor(WAIT);

    // The skip link jumps to the message box without changing the route.
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-describedby')?.startsWith('composer-')), true);
    assert.equal(await page.evaluate(() => location.hash), '#/c/music');

    // ↑ in the empty composer edits the last post; Enter saves it.
    await page.keyboard.press('ArrowUp');
    const editor = page.getByLabel('Edit your post');
    await editor.waitFor(WAIT);
    assert.equal((await focused(page)).tag, 'TEXTAREA');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Choir rehearsal moved to Thursday.');
    await page.keyboard.press('Enter');
    await postIn(page.locator('#channel'), 'Choir rehearsal moved').locator('.post-edited').waitFor(WAIT);

    // Tabbing into a post reveals its actions; the reaction menu works with arrows and Enter.
    const react = postIn(page.locator('#channel'), 'Choir rehearsal').getByRole('button', { name: 'Add reaction' });
    await react.focus();
    assert.equal(await react.evaluate((n) => getComputedStyle(n.parentElement).opacity), '1');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await postIn(page.locator('#channel'), 'Choir rehearsal').getByRole('button', { name: /❤️ 1 reaction/ }).waitFor(WAIT);

    // Every form control has a name; the live region is polite.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select, button')]
      .filter((n) => n.offsetParent !== null)
      .filter((n) => !(n.labels && n.labels.length) && !n.getAttribute('aria-label') && !n.textContent.trim())
      .map((n) => n.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, []);
    assert.equal(await page.locator('#announcer').getAttribute('aria-live'), 'polite');

    // Text contrast is at least 4.5:1 (WCAG AA) for the main kinds of text.
    const ratios = await page.evaluate(() => {
      const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const bg = (n) => { for (; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3); } return [255, 255, 255]; };
      const out = {};
      for (const sel of ['.post-author', '.post-time', '.post-body', '.channel-description', '.sidebar-heading', '.channel-link', '.composer-hint', '.reply-button', '.tool-button', '.connection-label', '.reaction-chip', '#me']) {
        const n = document.querySelector(sel);
        if (!n) continue;
        const a = lum(rgb(getComputedStyle(n).color)); const b = lum(bg(n));
        out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      }
      return out;
    });
    for (const [sel, ratio] of Object.entries(ratios)) assert.ok(ratio >= 4.5, `${sel} contrast ${ratio.toFixed(2)}`);

    // Escape closes an open thread and returns to the composer.
    await postIn(page.locator('#channel'), 'Choir rehearsal').getByRole('button', { name: 'Reply' }).click();
    await page.getByLabel('Reply in thread').waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.getByRole('complementary', { name: /Thread/ }).waitFor({ state: 'hidden', timeout: WAIT.timeout });
    assert.equal((await focused(page)).tag, 'TEXTAREA');

    assert.deepEqual(t.problems, []);
  } finally {
    await t.context.close().catch(() => {});
  }
});
