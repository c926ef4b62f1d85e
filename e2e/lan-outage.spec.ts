import type { Page } from '@playwright/test';
import { expect, framesDecoded, test } from './fixtures';
import { onTestLan } from './lan';

// One person's Wi-Fi goes away for 40 s, longer than ICE and the WebSocket
// tolerate, while they share their screen; the other person's link stays up.
// When the network is back the first rejoins by itself, screen share and all.

const setup = onTestLan(2);

async function join(machine: number, inviteUrl: string, name: string): Promise<Page> {
  const context = await setup.browser(machine).newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const lan = setup.lan();
  await page.goto(inviteUrl.replace(lan.hostIp, lan.hostIpFor(machine)));
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible();
  return page;
}

async function expectScreenShown(page: Page, owner: string) {
  const screen = page.locator('.spotlight').getByLabel(`${owner}'s screen`);
  await expect(screen).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(() => screen.evaluate((video: HTMLVideoElement) => video.videoWidth), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
}

test('a 40 s network cut: the client rejoins by itself and keeps sharing its screen', async () => {
  const lan = setup.lan();
  const { inviteUrl } = await lan.startHost();
  const ada = await join(0, inviteUrl, 'Ada Away');
  const ben = await join(1, inviteUrl, 'Ben Stays');
  await ada.getByRole('button', { name: 'Share screen' }).click();
  await expectScreenShown(ben, 'Ada Away');

  lan.cut(0);
  await expect(ada.getByRole('status')).toContainText('Reconnecting', { timeout: 30_000 });
  // Ben's link is fine: Ada's place is let go once her host side times out.
  await expect(ben.getByTestId(/^tile-/).filter({ hasText: 'Ada Away' })).toHaveCount(0, {
    timeout: 30_000,
  });
  // Stay down for 40 s in all, well past every timeout on either side.
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  await expect(ada.getByRole('status')).toContainText('Reconnecting');
  lan.restore(0);

  await expect(ada.getByRole('status')).toBeHidden({ timeout: 60_000 });
  await expect(
    ada
      .getByRole('navigation', { name: 'Meeting controls' })
      .getByRole('button', { name: 'Stop sharing' }),
  ).toBeVisible();
  await expectScreenShown(ben, 'Ada Away');
  // And Ada sees Ben again, with fresh frames.
  await expect
    .poll(async () => Math.max(0, ...(await framesDecoded(ada))), { timeout: 30_000 })
    .toBeGreaterThan(0);
});
