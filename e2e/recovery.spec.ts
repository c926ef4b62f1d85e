import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from '@playwright/test';
import { startTestHost } from '../testing/host';
import { decodingProducers } from '../testing/app-page';
import {
  expect,
  expectFreshMedia,
  framesDecoded,
  joinMeeting,
  SCREENSHOT_DIR,
  test,
  WEB_CLIENT_DIR,
} from './fixtures';

// The client's side of recovery: a dropped WebSocket comes back without a
// reload and with everything as the person left it; while the host cannot be
// reached the banner says so honestly with a countdown; a meeting that ended
// on purpose says why instead of retrying.

/** A browser context whose meeting WebSocket the test can drop, and refuse while `refuse` is set. */
async function flakyContext(browser: Browser) {
  const context = await browser.newContext();
  const link = {
    refuse: false,
    /** Sockets the page opened (every join attempt opens one). */
    opened: 0,
    current: undefined as { page: WebSocketRoute; server: WebSocketRoute } | undefined,
  };
  await context.routeWebSocket(/\/-\/ws$/, (page) => {
    link.opened++;
    if (link.refuse) {
      void page.close({ code: 1013, reason: 'try again later' });
      return;
    }
    link.current = { page, server: page.connectToServer() };
  });
  return {
    context,
    link,
    /** The network drops the socket: no goodbye on either side. */
    async drop() {
      await link.current!.server.close();
      await link.current!.page.close({ code: 1006 });
    },
  };
}

