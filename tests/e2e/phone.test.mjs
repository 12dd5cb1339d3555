// A teacher on a 375 px phone: sign up, channels behind a toggle, post, thread below, react, search, never a sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserAndServer, stopBrowserAndServer } from '../support/browser.mjs';
import { register, OUTPUT_DIR } from '../support/server.mjs';
import { connect } from '../support/ws_client.mjs';
import { openTeacher, registerInUi, createChannelInUi, send, postIn, assertNoHorizontalScroll, WAIT } from '../support/teacher.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startBrowserAndServer({ args: ['--post-rate', '0'] })));
after(() => stopBrowserAndServer({ server, browser }));

test('375 px wide: everything reachable, the thread below, no sideways scrolling', async () => {
  const p = await openTeacher(browser, server, 'phone', { viewport: { width: 375, height: 740 }, isMobile: true, timezoneId: 'Asia/Tokyo' });
  const page = p.page;
  try {
    await assertNoHorizontalScroll(page, 'sign-in form');
    await page.screenshot({ path: `${OUTPUT_DIR}/phone-login.png` });
    await registerInUi(page, 'ms.nguyen', 'Linh Nguyen');
    await assertNoHorizontalScroll(page, 'channel list');

    const composer = await createChannelInUi(page, 'Kindergarten team', 'k-team', { description: 'Centres, phonics and snack rota' });
    // The sidebar folds away once a channel is open; the toggle brings it back.
    assert.equal(await page.getByRole('navigation', { name: 'Channels' }).isVisible(), false);
    const toggle = page.getByRole('button', { name: 'Channels' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

    await send(composer, 'Phonics centre ideas? We are on **digraphs** this week.');
    const root = postIn(page.locator('#channel'), 'Phonics centre ideas');
    await root.waitFor(WAIT);
    // Times are in the viewer's zone (Asia/Tokyo here).
    const iso = await root.locator('time').getAttribute('datetime');
    const expected = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
    assert.equal(await root.locator('time').textContent(), expected);

    // A colleague answers from another device; the reply count updates.
    const other = await register(server.url, 'mr.diaz', undefined, 'Sam Diaz');
    const ws = await connect(server.wsUrl, { token: other.token });
    const channel = (await ws.ok('channel.list')).channels.find((c) => c.slug === 'k-team');
    await ws.ok('channel.join', { channel_id: channel.id });
    const rootId = Number(await root.getAttribute('data-post-id'));
    await ws.ok('post.create', { channel_id: channel.id, thread_id: rootId, body: 'Sound sorting with picture cards!' });
    await ws.close();
    await root.getByRole('button', { name: '1 reply' }).click();

    // The thread opens below the channel, and it is scrolled into view.
    const thread = page.getByRole('complementary', { name: 'Thread in #k-team' });
    await postIn(thread, 'Sound sorting').waitFor(WAIT);
    const channelBox = await page.locator('#channel').boundingBox();
    const threadBox = await thread.boundingBox();
    assert.ok(threadBox.y >= channelBox.y + channelBox.height - 1, 'the thread sits below the channel');
    await send(page.getByLabel('Reply in thread'), 'Love it, thank you!');
    await postIn(thread, 'Love it, thank you!').waitFor(WAIT);

    // React on a touch screen: tapping a post shows its actions.
    const reply = postIn(thread, 'Sound sorting');
    assert.equal(await reply.getByRole('button', { name: 'Add reaction' }).isVisible(), false);
    await reply.locator('.post-body').tap();
    await reply.getByRole('button', { name: 'Add reaction' }).tap();
    await page.getByRole('menuitem', { name: 'React with party' }).tap();
    await reply.getByRole('button', { name: '🎉 1 reaction, including yours' }).waitFor(WAIT);
    await assertNoHorizontalScroll(page, 'thread with reactions');
    await page.screenshot({ path: `${OUTPUT_DIR}/phone-thread.png`, fullPage: true });

    // Search takes the screen; a hit brings the channel back.
    await page.getByLabel('Search posts').fill('digraphs');
    await page.getByLabel('Search posts').press('Enter');
    const hit = page.getByRole('complementary', { name: 'Search: digraphs' }).locator('.hit').first();
    await hit.waitFor(WAIT);
    await assertNoHorizontalScroll(page, 'search results');
    await page.screenshot({ path: `${OUTPUT_DIR}/phone-search.png` });
    await hit.tap();
    await page.locator('#channel .post.is-highlighted', { hasText: 'digraphs' }).waitFor(WAIT);

    // The channel list opens from the toggle.
    await toggle.tap();
    await page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'Kindergarten team' }).waitFor(WAIT);
    await assertNoHorizontalScroll(page, 'sidebar open');
    await page.screenshot({ path: `${OUTPUT_DIR}/phone-sidebar.png` });

    assert.deepEqual(p.problems, []);
  } finally {
    await p.context.close().catch(() => {});
  }
});
