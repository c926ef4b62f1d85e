import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { chromiumLaunchOptions } from './chromium';
import { audioBytes } from '../testing/app-page';
import { expect, expectFreshMedia, joinMeeting, onHost, SCREENSHOT_DIR, test } from './fixtures';

// Getting in: the invite card and dialog (the link that is shared, its QR
// code, and that it joins the same meeting), a wrong or cut-off link told
// early, and the devices: speaker choice, one entry per camera, asking again
// after a refusal, and the "?" shortcut list.

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Screenshots of what `page` shows now, at laptop and phone size (laptop size after). */
async function screenshots(page: Page, name: string) {
  await page.setViewportSize(LAPTOP);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`) });
  await page.setViewportSize(LAPTOP);
}

/** Counts the page's getUserMedia calls (and lets each through unchanged) in `window.gumCalls`. */
async function countCaptureRequests(context: BrowserContext) {
  await context.addInitScript(() => {
    const counted = window as unknown as { gumCalls: number };
    counted.gumCalls = 0;
    const media = navigator.mediaDevices;
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = (constraints) => {
      counted.gumCalls += 1;
      return original(constraints);
    };
  });
}

const captureRequests = (page: Page) =>
  page.evaluate(() => (window as unknown as { gumCalls: number }).gumCalls);

test('alone, the owner gets an invite card whose copied link (no owner key) joins the same meeting', async ({
  browser,
  host,
}) => {
  const ownerContext = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const owner = await ownerContext.newPage();
  await owner.setViewportSize(LAPTOP);
  await owner.goto(onHost(host.ownerUrl, host.origin));
  await expect(owner.getByText('You opened the owner link')).toBeVisible();
  await owner.getByLabel('Your name').fill('Olga Owner');
  await expect(owner.getByLabel('Your camera preview')).toBeVisible();
  await owner.getByRole('button', { name: 'Join now' }).click();

  const card = owner.getByRole('region', { name: 'You’re the only one here' });
  await expect(card).toBeVisible();
  const field = card.getByRole('textbox', { name: 'Invite link' });
  await expect(field).toHaveValue(/#\/join\?hub=/);
  const shown = await field.inputValue();
  expect(shown).toContain(`invite=${encodeURIComponent(host.hub.inviteSecret)}`);
  expect(shown).not.toContain(host.hub.ownerKey);
  // Nor does the address bar keep it, for anyone who copies the address instead.
  await expect.poll(() => owner.url()).not.toContain(host.hub.ownerKey);
  const qr = card.getByRole('img', { name: 'QR code of the invite link' });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((element) => element.tagName)).toBe('svg');

  await card.getByRole('button', { name: 'Copy link' }).click();
  await expect(card.getByRole('button', { name: 'Copied' })).toBeVisible();
  await expect(card.getByRole('status')).toHaveText(/Link copied/);
  const copied = await owner.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  await expectAccessible(owner, 'invite card');
  await screenshots(owner, 'invite-card');

  // The copied link, in a browser of its own, joins the same meeting, and the card goes.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.setViewportSize(LAPTOP);
  await guest.goto(copied);
  await guest.getByLabel('Your name').fill('Gil Guest');
  await expect(guest.getByLabel('Your camera preview')).toBeVisible();
  await guest.getByRole('button', { name: 'Join now' }).click();
  await expect(guest.getByTestId(/^tile-/).filter({ hasText: 'Olga Owner' })).toBeVisible();
  await expect(owner.getByTestId(/^tile-/).filter({ hasText: 'Gil Guest' })).toBeVisible();
  await expect(card).toHaveCount(0);
  await expect(guest.getByRole('region', { name: 'You’re the only one here' })).toHaveCount(0);

  // The Invite button shows the same link and QR code at any time, in a dialog.
  const inviteButton = owner.getByRole('button', { name: 'Invite', exact: true });
  await inviteButton.click();
  const dialog = owner.getByRole('dialog', { name: 'Invite people' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Invite link' })).toHaveValue(shown);
  await expect(dialog.getByRole('img', { name: 'QR code of the invite link' })).toBeVisible();
  await expectAccessible(owner, 'invite dialog');
  await screenshots(owner, 'invite-dialog');
  await owner.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(inviteButton).toBeFocused();
  // A click outside closes it as well.
  await inviteButton.click();
  await expect(dialog).toBeVisible();
  await owner.mouse.click(8, 8);
  await expect(dialog).toHaveCount(0);

  // The guest's invite is the same link.
  await guest.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(
    guest
      .getByRole('dialog', { name: 'Invite people' })
      .getByRole('textbox', { name: 'Invite link' }),
  ).toHaveValue(shown);
  await guestContext.close();
  await ownerContext.close();
});

test('a wrong invite is reported before any camera or microphone request', async ({
  browser,
  host,
}) => {
  const context = await browser.newContext();
  await countCaptureRequests(context);
  const page = await context.newPage();
  await page.setViewportSize(LAPTOP);
  await page.goto(`${host.origin}/#/join?hub=${host.hub.id}&invite=not-the-secret`);
  await expect(page.getByRole('alert')).toContainText('This invite link is not valid');
  await expect(page.getByRole('heading', { name: 'This invite link does not work' })).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
  expect(await captureRequests(page)).toBe(0);
  await expectAccessible(page, 'pre-join with a wrong invite');
  await screenshots(page, 'prejoin-wrong-invite');

  // An invite secret cut short is wrong too; an unknown meeting is said to be gone.
  await page.goto(
    `${host.origin}/#/join?hub=${host.hub.id}&invite=${host.hub.inviteSecret.slice(0, 6)}`,
  );
  await expect(page.getByRole('alert')).toContainText('cut off');
  await page.goto(`${host.origin}/#/join?hub=no-such-hub&invite=${host.hub.inviteSecret}`);
  await expect(page.getByRole('alert')).toContainText('does not exist on this host');
  expect(await captureRequests(page)).toBe(0);

  // The right link asks for the devices (the counter sees requests when there are some).
  await page.goto(onHost(host.inviteUrl, host.origin));
  await expect(page.getByLabel('Your camera preview')).toBeVisible();
  expect(await captureRequests(page)).toBeGreaterThan(0);
  await context.close();
});

