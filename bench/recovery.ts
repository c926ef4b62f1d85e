import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { decodingProducers } from '../testing/app-page';
import { launchChromium } from '../testing/browser';
import { startTestHost, type TestHost } from '../testing/host';
import { percentile, round } from './lib';

/**
 * Recovery time from a media worker crash, as people feel it: three people
 * in a meeting with the real React client (built web client, Chromium's fake
 * camera), the worker carrying the room is SIGKILLed, and the clock runs
 * until every person decodes video again from every other person's new
 * producers (the room is rebuilt on the replacement worker; nobody clicks
 * anything). Sampled every 50 ms from the test side; `rounds` kills, one
 * worker (the hardest case: the room must wait for the replacement).
 */
export async function benchRecovery(rounds = Number(process.env.BENCH_RECOVERY_ROUNDS ?? 5)) {
  const webClientDir = resolve('dist/renderer');
  if (!existsSync(resolve(webClientDir, 'index.html')))
    throw new Error('the web client is not built: run `npm run build` first');
  const host = await startTestHost({ webClientDir, workers: 1 });
  const browser = await launchChromium();
  const samples: number[] = [];
  try {
    const pages = [];
    for (const name of ['Ada', 'Ben', 'Cy']) pages.push(await join(browser, host, name));
    await allDecoding(pages, new Set());
    for (let r = 0; r < rounds; r++) {
      const stale = new Set((await Promise.all(pages.map(decodingProducers))).flat());
      const room = host.rooms.get(host.store.roomIdFor(host.hub.id, 'meeting'))!;
      const killed = performance.now();
      process.kill(room.host.worker.pid, 'SIGKILL');
      await allDecoding(pages, stale);
      samples.push(performance.now() - killed);
    }
  } finally {
    await browser.close();
    await host.dispose();
  }
  return {
    rounds,
    p50Ms: round(percentile(samples, 50)),
    maxMs: round(Math.max(...samples)),
    samplesMs: samples.map((ms) => round(ms)),
  };
}

async function join(browser: Browser, host: TestHost, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.inviteUrl.replace(/^https?:\/\/[^/]+/, host.origin));
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.getByRole('navigation', { name: 'Meeting controls' }).waitFor();
  return page;
}

/** Resolves once every page decodes two remote videos from producers not in `stale` (60 s at most). */
async function allDecoding(pages: Page[], stale: Set<string>): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const views = await Promise.all(pages.map(decodingProducers));
    if (views.every((ids) => ids.filter((id) => !stale.has(id)).length === 2)) return;
    if (performance.now() > deadline) throw new Error('media did not come back within 60 s');
    await new Promise((done) => setTimeout(done, 50));
  }
}
