import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';

/** An origin for pages that need no server: localhost is a secure context, so getUserMedia works. */
export const TEST_PAGE_ORIGIN = 'http://localhost:4999';

const bundles = new Map<string, Promise<string>>();

/** Bundles TypeScript module source for the browser, once per test process. */
function bundleForBrowser(source: string, globalName?: string): Promise<string> {
  let bundle = bundles.get(source);
  if (!bundle) {
    bundle = build({
      stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      ...(globalName ? { globalName } : {}),
    }).then((result) => result.outputFiles[0]!.text);
    bundles.set(source, bundle);
  }
  return bundle;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/**
 * Opens an empty page at `origin` + /__test__ (answered by Playwright; every
 * other request reaches the real server at that origin), running `script` if given.
 */
async function openPageWithScript(
  browser: Browser,
  origin: string,
  script?: Promise<string>,
): Promise<Page> {
  const page = await browser.newPage();
  const url = `${origin}/__test__`;
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>test</title>' }),
  );
  await page.goto(url);
  if (script) await page.addScriptTag({ content: await script });
  return page;
}

/** A blank page on a secure origin, for tests that drive a plain RTCPeerConnection. */
export function openBlankPage(browser: Browser): Promise<Page> {
  return openPageWithScript(browser, TEST_PAGE_ORIGIN);
}

/** A page with `window.mediasoupClient`. */
export function openPageWithMediasoupClient(browser: Browser): Promise<Page> {
  return openPageWithScript(
    browser,
    TEST_PAGE_ORIGIN,
    bundleForBrowser("export * from 'mediasoup-client';", 'mediasoupClient'),
  );
}

/**
 * Writes a web client directory whose index.html runs page-harness.ts, for a
 * test host to serve: the page must come from the host itself, as the real
 * client does (Chromium blocks a routed page's requests to loopback).
 */
export async function writeHarnessWebClient(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-harness-'));
  const script = await bundleForBrowser("import './testing/page-harness.ts';");
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>harness</title><script src="harness.js"></script>',
  );
  writeFileSync(join(dir, 'harness.js'), script);
  return dir;
}

/**
 * A page of the host's origin running seed-client.ts as `window.seedClient`:
 * one of the host's own non-page URLs, its document replaced (the origin
 * stays the host's, so Chromium lets it reach the host on loopback).
 */
export async function openSeedClientPage(
  context: Pick<Browser, 'newPage'>,
  hostOrigin: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/-/seed-client`);
  await page.setContent('<!doctype html><title>seed client</title>');
  await page.addScriptTag({
    content: await bundleForBrowser("import './testing/seed-client.ts';"),
  });
  await page.waitForFunction(() => 'seedClient' in window);
  return page;
}

/** A page on a host started with writeHarnessWebClient() as its web client, with `window.harness`. */
export async function openHarnessPage(browser: Browser, hostOrigin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${hostOrigin}/`);
  await page.waitForFunction(() => 'harness' in window);
  return page;
}

/**
 * A page of the host's origin running the web client's own meeting code
 * (app-client-page.ts) as `window.appClient`, 1280 px wide as a laptop: for
 * benchmarks that time the join people get. The document is replaced as in
 * openSeedClientPage.
 */
export async function openAppClientPage(
  context: Pick<Browser, 'newPage'>,
  hostOrigin: string,
): Promise<Page> {
  const page = await context.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${hostOrigin}/-/app-client`);
  await page.setContent('<!doctype html><title>app client</title>');
  await page.addScriptTag({
    content: await bundleForBrowser("import './testing/app-client-page.ts';"),
  });
  await page.waitForFunction(() => 'appClient' in window);
  return page;
}
