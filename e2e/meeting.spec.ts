import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  expect,
  framesDecoded,
  leaveMeeting,
  remoteVideoBrightness,
  SCREENSHOT_DIR,
  test,
} from './fixtures';

// Three people in their own browsers (Debian Chromium, fake camera and
// microphone) meet through the real host and the built web client.

const userIdOf = (page: Page) =>
  page.evaluate(() => {
    const prefs = JSON.parse(localStorage.getItem('roundtable.preferences.v1')!);
    return (Object.values(prefs.credentials)[0] as { userId: string }).userId;
  });

test('three people meet: video, mute, screen share, leaving, a late joiner', async ({ joinAs }) => {
  const ada = await joinAs('Ada Lovelace');
  const ben = await joinAs('Ben Okri');
  const cy = await joinAs('Cy Twombly');
  const everyone = [ada, ben, cy];

  // Each sees two remote videos that keep decoding real, non-black frames.
  for (const page of everyone) {
    await expect(
      page.locator('[data-testid^="tile-"]:not([data-testid="tile-self"]) video'),
    ).toHaveCount(2);
    await expect
      .poll(async () => (await framesDecoded(page)).filter((n) => n > 0).length, {
        timeout: 20_000,
      })
      .toBe(2);
    const before = await framesDecoded(page);
    await expect
      .poll(async () => (await framesDecoded(page)).every((n, i) => n > before[i]!), {
        timeout: 20_000,
      })
      .toBe(true);
    await expect
      .poll(async () => Math.min(...(await remoteVideoBrightness(page))), { timeout: 10_000 })
      .toBeGreaterThan(20);
  }
  await ada.screenshot({ path: join(SCREENSHOT_DIR, 'room-three-people.png') });

  // Ada mutes: the others see her muted.
  const adaPeerTile = (page: Page) =>
    page.getByTestId(/^tile-/).filter({ hasText: 'Ada Lovelace' });
  await expect(adaPeerTile(ben)).toHaveAttribute('data-muted', 'false');
  await ada.keyboard.press('m');
  for (const page of [ben, cy]) {
    await expect(adaPeerTile(page)).toHaveAttribute('data-muted', 'true');
    await expect(page.getByRole('img', { name: 'Ada Lovelace is muted' })).toBeVisible();
  }

  // Ben shares his screen: it appears large on the others.
  await ben.getByRole('button', { name: 'Share screen' }).click();
  for (const page of [ada, cy]) {
    const screen = page.locator('.spotlight').getByLabel("Ben Okri's screen");
    await expect(screen).toBeVisible({ timeout: 20_000 });
    await expect
      .poll(() => screen.evaluate((video: HTMLVideoElement) => video.videoWidth), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
  }
  // Tiles that moved to the filmstrip get new video elements: wait for their pictures.
  await expect
    .poll(async () => Math.min(...(await remoteVideoBrightness(cy))), { timeout: 10_000 })
    .toBeGreaterThan(20);
  await cy.screenshot({ path: join(SCREENSHOT_DIR, 'room-screen-share.png') });
  await ben
    .getByRole('navigation', { name: 'Meeting controls' })
    .getByRole('button', { name: 'Stop sharing' })
    .click();
  await expect(ada.locator('.spotlight')).toHaveCount(0);

  // People panel: participants with mute state, hub members with presence.
  const cyUserId = await userIdOf(cy);
  await ada.getByRole('button', { name: 'People' }).click();
  const panel = ada.getByRole('complementary', { name: 'People' });
  await expect(panel.getByTestId(`member-${cyUserId}`)).toHaveAttribute('data-online', '2');
  await expect
    .poll(async () => Math.min(...(await remoteVideoBrightness(ada))), { timeout: 10_000 })
    .toBeGreaterThan(20);
  await ada.screenshot({ path: join(SCREENSHOT_DIR, 'people-panel.png') });

  // Cy leaves: the tile disappears and Cy is no longer "in a meeting".
  await leaveMeeting(cy);
  for (const page of [ada, ben]) {
    await expect(page.getByTestId(/^tile-/).filter({ hasText: 'Cy Twombly' })).toHaveCount(0);
  }
  await expect(panel.getByTestId(`member-${cyUserId}`)).not.toHaveAttribute('data-online', '2');

  // Dee arrives late and sees both who are there.
  const dee = await joinAs('Dee Rees');
  await expect(dee.getByTestId(/^tile-/).filter({ hasText: 'Ada Lovelace' })).toBeVisible();
  await expect(dee.getByTestId(/^tile-/).filter({ hasText: 'Ben Okri' })).toBeVisible();
  await expect
    .poll(async () => (await framesDecoded(dee)).filter((n) => n > 0).length, { timeout: 20_000 })
    .toBe(2);
  await expect(dee.getByRole('img', { name: 'Ada Lovelace is muted' })).toBeVisible();
});
