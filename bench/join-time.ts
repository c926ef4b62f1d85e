import type { Page } from '@playwright/test';
import { launchChromium, openHarnessPage, writeHarnessWebClient } from '../testing/browser';
import { startTestHost } from '../testing/host';
import { percentile, round, sleep } from './lib';

type Harness = import('../testing/page-harness').Harness;
declare const harness: Harness;

const PHASES = [
  'serviceCalls',
  'accessGranted',
  'published',
  'entered',
  'consumed',
  'firstFrame',
] as const;
type Phase = (typeof PHASES)[number];

/**
 * Join time, measured the way a person feels it: from the start of the
 * scripted flow (the Join click) to the first decoded frame of every remote
 * video, for the 2nd, 3rd and 4th person in a room, with Chromium's fake
 * camera. Each phase is timed from the test side around the harness steps:
 * service calls (guest, socket, room.get, bind), access granted (and device
 * loaded), published (DTLS up, producers acknowledged), entered, consumed
 * (downstream-offer/response and consumers resumed), first frame.
 */
export async function benchJoinTime(rounds = Number(process.env.BENCH_JOIN_ROUNDS ?? 20)) {
  const host = await startTestHost({ webClientDir: await writeHarnessWebClient() });
  const browser = await launchChromium();
  const samples: Record<number, Record<Phase | 'total', number>[]> = { 2: [], 3: [], 4: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      const pages: Page[] = [];
      const peerIds: string[] = [];
      for (let n = 1; n <= 4; n++) {
        const page = await openHarnessPage(browser, host.origin);
        pages.push(page);
        const times: Partial<Record<Phase, number>> = {};
        const start = performance.now();
        let last = start;
        const mark = (phase: Phase) => {
          const now = performance.now();
          times[phase] = now - last;
          last = now;
        };
        await page.evaluate(([hubId, invite, name]) => harness.join(hubId, invite, name), [
          host.hub.id,
          host.hub.inviteSecret,
          `P${r}-${n}`,
        ] as const);
        mark('serviceCalls');
        const access = await page.evaluate(() => harness.requestAccess());
        mark('accessGranted');
        await page.evaluate(() => harness.publish());
        mark('published');
        await page.evaluate(() => harness.enter());
        mark('entered');
        for (const peerId of peerIds) await page.evaluate((id) => harness.consume(id), peerId);
        mark('consumed');
        if (n > 1) {
          while (true) {
            const frames = Object.values(await page.evaluate(() => harness.framesDecoded()));
            if (frames.length === n - 1 && frames.every((count) => count > 0)) break;
            await sleep(5);
          }
          mark('firstFrame');
          samples[n]!.push({ ...(times as Record<Phase, number>), total: last - start });
        }
        peerIds.push(access.peer_id);
      }
      await Promise.all(pages.map((page) => page.close()));
      // Let the room empty before the next round.
      while (host.rooms.size > 0) await sleep(20);
    }
  } finally {
    await browser.close();
    await host.dispose();
  }
  return Object.entries(samples).map(([n, list]) => ({
    participant: Number(n),
    joins: list.length,
    p50Ms: round(
      percentile(
        list.map((s) => s.total),
        50,
      ),
      0,
    ),
    p95Ms: round(
      percentile(
        list.map((s) => s.total),
        95,
      ),
      0,
    ),
    phasesP50Ms: Object.fromEntries(
      PHASES.map((phase) => [
        phase,
        round(
          percentile(
            list.map((s) => s[phase]),
            50,
          ),
          0,
        ),
      ]),
    ),
  }));
}
