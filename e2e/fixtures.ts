import { join, resolve } from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { decodingProducers, videoStats } from '../testing/app-page';
import { startTestHost, type TestHost } from '../testing/host';

/**
 * The built web client (npm run build) as the host serves it to browsers;
 * ROUNDTABLE_WEB_CLIENT_DIR points at another build (`npx vite build --outDir <dir>`).
 */
export const WEB_CLIENT_DIR = process.env.ROUNDTABLE_WEB_CLIENT_DIR ?? resolve('dist/renderer');
/** Screenshots of each screen; `UPDATE_SCREENSHOTS=1 npm run test:e2e` refreshes the README's in docs/. */
export const SCREENSHOT_DIR = resolve(
  process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots',
);

/** The two sizes every screen is looked at: a laptop and a phone held upright. */
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Screenshots of what `page` shows now, at laptop and phone size (laptop size after). */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(LAPTOP);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`) });
  await page.setViewportSize(LAPTOP);
}

export interface Fixtures {
  /** A real host with a fresh data directory, serving the built web client. */
  host: TestHost;
  /** Joins the host's meeting as a new person in their own browser context; closed after the test. */
  joinAs(name: string, context?: BrowserContext): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  host: async ({}, use) => {
    const host = await startTestHost({ webClientDir: WEB_CLIENT_DIR });
    await use(host);
    await host.dispose();
  },
  joinAs: async ({ browser, host }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (name, context) => {
      const own = context ?? (await browser.newContext());
      contexts.push(own);
      return joinMeeting(own, host, name);
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});
export { expect };

/** `link` as served by the host at `origin` (the test reaches it there, not at the LAN address the link names). */
export const onHost = (link: string, origin: string) => link.replace(/^https?:\/\/[^/]+/, origin);

/** A person opening `link` in `context`, as far as pre-join with `name` typed and the camera preview on. */
export async function openPreJoin(
  context: BrowserContext,
  link: string,
  name: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(LAPTOP);
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await expect(page.getByLabel('Your camera preview')).toBeVisible();
  return page;
}

/**
 * A person opening the invite link (or `link`) in `context` and joining as
 * `name`; `beforeJoin` looks at the pre-join screen first.
 */
export async function joinMeeting(
  context: BrowserContext,
  target: Pick<TestHost, 'inviteUrl' | 'origin'> | string,
  name: string,
  beforeJoin?: (page: Page) => Promise<void>,
): Promise<Page> {
  const link = typeof target === 'string' ? target : onHost(target.inviteUrl, target.origin);
  const page = await openPreJoin(context, link, name);
  await beforeJoin?.(page);
  await page.getByRole('button', { name: 'Join now' }).click();
  // Joining takes a few round trips and a DTLS handshake; on two loaded cores, more than 5 s.
  await expect(page.getByRole('navigation', { name: 'Meeting controls' })).toBeVisible({
    timeout: 60_000,
  });
  return page;
}

/** Decoded frame counts of the page's remote videos (the client's receive stats). */
export async function framesDecoded(page: Page): Promise<number[]> {
  return Object.values(await videoStats(page)).map((entry) => entry.framesDecoded);
}

/** Waits until each page decodes `count` remote videos, none of them from the `stale` producers. */
export async function expectFreshMedia(pages: Page[], count: number, stale: string[] = []) {
  for (const page of pages) {
    await expect
      .poll(
        async () => (await decodingProducers(page)).filter((id) => !stale.includes(id)).length,
        { timeout: 30_000 },
      )
      .toBe(count);
  }
}

/** Mean brightness (0–255) of each remote video element's current frame. */
export function remoteVideoBrightness(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLVideoElement>(
        '[data-testid^="tile-"]:not([data-testid="tile-self"]) video',
      ),
    ].map((video) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const context = canvas.getContext('2d')!;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 4)
        sum += (pixels[i]! + pixels[i + 1]! + pixels[i + 2]!) / 3;
      return sum / (pixels.length / 4);
    }),
  );
}

/** Leaves the meeting with the control bar's Leave, confirming "Leave the meeting?". */
export async function leaveMeeting(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Meeting controls' })
    .getByRole('button', { name: 'Leave' })
    .click();
  await page
    .getByRole('dialog', { name: 'Leave the meeting?' })
    .getByRole('button', { name: 'Leave' })
    .click();
  await expect(page.getByRole('heading', { name: 'You left the meeting' })).toBeVisible();
}
