import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { decodingProducers } from '../testing/app-page';
import { launchChromium } from '../testing/browser';
import { startTestHost, type TestHost } from '../testing/host';
import { freezeTree } from '../testing/processes';
import { percentile, round } from './lib';

/**
 * How quickly a meeting heals, as people feel it.
 *
 * Worker crash: three people
 * in a meeting with the real React client (built web client, Chromium's fake
 * camera), the worker carrying the room is SIGKILLed, and the clock runs
 * until every person decodes video again from every other person's new
 * producers (the room is rebuilt on the replacement worker; nobody clicks
 * anything). Sampled every 50 ms from the test side; `rounds` kills, one
 * worker (the hardest case: the room must wait for the replacement).
 *
 * Frozen participant: a fourth person's whole browser is stopped (SIGSTOP of
 * its process tree, a laptop that hangs), and the clock runs until the others'
 * peers list no longer has it (the host's heartbeat timeout plus its grace
 * period); then it is thawed and comes back by itself.
 */
export async function benchRecovery(rounds = Number(process.env.BENCH_RECOVERY_ROUNDS ?? 5)) {
  const webClientDir = resolve('dist/renderer');
  if (!existsSync(resolve(webClientDir, 'index.html')))
    throw new Error('the web client is not built: run `npm run build` first');
  const host = await startTestHost({ webClientDir, workers: 1 });
  const browser = await launchChromium();
  const samples: number[] = [];
  const frozenGoneMs: number[] = [];
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
    for (let r = 0; r < rounds; r++) frozenGoneMs.push(await frozenRemoval(host));
  } finally {
    await browser.close();
    await host.dispose();
  }
  return {
    rounds,
    workerKilledMediaBackP50Ms: round(percentile(samples, 50)),
    workerKilledMediaBackMaxMs: round(Math.max(...samples)),
    frozenPeerGoneP50Ms: round(percentile(frozenGoneMs, 50)),
    frozenPeerGoneMaxMs: round(Math.max(...frozenGoneMs)),
  };
}

/** Joins a person from a browser of its own, freezes that browser and times until the host lets them go. */
async function frozenRemoval(host: TestHost): Promise<number> {
  const server = await chromium.launchServer(chromiumLaunchOptions);
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    await join(browser, host, 'Frozen');
    const room = () => host.rooms.get(host.store.roomIdFor(host.hub.id, 'meeting'))!;
    const present = () => [...room().peers.values()].some((peer) => peer.fullname === 'Frozen');
    while (!present()) await new Promise((done) => setTimeout(done, 50));
    const thaw = freezeTree(server.process().pid!);
    const frozenAt = performance.now();
    try {
      const deadline = frozenAt + 60_000;
      while (present() && performance.now() < deadline)
        await new Promise((done) => setTimeout(done, 50));
      return performance.now() - frozenAt;
    } finally {
      thaw();
    }
  } finally {
    await browser.close();
    await server.close();
  }
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
