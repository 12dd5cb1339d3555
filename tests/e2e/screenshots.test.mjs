// A realistic staff room for screenshots of the main views (README image included): channel with thread, search, phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../support/browser.mjs';
import { startServer, register, OUTPUT_DIR } from '../support/server.mjs';
import { connect } from '../support/ws_client.mjs';
import { openTeacher, postIn, WAIT } from '../support/teacher.mjs';

let server;
let browser;
const clients = [];
const users = {};
let rootId;

before(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  server = await startServer({ args: ['--post-rate', '0'] });
  browser = await launchChromium();
  for (const [key, handle, name] of [['ana', 'ms.rivera', 'Ana Rivera'], ['ben', 'mr.okafor', 'Ben Okafor'], ['carla', 'ms.chen', 'Carla Chen'], ['dev', 'mr.patel', 'Dev Patel']]) {
    users[key] = await register(server.url, handle, undefined, name);
    users[key].ws = await connect(server.wsUrl, { token: users[key].token });
    clients.push(users[key].ws);
  }
  const { ana, ben, carla, dev } = users;
  const create = async (who, slug, title, description, visibility = 'public') => (await who.ws.ok('channel.create', { slug, title, description, visibility })).channel.id;
  const math = await create(ben, 'grade-4-math', 'Grade 4 math', 'Number talks, units and assessments');
  const science = await create(carla, 'science', 'Science', 'Labs, kits and safety');
  const books = await create(dev, 'book-study', 'Book study', 'Reading “Building Thinking Classrooms”, a chapter a week');
  const leads = await create(ana, 'leadership', 'Leadership team', 'Agendas and decisions', 'private');
  await ana.ws.ok('channel.invite', { channel_id: leads, user_id: ben.user.id });
  for (const who of [ana, carla, dev]) await who.ws.ok('channel.join', { channel_id: math });
  for (const who of [ana, ben]) await who.ws.ok('channel.join', { channel_id: science });
  for (const who of [ana, ben, carla]) await who.ws.ok('channel.join', { channel_id: books });
  const post = async (who, channel, body, thread) => (await who.ws.ok('post.create', { channel_id: channel, body, ...(thread ? { thread_id: thread } : {}) })).post.id;
  await post(ana, leads, 'Draft agenda for Monday is in the shared folder.');
  rootId = await post(ben, math, '**Number talk of the week:** 38 + 27. How did your class solve it?');
  await post(carla, math, 'We tried an *open number line*: jumps of ten, then seven. Three strategies came up!', rootId);
  await post(dev, math, 'Mine split it into tens and ones: 30 + 20, then 8 + 7. The class named it “friendly tens”.', rootId);
  await post(ana, math, 'Compensation won here: 40 + 25 = 65. I will bring the dot-image slides on Tuesday.', rootId);
  for (const [who, emoji] of [[carla, '👍'], [dev, '👍'], [ana, '👍'], [ana, '💡']]) await who.ws.ok('post.react', { post_id: rootId, emoji, on: true });
  const reminder = await post(dev, math, 'Reminder: unit 3 assessment drafts are due **Friday**.\n\n- rubric\n- answer key\n- accommodations for IEP students');
  await carla.ws.ok('post.react', { post_id: reminder, emoji: '✅', on: true });
  await post(carla, math, 'Anchor chart photos from today are up: https://example.org/anchor-charts');
  await post(ben, math, '@ms.rivera could you share the fraction strips template with the team?');
  await ana.ws.ok('channel.read', { channel_id: science, seq: 100 });
  for (const body of ['Kit 4 is missing two magnets.', 'Fume hood in room 12 is fixed.', 'Lab safety quiz: results look good!']) await post(carla, science, body);
  await post(dev, books, 'Chapter 3 questions are up. @ms.rivera want to lead Thursday’s discussion?');
});

after(async () => {
  try {
    for (const ws of clients) await ws.close().catch(() => {});
    if (browser) await browser.close();
  } finally { if (server) await server.stop(); }
});

test('screenshots of the main views', async () => {
  const a = await openTeacher(browser, server, 'A', { token: users.ana.token, hash: '#/c/grade-4-math', viewport: { width: 1280, height: 760 } });
  const phone = await openTeacher(browser, server, 'phone', { token: users.carla.token, hash: '#/c/grade-4-math', viewport: { width: 375, height: 760 }, isMobile: true });
  try {
    const page = a.page;
    const list = page.locator('#channel');
    await postIn(list, 'fraction strips').waitFor(WAIT);
    await postIn(list, 'Number talk of the week').getByRole('button', { name: '3 replies' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread in #grade-4-math' });
    await postIn(thread, 'Compensation won').waitFor(WAIT);
    const sidebar = page.getByRole('navigation', { name: 'Channels' });
    await sidebar.getByRole('link', { name: 'Science 3 unread' }).waitFor(WAIT);
    await sidebar.getByRole('link', { name: /Book study 1 mention/ }).waitFor(WAIT);
    await page.getByLabel('Reply in thread').fill('Great thread. Shall we try **38 + 27** again with the open number line on Monday?');
    await page.getByRole('button', { name: 'Preview' }).nth(1).click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUTPUT_DIR}/readme-main.png` });

    await page.getByRole('button', { name: 'Preview' }).nth(1).click();
    await page.getByLabel('Search posts').fill('number line');
    await page.getByLabel('Search posts').press('Enter');
    await page.getByRole('complementary', { name: 'Search: number line' }).locator('.hit').first().waitFor(WAIT);
    await page.screenshot({ path: `${OUTPUT_DIR}/readme-search.png` });

    await postIn(phone.page.locator('#channel'), 'fraction strips').waitFor(WAIT);
    await phone.page.screenshot({ path: `${OUTPUT_DIR}/readme-phone.png` });
    assert.deepEqual([...a.problems, ...phone.problems], []);
  } finally {
    await a.context.close().catch(() => {});
    await phone.context.close().catch(() => {});
  }
});
