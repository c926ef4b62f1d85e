import type { Page } from '@playwright/test';
import { JOIN_PHASES } from '../renderer/meeting/join-phases';
import type { AppClientPage } from '../testing/app-client-page';
import { launchChromium, openAppClientPage } from '../testing/browser';
import { startTestHost } from '../testing/host';
import { percentile, pollUntil, round } from './lib';

declare const appClient: AppClientPage;

/** The client's own join marks (renderer/meeting/join-phases.ts), then the first frame of everyone. */
const PHASES = [...JOIN_PHASES.filter((phase) => phase !== 'start'), 'firstFrame'] as const;
type Phase = (typeof PHASES)[number];

/**
 * Join time, measured the way a person feels it: from the join action (the
 * page loaded, as after the pre-join screen) to the first decoded frame of
 * every remote video, for the 2nd, 3rd and 4th person in a room, with
 * Chromium's fake camera. The pages run the web client's own meeting code
 * (testing/app-client-page.ts); each phase is the ms from the start at which
 * the client marked it (they overlap: receiving runs while publishing).
 */
export async function benchJoinTime(rounds = Number(process.env.BENCH_JOIN_ROUNDS ?? 20)) {
  const host = await startTestHost();
  const browser = await launchChromium();
  const samples: Record<number, Record<Phase | 'total', number>[]> = { 2: [], 3: [], 4: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      const pages: Page[] = [];
      for (let n = 1; n <= 4; n++) {
        const page = await openAppClientPage(browser, host.origin);
        pages.push(page);
        const start = performance.now();
        const times = await page.evaluate((join) => appClient.join(join), {
          hubId: host.hub.id,
          invite: host.hub.inviteSecret,
          name: `P${r}-${n}`,
          camera: { width: 640, height: 480 },
        });
        if (n === 1) continue;
        await pollUntil(
          async () => {
            const frames = Object.values(await page.evaluate(() => appClient.framesDecoded()));
            return frames.length === n - 1 && frames.every((count) => count > 0);
          },
          30_000,
          `the ${n}th person's first frames`,
        );
        const total = performance.now() - start;
        samples[n]!.push({
          ...(Object.fromEntries(PHASES.map((phase) => [phase, times[phase] ?? NaN])) as Record<
            Phase,
            number
          >),
          firstFrame: total,
          total,
        });
      }
      await Promise.all(pages.map((page) => page.close()));
      // Let the room empty before the next round.
      await pollUntil(async () => host.rooms.size === 0, 30_000, 'the room emptying', 20);
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
