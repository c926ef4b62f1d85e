import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ServiceClient } from '../shared/client/service-client';
import type { TestHost } from '../testing/host';
import { expectAccessible } from './axe';
import { expect, expectFreshMedia, LAPTOP, onHost, shoot, test } from './fixtures';

// The lobby from the knocking side, with real Chromium people on a real host:
// a member with the invite meets a meeting the owner locked (Host controls),
// a visitor without an invite asks from Home (visitors always ask), and both
// wait until the owner admits them (and media flows); or the owner declines,
// or sees a knock go when its person cancels or their connection drops and
// they knock again.

/** The host's link on the test host's loopback origin. */

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** A person in a browser of their own; their page keeps its WebSockets in `window.testSockets`. */
async function person(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: LAPTOP });
  contexts.push(context);
  await context.addInitScript(() => {
    const sockets: WebSocket[] = [];
    Object.assign(window, { testSockets: sockets });
    window.WebSocket = class extends window.WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
  });
  return context.newPage();
}

const inRoom = (page: Page) => page.getByRole('navigation', { name: 'Meeting controls' });
const lobbyCard = (owner: Page) => owner.getByRole('region', { name: /^Waiting to join/ });

/** The owner (owner link) in the meeting. */
async function ownerJoins(browser: Browser, host: TestHost): Promise<Page> {
  const owner = await person(browser);
  await owner.goto(onHost(host.ownerUrl, host.origin));
  await owner.getByLabel('Your name').fill('Olga Owner');
  await expect(owner.getByLabel('Your camera preview')).toBeVisible();
  await owner.getByRole('button', { name: 'Join now' }).click();
  await expect(inRoom(owner)).toBeVisible({ timeout: 20_000 });
  return owner;
}

/** The owner in the meeting, which they lock from Host controls. */
async function ownerLocks(browser: Browser, host: TestHost): Promise<Page> {
  const owner = await ownerJoins(browser, host);
  await owner.locator('summary', { hasText: 'Host controls' }).click();
  const lock = owner.getByRole('switch', { name: /Lock meeting/ });
  await lock.click();
  await expect(lock).toHaveAttribute('aria-checked', 'true');
  await owner.keyboard.press('Escape');
  return owner;
}

/** Someone with the invite link asks to join the locked meeting and waits. */
async function memberKnocks(browser: Browser, host: TestHost, name: string): Promise<Page> {
  const page = await person(browser);
  await page.goto(onHost(host.inviteUrl, host.origin));
  await page.getByLabel('Your name').fill(name);
  await expect(page.getByLabel('Your camera preview')).toBeVisible();
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('heading', { name: 'This meeting is locked' })).toBeVisible({
    timeout: 20_000,
  });
  return page;
}

/** The knock the owner sees for `name`, by its data-testid (knock-<id>). */
async function knockIdOf(owner: Page, name: string): Promise<string> {
  const knock = lobbyCard(owner).getByRole('listitem').filter({ hasText: name });
  await expect(knock).toHaveCount(1);
  return (await knock.getAttribute('data-testid'))!;
}

