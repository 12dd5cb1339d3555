// Two teachers: edit, delete with a confirmation, reactions from the picker, an @mention with autocomplete and its notification, unread badge and divider.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserAndServer, stopBrowserAndServer } from '../support/browser.mjs';
import { OUTPUT_DIR } from '../support/server.mjs';
import { openTeacher, registerInUi, createChannelInUi, send, postIn, WAIT } from '../support/teacher.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startBrowserAndServer({ args: ['--post-rate', '0'] })));
after(() => stopBrowserAndServer({ server, browser }));

test('edit, delete, react, mention, unread badge and divider', async () => {
  const a = await openTeacher(browser, server, 'A');
  const b = await openTeacher(browser, server, 'B');
  try {
    await registerInUi(a.page, 'ms.rivera', 'Ana Rivera');
    await registerInUi(b.page, 'ben.okafor', 'Ben Okafor');
    const aComposer = await createChannelInUi(a.page, 'Science', 'science');
    await createChannelInUi(b.page, 'Lounge', 'lounge');
    await b.page.getByRole('button', { name: 'Refresh channel list' }).click();
    await b.page.getByRole('region', { name: 'Browse channels' }).getByRole('link', { name: 'Science' }).click();
    await b.page.getByRole('button', { name: 'Join channel' }).click();
    const bComposer = b.page.getByLabel('Message #science');
    await bComposer.waitFor(WAIT);
    const aList = a.page.locator('#channel');
    const bList = b.page.locator('#channel');

    // Edit: A fixes a typo through the post's Edit button; B sees the new text and "(edited)".
    await send(aComposer, 'Lab safty goggles are in room 12.');
    const aPost = postIn(aList, 'Lab safty goggles');
    await aPost.waitFor(WAIT);
    await postIn(bList, 'Lab safty goggles').waitFor(WAIT);
    await aPost.hover();
    await aPost.getByRole('button', { name: 'Edit' }).click();
    const editor = a.page.getByLabel('Edit your post');
    await editor.fill('Lab safety goggles are in room 12.');
    await editor.press('Enter');
    const bEdited = postIn(bList, 'Lab safety goggles are in room 12.');
    await bEdited.locator('.post-edited', { hasText: '(edited)' }).waitFor(WAIT);
    await postIn(aList, 'Lab safety goggles').locator('.post-edited').waitFor(WAIT);
    assert.equal(await bEdited.getByRole('button', { name: 'Edit' }).count(), 0, 'no Edit on another teacher’s post');
    // The author can read the edit history (post.versions).
    await postIn(aList, 'Lab safety goggles').getByRole('button', { name: '(edited)' }).click();
    const history = a.page.getByRole('dialog', { name: 'Edit history' });
    await history.getByText('Lab safty goggles are in room 12.').waitFor(WAIT);
    await history.getByRole('button', { name: 'Close' }).click();

    // Reactions: B picks 👍 from the picker; A sees it and adds theirs by clicking the chip.
    await bEdited.hover();
    await bEdited.getByRole('button', { name: 'Add reaction' }).click();
    const picker = b.page.getByRole('menu', { name: 'Pick a reaction' });
    await picker.waitFor(WAIT);
    await picker.getByRole('menuitem', { name: 'React with thumbs up' }).click();
    await bEdited.getByRole('button', { name: '👍 1 reaction, including yours' }).waitFor(WAIT);
    const aChip = postIn(aList, 'Lab safety goggles').getByRole('button', { name: '👍 1 reaction' });
    await aChip.waitFor(WAIT);
    assert.equal(await aChip.getAttribute('aria-pressed'), 'false');
    await aChip.click();
    await postIn(aList, 'Lab safety goggles').getByRole('button', { name: '👍 2 reactions, including yours' }).waitFor(WAIT);
    await bEdited.getByRole('button', { name: '👍 2 reactions, including yours' }).waitFor(WAIT);

    // Delete: the confirmation can be cancelled; confirming leaves a tombstone for both.
    await send(aComposer, 'Wrong room, ignore this.');
    const doomed = postIn(aList, 'Wrong room, ignore this.');
    await doomed.waitFor(WAIT);
    await postIn(bList, 'Wrong room, ignore this.').waitFor(WAIT);
    await doomed.hover();
    await doomed.getByRole('button', { name: 'Delete' }).click();
    const confirm = a.page.getByRole('dialog', { name: 'Delete this post?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await postIn(aList, 'Wrong room, ignore this.').count(), 1, 'cancel keeps the post');
    await doomed.hover();
    await doomed.getByRole('button', { name: 'Delete' }).click();
    await a.page.screenshot({ path: `${OUTPUT_DIR}/delete-confirmation.png` });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await bList.locator('.post-body.post-deleted', { hasText: 'This post was deleted.' }).waitFor(WAIT);
    await aList.locator('.post-body.post-deleted').waitFor(WAIT);
    assert.equal(await postIn(bList, 'Wrong room').count(), 0);

    // B goes to another channel; A mentions B with the autocomplete and writes two more posts.
    await b.page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'Lounge' }).click();
    await b.page.getByRole('heading', { name: '#Lounge' }).waitFor(WAIT);
    await aComposer.fill('');
    await aComposer.pressSequentially('Thanks @be');
    const option = a.page.getByRole('option', { name: /Ben Okafor/ });
    await option.waitFor(WAIT);
    assert.equal(await aComposer.getAttribute('aria-expanded'), 'true');
    await aComposer.press('Enter');   // picks the highlighted person, does not send
    assert.equal(await aComposer.inputValue(), 'Thanks @ben.okafor ');
    await aComposer.pressSequentially('for the goggles!');
    await aComposer.press('Enter');
    await send(aComposer, 'Second thing: the fume hood is fixed.');
    await send(aComposer, 'Third: order forms due Friday.');
    await postIn(aList, 'Third: order forms').waitFor(WAIT);
    const mention = postIn(aList, 'for the goggles').locator('a.mention', { hasText: '@ben.okafor' });
    await mention.waitFor(WAIT);

    // B: a toast, a mention badge and an unread badge on Science.
    await b.page.locator('.toast', { hasText: 'Ana Rivera mentioned you in #science' }).waitFor(WAIT);
    const bSidebar = b.page.getByRole('navigation', { name: 'Channels' });
    const science = bSidebar.getByRole('link', { name: 'Science 1 mention 3 unread' });
    await science.waitFor(WAIT);
    await b.page.screenshot({ path: `${OUTPUT_DIR}/mention-and-unread.png` });

    // Opening Science: the "New" divider sits right above the first unread post; badges clear.
    await science.click();
    const divider = bList.getByRole('separator', { name: 'New posts start here' });
    await divider.waitFor(WAIT);
    const after = await divider.evaluate((node) => node.nextElementSibling.textContent);
    assert.match(after, /for the goggles/);
    const before = await divider.evaluate((node) => node.previousElementSibling.textContent);
    assert.match(before, /This post was deleted|Lab safety/);
    assert.equal(await bSidebar.locator('.badge').count(), 0);
    const bMention = postIn(bList, 'for the goggles');
    assert.ok((await bMention.getAttribute('class')).includes('post-mentions-me'));
    // The mention link is styled and does not navigate away.
    const hashBefore = await b.page.evaluate(() => location.hash);
    await bMention.locator('a.mention').click();
    assert.equal(await b.page.evaluate(() => location.hash), hashBefore);
    await b.page.screenshot({ path: `${OUTPUT_DIR}/unread-divider.png` });

    // The Mentions panel lists it (mention.list) and jumps to it.
    await b.page.getByRole('button', { name: 'Mentions of you' }).click();
    const mentions = b.page.getByRole('complementary', { name: 'Mentions of you' });
    await mentions.locator('.hit', { hasText: 'for the goggles' }).click();
    await bList.locator('.post.is-highlighted', { hasText: 'for the goggles' }).waitFor(WAIT);

    // The Markdown help is one click away under the composer.
    await b.page.getByRole('button', { name: 'Markdown help' }).click();
    await b.page.locator('#channel .composer-help').getByText('mention a colleague').waitFor(WAIT);

    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    await a.context.close().catch(() => {});
    await b.context.close().catch(() => {});
  }
});
