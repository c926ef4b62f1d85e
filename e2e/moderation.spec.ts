import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { MessageRejectedError } from '../shared/client/message-socket';
import { ServiceCallError } from '../shared/client/service-client';
import { joinAsGuest, type TestHost } from '../testing/host';
import { enter, publish } from '../testing/room-member';
import { expectAccessible } from './axe';
import {
  expect as baseExpect,
  joinMeeting,
  LAPTOP,
  onHost,
  openPreJoin,
  PHONE,
  SCREENSHOT_DIR,
  shoot,
  test,
} from './fixtures';

// Moderation as owners and admins use it and as the others live it, with
// three Chromium people on a real host: the owner (owner link) makes Ben an
// admin, Ben mutes Cy and everyone, the meeting asks to unmute, Cy is
// removed and cannot come back, the meeting is locked with people waiting,
// and it ends for everyone. Then raw frames from a member are refused.

// What one person does reaches the others through the host: on two busy cores, seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

const controls = (page: Page) => page.getByRole('navigation', { name: 'Meeting controls' });
const tileOf = (page: Page, name: string) =>
  page.locator('[data-testid^="tile-"]').filter({ hasText: name });
/** What admins do is announced (and shown a few seconds as a toast, too short to wait for here). */
const told = (page: Page) => page.getByTestId('moderation-announcer');
const hostControls = (page: Page) => page.locator('summary', { hasText: 'Host controls' });
const menuItems = (page: Page) => page.getByRole('menu').getByRole('menuitem');

/** `name` opens `link` in a browser of their own and joins. */
async function joinWith(browser: Browser, link: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return joinMeeting(context, link, name);
}

/** Someone with the invite link asks to join the locked meeting and waits. */
async function knock(browser: Browser, host: TestHost, name: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await openPreJoin(context, onHost(host.inviteUrl, host.origin), name);
  await page.getByRole('button', { name: 'Join now' }).click();
  return page;
}

/** Opens the tile menu ("Options for …") of `name` on `page`. */
async function openTileMenu(page: Page, name: string) {
  await tileOf(page, name).first().hover();
  await page.getByRole('button', { name: `Options for ${name}` }).click();
  await expect(page.getByRole('menu')).toBeVisible();
}

/** Opens the People panel's menu of `name` on `page`. */
async function openPersonMenu(page: Page, name: string) {
  const panel = page.getByRole('complementary', { name: 'People' });
  if (!(await panel.isVisible()))
    await controls(page).getByRole('button', { name: 'People' }).click();
  await panel.getByRole('button', { name: `More actions for ${name}` }).click();
  await expect(page.getByRole('menu')).toBeVisible();
}

async function setSwitch(page: Page, name: RegExp, on: boolean) {
  if (!(await page.getByRole('switch', { name }).isVisible())) await hostControls(page).click();
  const control = page.getByRole('switch', { name });
  if ((await control.getAttribute('aria-checked')) !== String(on)) await control.click();
  await expect(control).toHaveAttribute('aria-checked', String(on));
  await page.keyboard.press('Escape');
}

