import type { OnlineStatus } from '../../shared/protocol/services';
import type { Logger } from '../host/logger';

export type StatusEntries = readonly (readonly [userId: string, status: OnlineStatus])[];

/** Stores a batch of statuses, all or none; throws when storage cannot take them now. */
export type StatusSink = (entries: StatusEntries) => void;

export interface RetryPolicy {
  /** Delay before the first retry; each further failure doubles it, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * Retry delays for presence writes. A failing attempt holds the event loop
 * for the busy timeout (BUSY_TIMEOUT_MS, 200 ms; measured 200-320 ms) when
 * another process holds the database, so retries back off quickly to one
 * every 2.5-5 s: about 5% of the main thread during a long lock (media is
 * forwarded by the mediasoup workers, which this does not touch), and
 * presence is stored again within 5 s of storage coming back.
 */
export const PRESENCE_RETRY: RetryPolicy = { firstDelayMs: 250, maxDelayMs: 5_000 };

/**
 * The write-behind queue between Presence and storage. It keeps only the
 * latest status per user; when storage is healthy a status is written at
 * once, and when a write fails the queue waits and retries on an unref'd
 * timer with jittered exponential backoff, writing everything pending in one
 * batch. While a retry is scheduled new statuses only join the queue, so an
 * outage costs one failed attempt per retry, not one per leave or join.
 * It never throws: a failure streak is logged once when it starts and once
 * when it ends.
 */
export class StatusWriter {
  private readonly pending = new Map<string, OnlineStatus>();
  private timer: NodeJS.Timeout | undefined;
  /** Failed attempts in the current streak (0: storage is healthy). */
  private failures = 0;
  private streakStart = 0;
  private closed = false;
  /** The sink must be called even with nothing pending (writeSoon). */
  private owed = false;

  constructor(
    private readonly sink: StatusSink,
    private readonly log: Logger,
    private readonly retry: RetryPolicy = PRESENCE_RETRY,
    private readonly random: () => number = Math.random,
  ) {}

  /** Queues `status` as the one to store for `userId` and writes now unless a retry is already waiting. */
  write(userId: string, status: OnlineStatus): void {
    this.pending.set(userId, status);
    if (this.timer === undefined) this.flush();
  }

  /** The status waiting to be stored for `userId`, if any. */
  pendingStatus(userId: string): OnlineStatus | undefined {
    return this.pending.get(userId);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** True while writes are failing and a retry is scheduled. */
  get retrying(): boolean {
    return this.timer !== undefined;
  }

  /** Calls the sink even if nothing is pending (it has its own work to store), now or at the next retry. */
  writeSoon(): void {
    this.owed = true;
    if (this.timer === undefined) this.flush();
  }

  /** Tries to store everything pending now; returns whether the queue is empty afterwards. */
  flush(): boolean {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return this.pending.size === 0;
    const entries = [...this.pending];
    if (entries.length === 0 && !this.owed) return true;
    try {
      this.sink(entries);
    } catch (error) {
      if (!this.closed) this.failed(error);
      return false;
    }
    // The sink may close the writer (storage is gone for good): then nothing was stored.
    if (this.closed) return this.pending.size === 0;
    this.owed = false;
    for (const [userId, status] of entries)
      if (this.pending.get(userId) === status) this.pending.delete(userId);
    if (this.failures > 0) {
      this.log.info(
        { attempts: this.failures + 1, outageMs: Date.now() - this.streakStart },
        'presence is stored again',
      );
      this.failures = 0;
    }
    return this.pending.size === 0;
  }

  /** Stops retrying (the host is closing); what is pending stays unwritten. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private failed(error: unknown): void {
    if (this.failures === 0) {
      this.streakStart = Date.now();
      this.log.warn(
        { err: error, pending: this.pending.size },
        'cannot store presence; retrying in the background until storage works again',
      );
    }
    this.failures++;
    const ceiling = Math.min(
      this.retry.maxDelayMs,
      this.retry.firstDelayMs * 2 ** Math.min(this.failures - 1, 30),
    );
    // Half fixed, half random: hosts sharing a disk do not retry in lockstep.
    const delay = ceiling / 2 + (this.random() * ceiling) / 2;
    this.timer = setTimeout(() => this.flush(), delay);
    this.timer.unref();
  }
}
