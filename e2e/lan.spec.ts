import { expect, framesDecoded, test } from './fixtures';
import { onTestLan } from './lan';

// As on a real LAN: the host on its own address over HTTPS with its
// self-signed certificate, browsers on another machine (namespace) opening
// the invite link. Camera access needs the secure context HTTPS gives.

const setup = onTestLan();

test('two people join over HTTPS on a LAN address and see each other', async () => {
  const lan = setup.lan();
  const browser = setup.browser();
  const { inviteUrl, fingerprint } = await lan.startHost();
  expect(new URL(inviteUrl).origin).toBe(`https://${lan.hostIp}:8443`);
  expect(new URL(inviteUrl.replace('#/join?', '?')).searchParams.get('fp')).toBe(fingerprint);

  const pages = [];
  for (const name of ['Lan Ada', 'Lan Ben']) {
    // The person compared the fingerprint and accepted the host's certificate.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(inviteUrl);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    // The fingerprint to compare, grouped as browsers show it, byte rows never broken.
    const shown = page.locator(`[data-fingerprint="${fingerprint}"]`);
    await expect(shown).toBeVisible();
    await expect(shown).toContainText(fingerprint.split(':').slice(0, 8).join(' '));
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Join now' }).click();
    await expect(page.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible();
    pages.push(page);
  }
  for (const page of pages) {
    await expect
      .poll(async () => (await framesDecoded(page)).filter((n) => n > 0).length, {
        timeout: 30_000,
      })
      .toBe(1);
  }

  // The network goes away for longer than ICE and the WebSocket tolerate, then comes back:
  // the client says so and recovers (ICE restart or rejoin) without a reload.
  lan.cut();
  for (const page of pages) {
    await expect(page.getByRole('status')).toContainText('Reconnecting', { timeout: 45_000 });
  }
  lan.restore();
  for (const page of pages) {
    await expect(page.getByRole('status')).toBeHidden({ timeout: 60_000 });
    const before = Math.max(0, ...(await framesDecoded(page)));
    await expect
      .poll(async () => Math.max(0, ...(await framesDecoded(page))), { timeout: 30_000 })
      .toBeGreaterThan(before);
  }
});