test('a link cut off when copied says what is missing on the page it opens', async ({
  browser,
  host,
}) => {
  const context = await browser.newContext({ viewport: LAPTOP });
  const page = await context.newPage();
  const cut = `${host.origin}/#/join?hub=${host.hub.id}&inv`;
  await page.goto(cut);
  await expect(page.getByRole('alert')).toContainText(
    'This invite link is incomplete: its invite secret is missing',
  );
  await expect(page.getByRole('alert')).toContainText('ask the host for the whole link');
  await expect(page.getByRole('textbox', { name: 'Invite link' })).toHaveValue(cut);
  await expectAccessible(page, 'home with a cut-off link');
  // The tab has the round-table icon.
  const iconHref = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await page.request.get(new URL(iconHref!, page.url()).href);
  expect(icon.ok()).toBe(true);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');

  await page.goto(`${host.origin}/#/join?hub=${host.hub.id}&invite=abc&fp=4F%3AA1%3A0`);
  await expect(page.getByRole('alert')).toContainText('certificate fingerprint');
  await context.close();
});

test('"?" lists the shortcuts; the Devices menu closes with Esc and lists each camera once, with a speaker choice', async ({
  joinAs,
}) => {
  const page = await joinAs('Kim Keys');

  // "?" typed into a field is text, not the shortcut.
  const field = page
    .getByRole('region', { name: 'You’re the only one here' })
    .getByRole('textbox', { name: 'Invite link' });
  await field.focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toHaveCount(0);

  await page.locator('body').click({ position: { x: 640, y: 200 } });
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  for (const key of ['M', 'V', 'Shift', 'L', '?', 'Esc'])
    await expect(help.locator('kbd', { hasText: key }).first()).toBeVisible();
  await expect(help).toContainText('Leave the meeting');
  await expectAccessible(page, 'shortcut list');
  await screenshots(page, 'shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // The Devices menu: each camera once, and no "Default camera" beside it.
  const devicesButton = page.locator('summary', { hasText: 'Devices' });
  await devicesButton.click();
  const camera = page.getByLabel('Camera', { exact: true });
  await expect(camera).toBeVisible();
  const cameras = await camera.locator('option').allTextContents();
  expect(cameras.length).toBeGreaterThan(0);
  expect(new Set(cameras).size).toBe(cameras.length);
  expect(cameras.some((label) => /^default/i.test(label))).toBe(false);
  const microphones = await page
    .getByLabel('Microphone', { exact: true })
    .locator('option')
    .allTextContents();
  expect(new Set(microphones).size).toBe(microphones.length);

  // Chromium can send sound to a chosen output: the speaker list and its test sound are there.
  expect(await page.evaluate(() => 'setSinkId' in HTMLMediaElement.prototype)).toBe(true);
  const speaker = page.getByLabel('Speaker', { exact: true });
  await expect(speaker).toBeVisible();
  await expect(speaker.locator('option').first()).toHaveText('Same as the system');
  // "Same as the system" is the default output: the browser's "default" entry is not listed again.
  const speakers = await speaker.locator('option').allTextContents();
  expect(speakers.filter((label) => /default/i.test(label))).toEqual([]);
  expect(new Set(speakers).size).toBe(speakers.length);
  const test = page.getByRole('button', { name: 'Play test sound' });
  await test.click();
  await expect(
    page.getByRole('button', { name: /Play test sound|Playing test sound/ }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play test sound' })).toBeVisible();
  await expect(page.getByText('could not play')).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(camera).toBeHidden();
  await expect(devicesButton).toBeFocused();
  // A click outside closes it too.
  await devicesButton.click();
  await expect(camera).toBeVisible();
  await page.locator('body').click({ position: { x: 640, y: 200 } });
  await expect(camera).toBeHidden();
});

test('a chosen speaker plays the meeting, and pre-join lists each device once', async ({
  browser,
  host,
  joinAs,
}) => {
  await joinAs('Sol Speaking');
  const page = await (await browser.newContext()).newPage();
  await page.setViewportSize(LAPTOP);
  await page.goto(onHost(host.inviteUrl, host.origin));
  await expect(page.getByLabel('Your camera preview')).toBeVisible();
  const cameras = await page
    .getByLabel('Camera', { exact: true })
    .locator('option')
    .allTextContents();
  expect(cameras.length).toBeGreaterThan(0);
  expect(new Set(cameras).size).toBe(cameras.length);
  expect(cameras.some((label) => /^default/i.test(label))).toBe(false);

  const speaker = page.getByLabel('Speaker', { exact: true });
  const outputs = await speaker
    .locator('option')
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  const chosen = outputs.at(-1)!;
  await speaker.selectOption(chosen);
  await page.getByLabel('Your name').fill('Lou Listener');
  await page.getByRole('button', { name: 'Join now' }).click();
  // The other person's sound plays on the chosen output.
  const audio = page.locator('audio');
  await expect(audio).toHaveCount(1);
  await expect
    .poll(() => audio.evaluate((element) => (element as HTMLAudioElement).sinkId))
    .toBe(chosen);
  await page.context().close();
});

test('after a refused camera and microphone, pre-join asks again with "Try again"', async ({
  host,
}) => {
  // A browser that asks for permissions (no fake prompt that always says yes), refused both.
  const asking = await chromium.launch({
    ...chromiumLaunchOptions,
    args: chromiumLaunchOptions.args!.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
  });
  const context = await asking.newContext({ viewport: LAPTOP });
  const page = await context.newPage();
  await page.goto(onHost(host.inviteUrl, host.origin));
  await expect(page.getByText('Access to your camera was denied')).toBeVisible();
  await expect(page.getByText('Access to your microphone was denied')).toBeVisible();
  await expectAccessible(page, 'pre-join with refused devices');
  await screenshots(page, 'prejoin-devices-refused');

  await context.grantPermissions(['camera', 'microphone'], { origin: host.origin });
  const tryAgain = page.getByRole('button', { name: 'Try again' });
  await expect(tryAgain).toHaveCount(2);
  await tryAgain.first().click();
  await expect(page.getByLabel('Your camera preview')).toBeVisible();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('Access to your microphone was denied')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);

  // With both, the join goes ahead and the room has a working microphone.
  await page.getByLabel('Your name').fill('Pat Permitted');
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible();
  await expect(page.getByTestId('tile-self')).toHaveAttribute('data-muted', 'false');
  await asking.close();
});

test('someone who joins before the camera and microphone are open sends them once they are', async ({
  browser,
  host,
  joinAs,
}) => {
  const ada = await joinAs('Ada Early');
  const context = await browser.newContext();
  try {
    // The browser holds the devices back (a slow camera, a permission prompt not answered yet).
    await context.addInitScript(() => {
      const devices = navigator.mediaDevices;
      const open = devices.getUserMedia.bind(devices);
      const released = new Promise<void>((release) => Object.assign(window, { release }));
      devices.getUserMedia = async (constraints) => {
        await released;
        return open(constraints);
      };
    });
    const ben = await context.newPage();
    await ben.goto(onHost(host.inviteUrl, host.origin));
    await ben.getByLabel('Your name').fill('Ben Quick');
    await ben.getByRole('button', { name: 'Join now' }).click();
    await expect(ben.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible({
      timeout: 60_000,
    });
    await ben.evaluate(() => (window as unknown as { release(): void }).release());
    // Ada sees and hears him.
    await expectFreshMedia([ada], 1);
    await expect
      .poll(async () => Object.values(await audioBytes(ada)).some((bytes) => bytes > 0), {
        timeout: 30_000,
      })
      .toBe(true);
  } finally {
    await context.close();
  }
});

test('the copied link also joins for someone who opens it from the start page', async ({
  browser,
  host,
}) => {
  const context = await browser.newContext();
  const first = await joinMeeting(context, host, 'Fay First');
  const link = await first
    .getByRole('region', { name: 'You’re the only one here' })
    .getByRole('textbox', { name: 'Invite link' })
    .inputValue();
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${host.origin}/`);
  await page.getByRole('textbox', { name: 'Invite link' }).fill(link);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByLabel('Your name').fill('Sid Second');
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(first.getByTestId(/^tile-/).filter({ hasText: 'Sid Second' })).toBeVisible();
  await page.context().close();
  await context.close();
});
