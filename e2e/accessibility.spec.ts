import { expectAccessible } from './axe';
import { expect, test } from './fixtures';

// Every screen a person meets, checked with axe (WCAG 2.1 A and AA rules) at
// laptop and phone size: home, pre-join, the room, the room while
// reconnecting, and the screen of a meeting the host ended.

test('home, pre-join, room, reconnecting and ended screens have no axe violations', async ({
  browser,
  host,
  joinAs,
}) => {
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${host.origin}/`);
  await expect(visitor.getByRole('heading').first()).toBeVisible();
  await expectAccessible(visitor, 'home');
  await visitor.goto(host.inviteUrl.replace(/^https?:\/\/[^/]+/, host.origin));
  await expect(visitor.getByLabel('Your camera preview')).toBeVisible();
  await expectAccessible(visitor, 'pre-join');
  await visitorContext.close();

  await joinAs('Ben Axe');
  const context = await browser.newContext();
  let refuse = false;
  let drop: (() => Promise<void>) | undefined;
  await context.routeWebSocket(/\/-\/ws$/, (page) => {
    if (refuse) return void page.close({ code: 1013, reason: 'try again later' });
    const server = page.connectToServer();
    drop = async () => {
      await server.close();
      await page.close({ code: 1006 });
    };
  });
  const ada = await joinAs('Ada Axe', context);
  await expect(ada.getByTestId(/^tile-/).filter({ hasText: 'Ben Axe' })).toBeVisible();
  await expectAccessible(ada, 'room');

  refuse = true;
  await drop!();
  await expect(ada.getByRole('status')).toContainText('Reconnecting to the host');
  await expectAccessible(ada, 'room while reconnecting');
  refuse = false;
  await ada.getByRole('button', { name: 'Retry now' }).click();
  await expect(ada.getByRole('status')).toBeHidden({ timeout: 30_000 });

  await host.dispose();
  await expect(ada.getByText('The host ended the meeting')).toBeVisible();
  await expectAccessible(ada, 'meeting ended');
});
