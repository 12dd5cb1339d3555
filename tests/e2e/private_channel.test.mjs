// Three teachers: a private channel, an invitation through the members dialog, a thread beside the channel, and leaving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserAndServer, stopBrowserAndServer } from '../support/browser.mjs';
import { OUTPUT_DIR } from '../support/server.mjs';
import { openTeacher, registerInUi, createChannelInUi, send, postIn, WAIT } from '../support/teacher.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startBrowserAndServer({ args: ['--post-rate', '0'] })));
after(() => stopBrowserAndServer({ server, browser }));

test('a private channel: invite through the members dialog, outsiders see nothing, thread, leave', async () => {
  const a = await openTeacher(browser, server, 'A');
  const b = await openTeacher(browser, server, 'B');
  const c = await openTeacher(browser, server, 'C');
  try {
    await registerInUi(a.page, 'ms.rivera', 'Ana Rivera');
    await registerInUi(b.page, 'mr.okafor', 'Ben Okafor');
    await registerInUi(c.page, 'ms.chen', 'Carla Chen');

    // A creates a private channel: the sidebar marks it private.
    const aComposer = await createChannelInUi(a.page, 'Leadership team', 'leadership', { visibility: 'private' });
    const aSidebar = a.page.getByRole('navigation', { name: 'Channels' });
    await aSidebar.getByRole('link', { name: 'Leadership team (private)' }).waitFor(WAIT);
    await send(aComposer, 'Agenda for Monday: budget and PD days.');
    await postIn(a.page.locator('#channel'), 'Agenda for Monday').waitFor(WAIT);

    // C refreshes the browse list: the private channel is not there, and its URL shows nothing.
    await c.page.getByRole('button', { name: 'Refresh channel list' }).click();
    await c.page.getByRole('region', { name: 'Browse channels' }).getByText('No other public channels.').waitFor(WAIT);
    await c.page.goto(`${server.url}/#/c/leadership`);
    await c.page.getByText('There is no channel “leadership” you can see.').waitFor(WAIT);

    // A opens the members dialog, finds Ben by a name prefix and invites him.
    await a.page.getByRole('button', { name: /1 member: show members and invite/ }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Members of #leadership' });
    await dialog.waitFor(WAIT);
    await dialog.getByText('Owner').waitFor(WAIT);
    await dialog.getByLabel('Invite someone').fill('ben');
    await dialog.getByRole('button', { name: 'Invite Ben Okafor' }).click();
    await dialog.getByRole('listitem').filter({ hasText: '@mr.okafor' }).filter({ hasText: 'Member' }).waitFor(WAIT);
    await a.page.screenshot({ path: `${OUTPUT_DIR}/members-dialog.png` });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await a.page.locator('.channel-members', { hasText: '2 members' }).waitFor(WAIT);

    // B is told live and the channel appears in B's sidebar; B opens it from the toast.
    await b.page.locator('.toast', { hasText: 'You were added to the private channel #leadership' }).waitFor(WAIT);
    await b.page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: 'Leadership team (private)' }).waitFor(WAIT);
    await b.page.locator('.toast').getByRole('button', { name: 'Open' }).click();
    await b.page.getByRole('heading', { name: '🔒 Leadership team' }).waitFor(WAIT);
    const bRoot = postIn(b.page.locator('#channel'), 'Agenda for Monday');
    await bRoot.waitFor(WAIT);

    // B replies in a thread, which opens beside the channel on a wide screen.
    await bRoot.getByRole('button', { name: 'Reply' }).click();
    const bThread = b.page.getByRole('complementary', { name: 'Thread in #leadership' });
    await bThread.waitFor(WAIT);
    const channelBox = await b.page.locator('#channel').boundingBox();
    const threadBox = await bThread.boundingBox();
    assert.ok(threadBox.x >= channelBox.x + channelBox.width - 1, 'the thread pane sits to the right of the channel');
    await send(b.page.getByLabel('Reply in thread'), 'I can take the PD day plan.');
    const aRoot = postIn(a.page.locator('#channel'), 'Agenda for Monday');
    await aRoot.getByRole('button', { name: '1 reply' }).waitFor(WAIT);
    await b.page.screenshot({ path: `${OUTPUT_DIR}/private-thread.png` });

    // C still cannot see a thing, even after a reload.
    await c.page.reload();
    await c.page.locator('#connection[data-state="connected"]').waitFor(WAIT);
    assert.equal(await c.page.getByText('Leadership team').count(), 0);

    // A makes B a moderator: B's page learns its new role (member.updated) and may now invite.
    await a.page.getByRole('button', { name: /2 members: show members and invite/ }).click();
    await dialog.getByRole('listitem').filter({ hasText: '@mr.okafor' }).getByRole('button', { name: 'Make moderator' }).click();
    await dialog.getByRole('listitem').filter({ hasText: '@mr.okafor' }).filter({ hasText: 'Moderator' }).waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await b.page.getByRole('button', { name: /2 members: show members and invite/ }).waitFor(WAIT);

    // A (the owner) edits the description and archives the channel from the same dialog; B sees both live.
    await a.page.getByRole('button', { name: /2 members: show members and invite/ }).click();
    await dialog.getByLabel('Description').fill('Decisions and agendas');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await b.page.locator('.channel-description', { hasText: 'Decisions and agendas' }).waitFor(WAIT);
    await a.page.getByRole('button', { name: /2 members: show members and invite/ }).click();
    await dialog.getByRole('button', { name: 'Archive channel' }).click();
    await a.page.getByRole('dialog', { name: 'Archive #leadership?' }).getByRole('button', { name: 'Archive' }).click();
    await b.page.getByText('This channel is archived: you can read it but not post.').waitFor(WAIT);
    assert.equal(await b.page.getByLabel('Message #leadership').count(), 0);

    // B leaves the private channel: it disappears from B's sidebar and A's member count drops.
    await b.page.getByRole('button', { name: 'Leave channel' }).click();
    await b.page.getByRole('heading', { name: 'Welcome to Staffroom' }).waitFor(WAIT);
    assert.equal(await b.page.getByRole('link', { name: /Leadership team/ }).count(), 0);
    await a.page.locator('.channel-members', { hasText: '1 member' }).waitFor(WAIT);

    assert.deepEqual([...a.problems, ...b.problems, ...c.problems], []);
  } finally {
    for (const t of [a, b, c]) await t.context.close().catch(() => {});
  }
});
