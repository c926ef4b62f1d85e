import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/chromium';

/** The origin test pages are served from: localhost is a secure context, so getUserMedia works. */
export const TEST_PAGE_ORIGIN = 'http://localhost:4999';

let mediasoupClientBundle: Promise<string> | undefined;

/** mediasoup-client as one script that defines `window.mediasoupClient`. */
function bundleMediasoupClient(): Promise<string> {
  mediasoupClientBundle ??= build({
    stdin: { contents: "export * from 'mediasoup-client';", resolveDir: process.cwd() },
    bundle: true,
    format: 'iife',
    globalName: 'mediasoupClient',
    platform: 'browser',
    write: false,
  }).then((result) => result.outputFiles[0]!.text);
  return mediasoupClientBundle;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/**
 * Opens an empty page on TEST_PAGE_ORIGIN (answered by Playwright, no server)
 * with mediasoup-client loaded.
 */
export async function openPageWithMediasoupClient(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route(`${TEST_PAGE_ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>test</title>' }),
  );
  await page.goto(`${TEST_PAGE_ORIGIN}/`);
  await page.addScriptTag({ content: await bundleMediasoupClient() });
  return page;
}