test('a member with the invite waits in the lobby of a locked meeting until the owner admits him', async ({
  browser,
  host,
}) => {
  const owner = await ownerLocks(browser, host);

  // Ben has the invite, but the meeting is locked.
  const ben = await memberKnocks(browser, host, 'Ben Member');
  await expect(ben.getByRole('status')).toContainText('Someone in the meeting will let you in.');
  await expect(ben.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(ben.getByLabel('Your camera preview')).toBeVisible();
  await expect(ben.getByText('Ben Member', { exact: true })).toBeVisible();
  await expectAccessible(ben, 'lobby');
  await shoot(ben, 'lobby-waiting');

  // The owner sees who knocks, and takes their time: longer than the 20 s a granted peer has to
  // enter, which must not run while waiting. Ben still waits, and his knock is still there.
  await expect(lobbyCard(owner)).toContainText('Ben Member');
  await expect(lobbyCard(owner)).toContainText('invited');
  await owner.waitForTimeout(25_000);
  await expect(ben.getByRole('heading', { name: 'This meeting is locked' })).toBeVisible();
  await expect(lobbyCard(owner)).toContainText('Ben Member');

  // He is let in: he is in the room, and they see each other.
  await lobbyCard(owner).getByRole('button', { name: 'Admit Ben Member' }).click();
  await expect(inRoom(ben)).toBeVisible({ timeout: 20_000 });
  await expect(lobbyCard(owner)).toBeHidden();
  await expectFreshMedia([owner, ben], 1);
});

test('someone who opens the host’s address without an invite asks to join from Home, and is let in', async ({
  browser,
  host,
}) => {
  // The meeting is not locked: without an invite, one asks all the same.
  const owner = await ownerJoins(browser, host);

  // Vera opens the host's address with no invite link: Home offers to ask, naming the meeting.
  const { name: meeting } = await new ServiceClient(host.origin).call('hub.about', {});
  const vera = await person(browser);
  await vera.goto(`${host.origin}/`);
  const ask = vera.getByRole('button', { name: `Ask to join ${meeting}` });
  await expect(ask).toBeVisible();
  await expect(vera.getByRole('heading', { name: 'Join a meeting' })).toBeVisible();
  await expectAccessible(vera, 'home with ask to join');
  await shoot(vera, 'home-ask-to-join');
  await ask.click();

  // Pre-join checks no invite, says someone must let her in, and asks rather than joins.
  await expect(vera.getByText('someone in the meeting must let you in')).toBeVisible();
  await vera.getByLabel('Your name').fill('Vera Visitor');
  await expect(vera.getByLabel('Your camera preview')).toBeVisible();
  await expect(vera.getByRole('button', { name: 'Join now' })).toHaveCount(0);
  await shoot(vera, 'prejoin-ask');
  await vera.getByRole('button', { name: 'Ask to join', exact: true }).click();
  await expect(vera.getByRole('heading', { name: `Asking to join ${meeting}…` })).toBeVisible({
    timeout: 20_000,
  });
  await expect(vera.getByRole('status')).toContainText('Someone in the meeting will let you in.');
  await shoot(vera, 'lobby-asking');
  await expect(lobbyCard(owner)).toContainText('Vera Visitor');
  await expect(lobbyCard(owner)).toContainText('not invited');
  await lobbyCard(owner).getByRole('button', { name: 'Admit Vera Visitor' }).click();
  await expect(inRoom(vera)).toBeVisible({ timeout: 20_000 });
  await expectFreshMedia([owner, vera], 1);
});

test('declined, the knocker is told and can ask again; a dropped connection knocks again; cancelling takes the knock away', async ({
  browser,
  host,
}) => {
  const owner = await ownerLocks(browser, host);
  const dan = await memberKnocks(browser, host, 'Dan Decline');
  await knockIdOf(owner, 'Dan Decline');
  await lobbyCard(owner)
    .getByRole('button', { name: /^Decline/ })
    .click();

  await expect(dan.getByRole('heading', { name: 'Nobody let you in' })).toBeVisible();
  await expect(dan.getByRole('button', { name: 'Ask again' })).toBeFocused();
  await expect(dan.getByRole('button', { name: 'Home' })).toBeVisible();
  await expectAccessible(dan, 'lobby, declined');
  await shoot(dan, 'lobby-declined');

  // Asking again is a new knock.
  await dan.getByRole('button', { name: 'Ask again' }).click();
  await expect(dan.getByRole('heading', { name: 'This meeting is locked' })).toBeVisible();
  const firstKnock = await knockIdOf(owner, 'Dan Decline');

  // His connection drops while he waits: the knock goes with it, and he knocks again by himself.
  await dan.evaluate(() => {
    const sockets = (window as unknown as { testSockets: WebSocket[] }).testSockets;
    sockets.at(-1)!.close();
  });
  await expect
    .poll(() => knockIdOf(owner, 'Dan Decline'), { timeout: 20_000 })
    .not.toBe(firstKnock);
  await expect(dan.getByRole('heading', { name: 'This meeting is locked' })).toBeVisible();
  await expect(dan.getByText('Nobody let you in')).toHaveCount(0);

  // He gives up: the owner no longer sees him, and he is back at pre-join.
  await dan.getByRole('button', { name: 'Cancel' }).click();
  await expect(lobbyCard(owner)).toBeHidden();
  await expect(dan.getByRole('button', { name: 'Join now' })).toBeVisible();
});