test('owners and admins moderate a meeting; the others see it happen', async ({
  browser,
  host,
}) => {
  test.setTimeout(600_000);
  const olga = await joinWith(browser, onHost(host.ownerUrl, host.origin), 'Olga Owner');
  const ben = await joinWith(browser, onHost(host.inviteUrl, host.origin), 'Ben Okri');
  const cy = await joinWith(browser, onHost(host.inviteUrl, host.origin), 'Cy Twombly');

  // Only the owner has host controls; everyone sees who owns the meeting.
  await expect(hostControls(olga)).toBeVisible();
  for (const page of [ben, cy]) await expect(hostControls(page)).toHaveCount(0);
  await expect(tileOf(cy, 'Olga Owner').getByText('Owner', { exact: true })).toBeVisible();
  // A member's tile menu offers nothing but pinning and the layout.
  await openTileMenu(cy, 'Ben Okri');
  await expect(menuItems(cy)).toHaveText(['Pin', 'Speaker view']);
  await cy.keyboard.press('Escape');

  // The owner makes Ben an admin: he is told, the others are told and see the badge.
  await openTileMenu(olga, 'Ben Okri');
  await menuItems(olga).filter({ hasText: 'Make admin' }).click();
  await expect(told(ben)).toContainText('Olga Owner made you an admin');
  await expect(told(cy)).toContainText('Olga Owner made Ben Okri an admin');
  for (const page of [olga, cy])
    await expect(tileOf(page, 'Ben Okri').getByText('Admin', { exact: true })).toBeVisible();
  await expect(hostControls(ben)).toBeVisible();

  // Ben, now an admin, mutes Cy from the People panel.
  await expect(tileOf(olga, 'Cy Twombly')).toHaveAttribute('data-muted', 'false');
  await openPersonMenu(ben, 'Cy Twombly');
  await expect(menuItems(ben)).toHaveText([
    'Mute microphone',
    'Stop camera',
    'Make admin',
    'Remove from meeting',
  ]);
  await ben.screenshot({ path: join(SCREENSHOT_DIR, 'moderation-participant-menu.png') });
  await ben.keyboard.press('Escape');
  // The same actions in the tile's menu, below pinning and the layout.
  await openTileMenu(ben, 'Cy Twombly');
  await expect(menuItems(ben)).toHaveText([
    'Pin',
    'Speaker view',
    'Mute microphone',
    'Stop camera',
    'Make admin',
    'Remove from meeting',
  ]);
  await ben.screenshot({ path: join(SCREENSHOT_DIR, 'moderation-tile-menu.png') });
  await ben.keyboard.press('Escape');
  await expect(ben.getByRole('button', { name: 'Options for Cy Twombly' })).toBeFocused();
  await ben.setViewportSize(PHONE);
  await openPersonMenu(ben, 'Cy Twombly');
  await ben.screenshot({ path: join(SCREENSHOT_DIR, 'moderation-participant-menu-phone.png') });
  await ben.keyboard.press('Escape');
  await ben.setViewportSize(LAPTOP);
  await openPersonMenu(ben, 'Cy Twombly');
  await menuItems(ben).filter({ hasText: 'Mute microphone' }).click();
  await expect(controls(cy).getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(told(cy)).toContainText('Ben Okri muted your microphone');
  await expect(tileOf(olga, 'Cy Twombly')).toHaveAttribute('data-muted', 'true');
  await expect(
    tileOf(olga, 'Cy Twombly').getByRole('img', { name: 'Cy Twombly is muted' }),
  ).toBeVisible();

  // Ben cannot touch the owner's role or place: not even offered.
  await openTileMenu(ben, 'Olga Owner');
  await expect(menuItems(ben)).not.toContainText(['Remove from meeting']);
  await expect(menuItems(ben).filter({ hasText: /admin|Remove/ })).toHaveCount(0);
  await ben.keyboard.press('Escape');

  // Cy unmutes (nobody asks to ask yet); then Ben mutes everyone, the owner too.
  await controls(cy).getByRole('button', { name: 'Unmute' }).click();
  await expect(tileOf(olga, 'Cy Twombly')).toHaveAttribute('data-muted', 'false');
  await hostControls(ben).click();
  await expect(ben.getByRole('switch', { name: 'Lock meeting' })).toBeVisible();
  await expectAccessible(ben, 'room with Host controls open');
  await ben.setViewportSize(LAPTOP);
  await shoot(ben, 'moderation-host-controls');
  await ben.getByRole('button', { name: 'Mute everyone' }).click();
  // The menu closed with the focus back on its button.
  await expect(hostControls(ben)).toBeFocused();
  for (const page of [olga, cy])
    await expect(controls(page).getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(tileOf(ben, 'Cy Twombly')).toHaveAttribute('data-muted', 'true');
  await expect(tileOf(ben, 'Olga Owner')).toHaveAttribute('data-muted', 'true');

  // The owner asks people to ask before they unmute: Cy is held back and raises her hand.
  await setSwitch(olga, /Ask to unmute/, true);
  for (const page of [ben, cy])
    await expect(told(page)).toContainText('Olga Owner asked everyone to ask before they unmute');
  await expect(
    controls(cy).getByRole('list', { name: 'Meeting settings' }).getByText('Ask to unmute'),
  ).toBeAttached();
  await controls(cy).getByRole('button', { name: 'Unmute' }).click();
  const prompt = cy.getByRole('region', { name: 'Ask to unmute' });
  await expect(prompt).toContainText('The meeting asks you to raise your hand before you unmute');
  await expect(controls(cy).getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(tileOf(olga, 'Cy Twombly')).toHaveAttribute('data-muted', 'true');
  await expectAccessible(cy, 'room asking to unmute');
  await cy.setViewportSize(LAPTOP);
  await shoot(cy, 'moderation-ask-to-unmute');
  await prompt.getByRole('button', { name: 'Raise hand' }).click();
  await expect(
    tileOf(ben, 'Cy Twombly').getByRole('img', { name: 'Hand raised, number 1' }),
  ).toBeVisible();
  // An admin is never held back.
  await controls(olga).getByRole('button', { name: 'Unmute' }).click();
  await expect(tileOf(ben, 'Olga Owner')).toHaveAttribute('data-muted', 'false');

  // Ben lets Cy unmute: she is told and can.
  await openTileMenu(ben, 'Cy Twombly');
  await menuItems(ben).filter({ hasText: 'Allow to unmute' }).click();
  await expect(told(cy)).toContainText('Ben Okri lets you unmute');
  await expect(prompt).toBeHidden();
  await controls(cy).getByRole('button', { name: 'Unmute' }).click();
  await expect(controls(cy).getByRole('button', { name: 'Mute' })).toBeVisible();
  await expect(tileOf(olga, 'Cy Twombly')).toHaveAttribute('data-muted', 'false');
  await setSwitch(olga, /Ask to unmute/, false);

  // Ben removes Cy, after a confirmation.
  await openPersonMenu(ben, 'Cy Twombly');
  await menuItems(ben).filter({ hasText: 'Remove from meeting' }).click();
  const confirm = ben.getByRole('dialog', { name: 'Remove Cy Twombly from the meeting?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(
    cy.getByRole('heading', { name: 'You were removed from the meeting' }),
  ).toBeVisible();
  await expect(cy.getByText('Ben Okri removed you from the meeting')).toBeVisible();
  await expect(cy.getByRole('button', { name: /Rejoin/ })).toHaveCount(0);
  await expect(told(olga)).toContainText('Ben Okri removed Cy Twombly');
  await expect(tileOf(olga, 'Cy Twombly')).toHaveCount(0);
  await expectAccessible(cy, 'removed screen');
  await shoot(cy, 'moderation-removed');

  // She cannot come back while the meeting lasts: the host refuses, and the pre-join screen says so.
  await cy.getByRole('button', { name: 'Home' }).click();
  await expect(cy.getByRole('heading', { name: 'Join a meeting' })).toBeVisible();
  // She opens the invite link again (a fresh load, as from a chat message).
  await cy.goto('about:blank');
  await cy.goto(onHost(host.inviteUrl, host.origin));
  await expect(cy.getByLabel('Your camera preview')).toBeVisible();
  await cy.getByRole('button', { name: 'Join now' }).click();
  await expect(cy.getByText(/You were removed from this meeting/)).toBeVisible({
    timeout: 20_000,
  });
  await expect(controls(cy)).toHaveCount(0);

  // Locked: two people knock; Olga sees them without opening anything, and admits both.
  await setSwitch(olga, /Lock meeting/, true);
  const settings = controls(ben).getByRole('list', { name: 'Meeting settings' });
  await expect(settings).toBeVisible();
  await expect(settings.getByText('Locked')).toBeAttached();
  const dee = await knock(browser, host, 'Dee Waiting');
  const eve = await knock(browser, host, 'Eve Waiting');
  const lobby = olga.getByRole('region', { name: 'Waiting to join (2)' });
  await expect(lobby).toContainText('Dee Waiting');
  await expect(lobby).toContainText('Eve Waiting');
  await expect(lobby).toContainText('invited');
  await expect(told(olga)).toContainText(/Eve Waiting wants to join/);
  await expectAccessible(olga, 'room with people waiting in the lobby');
  await olga.setViewportSize(LAPTOP);
  await shoot(olga, 'moderation-lobby');
  await lobby.getByRole('button', { name: 'Admit all (2)' }).click();
  for (const page of [dee, eve]) await expect(controls(page)).toBeVisible({ timeout: 60_000 });
  await expect(lobby).toBeHidden();

  // Olga ends the meeting for everyone (the leave dialog offers it to admins too).
  await controls(olga).getByRole('button', { name: 'Leave' }).click();
  const leave = olga.getByRole('dialog', { name: 'Leave the meeting?' });
  await expect(leave.getByRole('button', { name: 'End for everyone' })).toBeVisible();
  await leave.getByRole('button', { name: 'Stay' }).click();
  await hostControls(olga).click();
  await olga.getByRole('button', { name: 'End meeting for everyone' }).click();
  const end = olga.getByRole('dialog', { name: 'End the meeting for everyone?' });
  await end.getByRole('button', { name: 'End for everyone' }).click();
  for (const page of [ben, dee, eve])
    await expect(
      page.getByRole('heading', { name: 'Olga Owner ended the meeting for everyone' }),
    ).toBeVisible();
  await expect(
    olga.getByRole('heading', { name: 'You ended the meeting for everyone' }),
  ).toBeVisible();
  await expect(ben.getByRole('button', { name: 'Rejoin' })).toBeVisible();
  await expectAccessible(ben, 'ended screen');
  await shoot(ben, 'moderation-ended');
});

test('a new invite link: the old one stops working, people in the meeting stay', async ({
  browser,
  host,
}) => {
  const olga = await joinWith(browser, onHost(host.ownerUrl, host.origin), 'Olga Owner');
  const oldLink = onHost(host.inviteUrl, host.origin);
  const ben = await joinWith(browser, oldLink, 'Ben Okri');
  await controls(olga).getByRole('button', { name: 'Invite' }).click();
  const invite = olga.getByRole('dialog', { name: 'Invite people' });
  const field = invite.getByRole('textbox', { name: 'Invite link' });
  const before = await field.inputValue();
  await invite.getByRole('button', { name: 'Make a new link' }).click();
  const confirm = olga.getByRole('dialog', { name: 'Make a new invite link?' });
  await expect(confirm).toContainText('People with the old link can no longer join');
  await confirm.getByRole('button', { name: 'Make a new link' }).click();
  await expect(field).not.toHaveValue(before);
  expect(await field.inputValue()).toContain(host.hub.inviteSecret);
  // Ben, in the meeting, stays; a member's Invite shows the new link too.
  await expect(tileOf(olga, 'Ben Okri')).toBeVisible();
  await controls(ben).getByRole('button', { name: 'Invite' }).click();
  await expect(
    ben
      .getByRole('dialog', { name: 'Invite people' })
      .getByRole('textbox', { name: 'Invite link' }),
  ).toHaveValue(/invite=/);
  // Members are not offered a new link.
  await expect(ben.getByRole('button', { name: 'Make a new link' })).toHaveCount(0);
  // Someone new with the old link is told it no longer works.
  const context = await browser.newContext({ viewport: LAPTOP });
  contexts.push(context);
  const late = await context.newPage();
  await late.goto(oldLink);
  await expect(late.getByText(/invite link is not valid/)).toBeVisible();
});

test('the host refuses moderation from a member, and an admin’s moves against the owner', async ({
  host,
}) => {
  const ownerGuest = await joinAsGuest(host, 'Olive', {
    id: host.hub.id,
    inviteSecret: host.hub.ownerKey,
  });
  const owner = await enter(ownerGuest);
  const member = await enter(await joinAsGuest(host, 'Mallory'));
  const other = await enter(await joinAsGuest(host, 'Nina'));
  const refused = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(MessageRejectedError);
    expect((error as MessageRejectedError).reason).toBe('forbidden');
  };
  const { socket } = member;
  await refused(
    socket.request('upstream-mute-peer', { peer_id: other.peerId, source: 'microphone' }),
  );
  await refused(socket.request('upstream-mute-all', { source: 'camera' }));
  await refused(socket.request('upstream-allow-unmute', { peer_id: member.peerId }));
  await refused(socket.request('upstream-remove-peer', { peer_id: other.peerId }));
  await refused(socket.request('upstream-end-meeting', {}));
  await refused(socket.request('upstream-room-settings', { locked: true }));
  await refused(socket.request('upstream-lobby-answer', { knock_id: 'k1', admit: true }));
  await refused(socket.request('upstream-set-role', { peer_id: member.peerId, role: 'admin' }));
  const rotate = await member.services
    .call('hub.rotate_invite', { hub_id: host.hub.id })
    .catch((error: unknown) => error);
  expect(rotate).toBeInstanceOf(ServiceCallError);
  expect((rotate as ServiceCallError).reason).toBe('forbidden');

  // Asked to ask before unmuting, a member's unmute and unmuted microphone are refused.
  const mic = await publish(other, 'microphone', true);
  await owner.socket.request('upstream-room-settings', { ask_to_unmute: true });
  await refused(other.socket.request('upstream-producer-resume', { producer_id: mic }));

  // An admin may not remove the owner nor change the owner's role.
  await owner.socket.request('upstream-set-role', { peer_id: member.peerId, role: 'admin' });
  await refused(socket.request('upstream-remove-peer', { peer_id: owner.peerId }));
  await refused(socket.request('upstream-set-role', { peer_id: owner.peerId, role: 'member' }));
  // But may mute the owner.
  await socket.request('upstream-mute-peer', { peer_id: owner.peerId, source: 'microphone' });
  for (const guest of [owner, member, other]) guest.socket.close();
});
