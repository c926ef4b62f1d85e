import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { expect, joinMeeting, SCREENSHOT_DIR, test } from './fixtures';

// What the room tells people about itself: who joins and leaves (a toast and
// a screen-reader announcement), and what others really get from our
// microphone when the browser refused it.

test('joins and leaves are told with a toast and an announcement; the sound can be turned off', async ({
  browser,
  host,
  joinAs,
}) => {
  const ann = await joinAs('Ann Notice');
  const status = ann.locator('.notice-live');
  const boContext = await browser.newContext();
  const bo = await joinMeeting(boContext, host, 'Bo Notice');
  await expect(ann.locator('.notice-toast', { hasText: 'Bo Notice joined' })).toBeVisible();
  await expect(status).toHaveText('Bo Notice joined');
  await ann.screenshot({ path: join(SCREENSHOT_DIR, 'notice-joined.png') });
  await ann.setViewportSize({ width: 390, height: 844 });
  await ann.screenshot({ path: join(SCREENSHOT_DIR, 'notice-joined-phone.png') });
  await ann.setViewportSize({ width: 1280, height: 800 });
  // The people already there when Bo arrived are not announced to him as joining.
  await expect(bo.getByTestId(/^tile-/).filter({ hasText: 'Ann Notice' })).toBeVisible();
  await expect(bo.locator('.notice-toast')).toHaveCount(0);

  await boContext.close();
  await expect(ann.locator('.notice-toast', { hasText: 'Bo Notice left' })).toBeVisible({
    timeout: 20_000,
  });
  await expect(status).toHaveText('Bo Notice left');

  // The chime can be turned off in the Devices menu, and stays off in this browser.
  const soundSetting = (page: typeof ann) =>
    page.getByRole('checkbox', { name: 'Play a sound when people join or leave' });
  await ann.getByText('Devices', { exact: true }).click();
  await expect(soundSetting(ann)).toBeChecked();
  await soundSetting(ann).uncheck();
  await ann.reload();
  await ann.getByRole('button', { name: 'Join now' }).click();
  await ann.getByText('Devices', { exact: true }).click();
  await expect(soundSetting(ann)).not.toBeChecked();
});

test('a refused microphone shows as unavailable, and pressing it asks again and publishes it', async ({
  host,
  joinAs,
}) => {
  const watcher = await joinAs('Wes Watcher');
  // A browser that asks for permissions (no fake prompt that always says yes): Eve allows
  // her camera only, so the microphone request is refused as a person refusing it would.
  const asking = await chromium.launch({
    ...chromiumLaunchOptions,
    args: chromiumLaunchOptions.args!.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
  });
  const context = await asking.newContext({ permissions: ['camera'] });
  const eve = await joinMeeting(context, host, 'Eve Denied');

  // Eve's own view says what the others get: no microphone, not "Mute".
  const micButton = eve.getByRole('button', { name: /Microphone unavailable/ });
  await expect(micButton).toBeVisible();
  await expect(eve.getByRole('button', { name: 'Mute', exact: true })).toHaveCount(0);
  await expect(eve.getByTestId('tile-self')).toHaveAttribute('data-muted', 'true');
  const eveTile = watcher.getByTestId(/^tile-/).filter({ hasText: 'Eve Denied' });
  await expect(eveTile).toHaveAttribute('data-muted', 'true');

  // She allows the microphone and presses the button: it opens and is published.
  await context.grantPermissions(['camera', 'microphone'], { origin: host.origin });
  await micButton.click();
  await expect(eve.getByRole('button', { name: 'Mute', exact: true })).toBeVisible();
  await expect(eve.getByTestId('tile-self')).toHaveAttribute('data-muted', 'false');
  await expect(eveTile).toHaveAttribute('data-muted', 'false', { timeout: 20_000 });
  await asking.close();
});
