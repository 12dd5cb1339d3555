// Hostile text: an XSS corpus is posted, rendered, previewed, searched and edited with no script running; the page's CSP is strict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBrowserAndServer, stopBrowserAndServer } from '../support/browser.mjs';
import { STATIC_DIR, OUTPUT_DIR } from '../support/server.mjs';
import { openTeacher, registerInUi, createChannelInUi, WAIT } from '../support/teacher.mjs';

const CORPUS = [
  '<img src=x onerror=alert(1)>',
  '[click me](javascript:alert(2))',
  '<svg onload=alert(3)>',
  '<script>alert(4)</script>',
  '<a href="javascript:alert(5)">raw link</a>',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)',
  '<iframe src="javascript:alert(7)"></iframe>',
  '![img](javascript:alert(8))',
  '<javascript:alert(9)>',
  'www.example.org and https://example.org/?q=<b>x</b> autolinks',
  '**bold** <b onmouseover=alert(10)>hover</b> `<img src=x onerror=alert(11)>`',
  '@<img src=x onerror=alert(12)> and "><svg/onload=alert(13)>',
  '<details open ontoggle=alert(14)>',
  '<style>body{display:none}</style> <math><mtext><img src=x onerror=alert(15)>',
];

let server;
let browser;

before(async () => ({ server, browser } = await startBrowserAndServer({ args: ['--post-rate', '0'] })));
after(() => stopBrowserAndServer({ server, browser }));

test('the page is served with a strict CSP and no inline script or style', async () => {
  const response = await fetch(`${server.url}/`);
  const csp = response.headers.get('content-security-policy') || '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const html = readFileSync(`${STATIC_DIR}/index.html`, 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline <script>');
  assert.doesNotMatch(html, /\son[a-z]+=|<style|\sstyle=/i, 'no inline handlers or styles');
});

test('an XSS corpus renders as inert text for author and reader', async () => {
  const a = await openTeacher(browser, server, 'A');
  const b = await openTeacher(browser, server, 'B');
  try {
    await registerInUi(a.page, 'ms.rivera', 'Ana Rivera');
    await registerInUi(b.page, 'mr.okafor', 'Ben Okafor');
    const composer = await createChannelInUi(a.page, 'Evil <b>title</b>', 'evil', { description: '<img src=x onerror=alert(0)>' });
    await b.page.getByRole('button', { name: 'Refresh channel list' }).click();
    await b.page.getByRole('link', { name: 'Evil <b>title</b>' }).click();
    await b.page.getByRole('button', { name: 'Join channel' }).click();
    await b.page.getByLabel('Message #evil').waitFor(WAIT);

    // The preview builds DOM from text only: the corpus shows as characters.
    await a.page.getByRole('button', { name: 'Preview' }).click();
    await composer.fill(CORPUS.join('\n\n'));
    const preview = a.page.getByRole('region', { name: 'Preview' });
    await preview.getByText('<svg onload=alert(3)>').waitFor(WAIT);
    await a.page.getByRole('button', { name: 'Preview' }).click();
    await composer.fill('');

    for (const text of CORPUS) {
      await composer.fill(text);
      await composer.press('Enter');
    }
    await b.page.locator('#channel li.post-item').nth(CORPUS.length - 1).waitFor(WAIT);
    await a.page.locator('#channel li.post-item').nth(CORPUS.length - 1).waitFor(WAIT);

    // The reader searches for it too (snippets are server-escaped with <mark>).
    await b.page.getByLabel('Search posts').fill('onerror');
    await b.page.getByLabel('Search posts').press('Enter');
    const search = b.page.getByRole('complementary', { name: 'Search: onerror' });
    await search.locator('.hit').first().waitFor(WAIT);

    // Hover everything that could carry a handler, then look for anything active.
    for (const t of [a, b]) {
      for (const node of await t.page.locator('#channel .post-body').all()) await node.hover({ timeout: 1000 }).catch(() => {});
      const found = await t.page.evaluate(() => {
        const bad = [];
        for (const node of document.querySelectorAll('#channel .post-body *, #side .hit-snippet *, .channel-header *, #sidebar *')) {
          const tag = node.tagName.toLowerCase();
          if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'details', 'form', 'input'].includes(tag) && node.closest('.post-body, .hit-snippet')) bad.push(`<${tag}>`);
          for (const attr of node.attributes) {
            if (/^on/i.test(attr.name)) bad.push(`${tag}[${attr.name}]`);
            if (/^(href|src|xlink:href|action|formaction)$/i.test(attr.name) && /^\s*(javascript|data|vbscript):/i.test(attr.value)) bad.push(`${tag}[${attr.name}=${attr.value}]`);
          }
        }
        for (const mark of document.querySelectorAll('#side .hit-snippet *')) if (mark.tagName !== 'MARK') bad.push(`snippet <${mark.tagName}>`);
        return bad;
      });
      assert.deepEqual(found, [], `${t.name}: no active content`);
    }
    // The title and description are text, not markup.
    assert.equal(await b.page.locator('#channel-title').textContent(), '#Evil <b>title</b>');
    await b.page.locator('.channel-description', { hasText: '<img src=x onerror=alert(0)>' }).waitFor(WAIT);
    // Autolinks work and open in a new tab without an opener.
    const link = b.page.locator('#channel .post-body a[href^="https://example.org"]').first();
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
    await b.page.screenshot({ path: `${OUTPUT_DIR}/xss-corpus.png` });

    // Editing a post into hostile text is just as inert.
    const last = a.page.locator('#channel li.post-item').last().locator('article.post');
    await last.hover();
    await last.getByRole('button', { name: 'Edit' }).click();
    await a.page.getByLabel('Edit your post').fill('<img src=x onerror=alert(16)> edited');
    await a.page.getByLabel('Edit your post').press('Enter');
    await b.page.locator('#channel .post-body', { hasText: 'edited' }).waitFor(WAIT);
    assert.equal(await b.page.locator('#channel .post-body', { hasText: 'edited' }).locator('img').count(), 0);

    assert.deepEqual([...a.problems, ...b.problems], [], 'no dialog fired, no page error');
  } finally {
    await a.context.close().catch(() => {});
    await b.context.close().catch(() => {});
  }
});
