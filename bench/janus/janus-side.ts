import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { build } from 'esbuild';
import { within } from '../lib';
import { JANUS_JS, startJanus } from './janus-process';
import type { BenchNamespace } from './namespace';
import { CAMERA, type Participant, type Side, SIMULCAST, SUBSCRIBED_LAYER } from './side';
import { startStaticServer } from './static-server';

type JanusBench = import('./janus-page').JanusBench;
declare const janusBench: JanusBench;

/**
 * Janus's side of `npm run bench peer`: Debian's Janus in the benchmark's
 * namespace (janus-process.ts), and Chromium pages running Debian's janus.js
 * with janus-page.ts, served from loopback there by a small static server.
 */
export async function startJanusSide(browser: Browser, namespace: BenchNamespace): Promise<Side> {
  const janus = await startJanus(namespace.prefix, namespace.iceInterface);
  let server: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  try {
    const bundle = await build({
      entryPoints: ['bench/janus/janus-page.ts'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
    });
    server = await startStaticServer(namespace.prefix, {
      'index.html':
        '<!doctype html><title>Janus bench</title><script src="janus.js"></script><script src="janus-page.js"></script>',
      'janus.js': readFileSync(JANUS_JS, 'utf8'),
      'janus-page.js': bundle.outputFiles[0]!.text,
    });
  } catch (error) {
    await janus.stop();
    throw error;
  }
  const origin = server.origin;

  return {
    name: 'Janus',
    processes: () => [{ label: 'janus', pid: janus.pid }],
    async open(round, n): Promise<Participant> {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => 'janusBench' in window);
      return {
        page,
        join: () =>
          page.evaluate((options) => janusBench.join(options), {
            server: janus.wsUrl,
            room: janus.room,
            display: `P${round}-${n}`,
            camera: CAMERA,
            // janus.js's order (and Janus's default rid_order): highest first.
            encodings: [...SIMULCAST].reverse(),
            substream: SUBSCRIBED_LAYER,
          }),
        framesDecoded: () => page.evaluate(() => janusBench.framesDecoded()),
        received: () => page.evaluate(() => janusBench.received()),
        async leave() {
          await within(
            5000,
            'leaving',
            page.evaluate(() => janusBench.leave()),
          ).catch(() => undefined);
          await page.close();
        },
      };
    },
    async stop() {
      server?.stop();
      await janus.stop();
    },
  };
}
