import { _electron as electron, chromium } from '@playwright/test';
import { electronBinary } from '../main/electron/electron-binary';
import { chromiumLaunchOptions } from './chromium';
import { expect, framesDecoded, test } from './fixtures';

// The real desktop app: host from it, and have a browser join with media.
// Electron's binary is downloaded on first use; where that cannot happen (no
// internet), this test is skipped and says so.

const binary = electronBinary();

test.skip(
  !binary,
  'Electron binary not installed (it downloads on first use, which needs internet): desktop app test skipped',
);

test('host from the desktop app; a browser joins with media', async () => {
  const app = await electron.launch({
    executablePath: binary,
    args: ['.', '--no-sandbox'],
    env: { ...process.env, ROUNDTABLE_API_TOKEN: 'e2e' },
  });
  const window = await app.firstWindow();
  await window.getByRole('button', { name: 'Host a meeting' }).click();
  await window.getByLabel('Your name').fill('Desktop Host');
  await window.getByRole('button', { name: 'Join now' }).click();
  await window.locator('summary', { hasText: 'Hosting' }).click();
  const inviteUrl = (await window.locator('.invite-link').textContent())!;

  const browser = await chromium.launch(chromiumLaunchOptions);
  const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  await page.goto(inviteUrl);
  await page.getByLabel('Your name').fill('Browser Guest');
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect
    .poll(async () => (await framesDecoded(page)).filter((n) => n > 0).length, { timeout: 30_000 })
    .toBe(1);
  await expect
    .poll(async () => (await framesDecoded(window)).filter((n) => n > 0).length, {
      timeout: 30_000,
    })
    .toBe(1);

  await window.getByRole('button', { name: 'Stop hosting' }).click();
  await expect(page.getByRole('status')).toContainText(/Reconnecting|reach the host/);
  await browser.close();
  await app.close();
});
