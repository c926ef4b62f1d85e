import { join } from 'node:path';
import { startTestHost } from '../testing/host';
import { expect, SCREENSHOT_DIR, test, WEB_CLIENT_DIR } from './fixtures';

// The screens around the meeting, and what people are told when joining fails.

test('home and pre-join remember the name and the host', async ({ browser, host }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const response = await page.goto(`${host.origin}/`);
  expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
  await expect(page.getByRole('heading', { name: 'Join a meeting' })).toBeVisible();
  await page.getByLabel('Invite link').fill('https://192.168.1.20:8443/');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('not an invite link');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'home.png') });

  const invite = host.inviteUrl.replace(/^https?:\/\/[^/]+/, host.origin);
  await page.getByLabel('Invite link').fill(invite);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Your camera preview')).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
  await expect(page.getByLabel('Camera', { exact: true })).toContainText('fake');
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'pre-join.png') });

  // Start muted with the camera off.
  await page.getByRole('button', { name: 'Mic on' }).click();
  await page.getByRole('button', { name: 'Camera on' }).click();
  await expect(page.getByRole('button', { name: 'Mic muted' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Camera off' })).toBeVisible();
  await expect(page.getByText('Camera is off')).toBeVisible();
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start video' })).toBeVisible();
  await page.keyboard.press('Shift+L');
  await page
    .getByRole('dialog', { name: 'Leave the meeting?' })
    .getByRole('button', { name: 'Leave' })
    .click();
  await expect(page.getByRole('heading', { name: 'You left the meeting' })).toBeVisible();

  // Next visit: the name and the meeting are remembered.
  await page.goto(`${host.origin}/`);
  await expect(page.getByRole('heading', { name: 'Recent meetings' })).toBeVisible();
  await page.getByRole('button', { name: new RegExp(new URL(host.origin).host) }).click();
  await expect(page.getByLabel('Your name')).toHaveValue('Grace Hopper');
  await page.close();
});

test('a wrong invite and a host that went away are explained', async ({ browser }) => {
  const host = await startTestHost({ webClientDir: WEB_CLIENT_DIR });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Said as the link opens: no name, no camera first (e2e/join-and-devices.spec.ts counts the requests).
  await page.goto(`${host.origin}/#/join?hub=${host.hub.id}&invite=not-the-secret`);
  await expect(page.getByRole('alert')).toContainText('This invite link is not valid');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'error-invite.png') });

  await page.goto(host.inviteUrl.replace(/^https?:\/\/[^/]+/, host.origin));
  await page.getByLabel('Your name').fill('Late Larry');
  await host.dispose();
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('alert')).toContainText('Cannot reach the host');
  await page.close();
});

test('the room works at phone width', async ({ joinAs }) => {
  await joinAs('Ada Phone');
  const ben = await joinAs('Ben Phone');
  await ben.setViewportSize({ width: 390, height: 844 });
  await expect(
    ben
      .getByTestId(/^tile-/)
      .filter({ hasText: 'Ada Phone' })
      .locator('video'),
  ).toBeVisible();
  const controls = ben.getByRole('navigation', { name: 'Meeting controls' });
  for (const name of ['Mute', 'Stop video', 'Leave']) {
    await expect(controls.getByRole('button', { name })).toBeInViewport();
  }
  await ben.screenshot({ path: join(SCREENSHOT_DIR, 'room-phone.png') });
});

test('over HTTPS, pre-join shows the certificate fingerprint in rows of eight bytes, none broken', async ({
  browser,
}) => {
  const host = await startTestHost({ webClientDir: WEB_CLIENT_DIR, insecureHttp: false });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    for (const [viewport, suffix] of [
      [{ width: 1280, height: 800 }, ''],
      [{ width: 390, height: 844 }, '-phone'],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto(host.inviteUrl);
      await expect(page.getByLabel('Your camera preview')).toBeVisible();
      const shown = page.locator(`[data-fingerprint="${host.fingerprint}"]`);
      await expect(shown).toBeVisible();
      const rows = shown.locator('.fingerprint-row');
      await expect(rows).toHaveCount(4);
      // Each row of eight bytes on one line: as tall as one line of its text.
      for (const box of await rows.evaluateAll((els) =>
        els.map((el) => el.getClientRects().length),
      ))
        expect(box).toBe(1);
      await expect(rows.first()).toHaveText(host.fingerprint!.split(':').slice(0, 8).join(' '));
      await page.screenshot({ path: join(SCREENSHOT_DIR, `prejoin-fingerprint${suffix}.png`) });
    }
  } finally {
    await context.close();
    await host.dispose();
  }
});