async function screenshotBothSizes(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

const tileOf = (page: Page, name: string) => page.getByTestId(/^tile-/).filter({ hasText: name });

test('a dropped WebSocket comes back with mute, camera off and the screen share as they were', async ({
  browser,
  joinAs,
}) => {
  const ben = await joinAs('Ben Steady');
  const flaky = await flakyContext(browser);
  const ada = await joinAs('Ada Flaky', flaky.context);
  await expectFreshMedia([ada], 1);

  // Ada mutes, turns her camera off and shares her screen.
  await ada.keyboard.press('m');
  await ada.keyboard.press('v');
  await ada.getByRole('button', { name: 'Share screen' }).click();
  const adaScreen = ben.locator('.spotlight').getByLabel("Ada Flaky's screen");
  await expect(adaScreen).toBeVisible({ timeout: 20_000 });
  await expect(tileOf(ben, 'Ada Flaky')).toHaveAttribute('data-muted', 'true');
  await expectFreshMedia([ben], 1);
  const beforeOnBen = await decodingProducers(ben);

  // The network drops Ada's socket.
  await flaky.drop();
  await expect(ada.getByRole('status')).toContainText('Reconnecting to the host');
  await expect(ada.getByRole('status')).not.toContainText('certificate');
  await expect(ada.getByRole('status')).toBeHidden({ timeout: 30_000 });

  // Ada's controls still say what she chose...
  await expect(ada.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(ada.getByRole('button', { name: 'Start video' })).toBeVisible();
  await expect(
    ada
      .getByRole('navigation', { name: 'Meeting controls' })
      .getByRole('button', { name: 'Stop sharing' }),
  ).toBeVisible();
  // ...and that is what Ben gets: one tile, muted, no camera, her screen large from a new producer.
  await expect(tileOf(ben, 'Ada Flaky')).toHaveCount(1);
  await expectFreshMedia([ben], 1, beforeOnBen);
  await expect(adaScreen).toBeVisible();
  await expect(tileOf(ben, 'Ada Flaky').locator('video')).toHaveCount(0);
  await expect(tileOf(ben, 'Ada Flaky')).toHaveAttribute('data-muted', 'true');
  // Ada receives Ben again (same producer, a new consumer: the old one went with the old link).
  await expectFreshMedia([ada], 1);

  // The republished microphone is live: unmuting reaches Ben.
  await ada.keyboard.press('m');
  await expect(tileOf(ben, 'Ada Flaky')).toHaveAttribute('data-muted', 'false');
  const before = await framesDecoded(ben);
  await expect
    .poll(async () => (await framesDecoded(ben)).some((n, i) => n > (before[i] ?? 0)), {
      timeout: 20_000,
    })
    .toBe(true);
});

test('while the host refuses the socket the banner counts down to the next try, and Retry now tries at once', async ({
  browser,
  joinAs,
}) => {
  await joinAs('Ben Patient');
  const flaky = await flakyContext(browser);
  const ada = await joinAs('Ada Waiting', flaky.context);
  const status = ada.getByRole('status');

  flaky.link.refuse = true;
  const openedBefore = flaky.link.opened;
  await flaky.drop();
  await expect(status).toContainText('Reconnecting to the host');
  // Attempt after attempt is refused; the client keeps trying, waiting longer each time.
  await expect
    .poll(() => flaky.link.opened - openedBefore, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(5);
  await expect(status).toContainText(/Next try in \d+ s/);
  await expect(status).not.toContainText(/certificate|first visit/);
  await expect(ada.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible();
  await screenshotBothSizes(ada, 'reconnecting');

  // The fifth wait is about 8 s: Retry now does not sit it out.
  const retry = ada.getByRole('button', { name: 'Retry now' });
  await expect(retry).toBeEnabled();
  const seconds = Number(/Next try in (\d+) s/.exec((await status.textContent()) ?? '')![1]);
  const opened = flaky.link.opened;
  await retry.click();
  await expect
    .poll(() => flaky.link.opened, { timeout: Math.max(1, seconds - 2) * 1000 })
    .toBeGreaterThan(opened);

  // The host takes sockets again: the next try gets in.
  flaky.link.refuse = false;
  await expect(retry).toBeEnabled();
  await retry.click();
  await expect(status).toBeHidden({ timeout: 30_000 });
  await expectFreshMedia([ada], 1);
});

test('the same person in a second tab takes over; the first tab says so and can take it back', async ({
  browser,
  host,
  joinAs,
}) => {
  const ben = await joinAs('Ben Watching');
  const context: BrowserContext = await browser.newContext();
  try {
    const first = await joinMeeting(context, host, 'Tess Twotabs');
    await expect(tileOf(ben, 'Tess Twotabs')).toHaveCount(1);
    const second = await joinMeeting(context, host, 'Tess Twotabs');
    const replaced = (page: Page) =>
      page.getByRole('heading', { name: 'You joined this meeting from another tab or device' });

    await expect(replaced(first)).toBeVisible();
    await expect(first.getByRole('status')).toHaveCount(0);
    await expect(first.getByRole('button', { name: 'Rejoin here' })).toBeVisible();
    // Ben sees Tess once, with the second tab's video.
    await expect(tileOf(ben, 'Tess Twotabs')).toHaveCount(1);
    await expect(tileOf(ben, 'Tess Twotabs').locator('video')).toBeVisible({ timeout: 20_000 });
    await screenshotBothSizes(first, 'ended-replaced');

    // Back to the first tab: it takes over, the second one is told.
    await first.getByRole('button', { name: 'Rejoin here' }).click();
    await expect(first.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible();
    await expect(replaced(second)).toBeVisible();
    await expect(tileOf(ben, 'Tess Twotabs')).toHaveCount(1);
    await expectFreshMedia([first], 1);
  } finally {
    await context.close();
  }
});

test('a host stopped on purpose ends the meeting: the client says so and does not retry', async ({
  browser,
}) => {
  const host = await startTestHost({ webClientDir: WEB_CLIENT_DIR });
  const context = await browser.newContext();
  let stopped = false;
  try {
    const ada = await joinMeeting(context, host, 'Ada Lastone');
    await host.close();
    stopped = true;
    await expect(ada.getByRole('heading', { name: 'The host ended the meeting' })).toBeVisible();
    await expect(ada.getByRole('status')).toHaveCount(0);
    await screenshotBothSizes(ada, 'ended-host');
  } finally {
    await context.close();
    if (stopped) rmSync(host.config.dataDir, { recursive: true, force: true });
    else await host.dispose();
  }
});
