import type { WebSocketRoute } from '@playwright/test';
import { expect, framesDecoded, test } from './fixtures';

// A dropped WebSocket (Wi-Fi hiccup, host restart of the socket) recovers
// without reloading the page: the client says so, rejoins, and media flows again.

test('a dropped WebSocket reconnects and media flows again', async ({ browser, joinAs }) => {
  const ben = await joinAs('Ben Steady');

  let adaSocket: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
  const context = await browser.newContext();
  await context.routeWebSocket(/\/-\/ws$/, (page) => {
    adaSocket = { page, server: page.connectToServer() };
  });
  const ada = await joinAs('Ada Flaky', context);
  await expect
    .poll(async () => (await framesDecoded(ada)).filter((n) => n > 0).length, { timeout: 20_000 })
    .toBe(1);

  // The network drops Ada's socket.
  await adaSocket!.server.close();
  await adaSocket!.page.close({ code: 1006 });
  await expect(ada.getByRole('status')).toContainText('Reconnecting');
  await expect(ada.getByRole('status')).toBeHidden({ timeout: 20_000 });

  // Both see each other again, with fresh frames decoding.
  await expect
    .poll(async () => (await framesDecoded(ada)).filter((n) => n > 0).length, { timeout: 20_000 })
    .toBe(1);
  const seenByBen = ben.getByTestId(/^tile-/).filter({ hasText: 'Ada Flaky' });
  await expect(seenByBen).toHaveCount(1);
  await expect(seenByBen.locator('video')).toBeVisible({ timeout: 20_000 });
  const before = await framesDecoded(ben);
  await expect
    .poll(async () => (await framesDecoded(ben)).some((n, i) => n > (before[i] ?? 0)), {
      timeout: 20_000,
    })
    .toBe(true);
});
