import type { Page } from '@playwright/test';
import { percentile, round, within } from './lib';
import { LIMITS } from './soak-limits';
import { LEAVE_MODES, type LeaveMode, type Participant } from './soak-visitors';

type Harness = import('../testing/page-harness').Harness;
declare const harness: Harness;

// Visitors who left, until the room tells the steady participants they are
// gone: how long that took for each way of leaving, which departures are still
// in flight (the host may hold a dropped peer for a while to let it resume)
// and which never came.

export class Departures {
  /** Departed peers not yet announced as gone. */
  private readonly pending = new Map<string, { mode: LeaveMode; at: number }>();
  private readonly goneMs: Record<LeaveMode, number[]> = {
    leave: [],
    'page-close': [],
    'socket-close': [],
  };

  /** `watcher`: a steady participant's page that records departures (see watch()). */
  private constructor(private readonly watcher: Page) {}

  /** Records in each steady page when the room announces each departure; the first page's record is read. */
  static async watch(steady: Participant[]): Promise<Departures> {
    for (const { page } of steady) {
      await page.evaluate(() => {
        const record = window as unknown as { leftAt: Record<string, number> };
        record.leftAt = {};
        harness.socket.on('downstream-peer-left', ({ peer_id }) => {
          record.leftAt[peer_id] = Date.now();
        });
      });
    }
    return new Departures(steady[0]!.page);
  }

  /** `peerId` left by `mode` at `at`. */
  left(peerId: string, mode: LeaveMode, at = Date.now()): void {
    this.pending.set(peerId, { mode, at });
  }

  has(peerId: string): boolean {
    return this.pending.has(peerId);
  }

  /** Takes the departures the room announced since the last call. */
  async collect(): Promise<void> {
    const gone = await within(
      LIMITS.steadyCallMs,
      'departures',
      this.watcher.evaluate(() => {
        const record = window as unknown as { leftAt: Record<string, number> };
        const seen = record.leftAt;
        record.leftAt = {};
        return seen;
      }),
    );
    for (const [peerId, at] of Object.entries(gone)) {
      const departure = this.pending.get(peerId);
      if (!departure) continue;
      this.goneMs[departure.mode].push(Math.max(0, at - departure.at));
      this.pending.delete(peerId);
    }
  }

  /** Departures not yet announced and not yet stuck. */
  inFlight(): number {
    return [...this.pending.values()].filter((d) => Date.now() - d.at < LIMITS.stuckMs).length;
  }

  /** Departures never announced. */
  get neverGone(): number {
    return this.pending.size;
  }

  /** Median ms from leaving to the room's announcement, by way of leaving. */
  goneP50Ms(): Record<string, number> {
    return Object.fromEntries(
      LEAVE_MODES.map((mode) => [mode, round(percentile(this.goneMs[mode], 50), 0)]),
    );
  }
}
