import { ONLINE, type HubMember, type OnlineStatus } from '../../shared/protocol/services';
import { createLogger, type Logger } from '../host/logger';
import type { HubStore } from '../storage/hub-store';
import {
  PRESENCE_RETRY,
  StatusWriter,
  type RetryPolicy,
  type StatusEntries,
} from './status-writer';

export type PresencePublisher = (hubId: string, userId: string, online: OnlineStatus) => void;

export interface PresenceOptions {
  /** Where storage failures are reported (once per outage). */
  log?: Logger;
  retry?: RetryPolicy;
}

/**
 * Who is offline ("0"), online ("1") or in a meeting ("2"). A user with no
 * bound socket is offline; one in a room is in a meeting; otherwise online,
 * or the status they chose with desk.set_online_status. Every change is
 * published to each hub the user is in and stored (so a restarted host and
 * the member list agree).
 *
 * Presence is the source of truth; storage follows it. Its methods run in the
 * socket close and join paths, so they never throw: a write that storage
 * refuses (disk full, database locked by another process) waits in a
 * StatusWriter queue and is retried in the background, and member lists read
 * the status from here (withLiveStatus), not from the possibly stale store.
 */
export class Presence {
  private readonly sockets = new Map<string, number>();
  private readonly meetings = new Map<string, number>();
  private readonly chosen = new Map<string, OnlineStatus>();
  private readonly current = new Map<string, OnlineStatus>();
  /** Hubs of users who are not offline, for publishing when storage cannot be read. */
  private readonly hubs = new Map<string, string[]>();
  private readonly log: Logger;
  private readonly writer: StatusWriter;
  /** The startup reset of stored statuses did not reach storage: the next write does it. */
  private resetOwed: boolean;
  private publishFailing = false;

  constructor(
    private readonly store: HubStore,
    private readonly publish: PresencePublisher,
    options: PresenceOptions = {},
  ) {
    this.log = options.log ?? createLogger('warn');
    this.writer = new StatusWriter(
      (entries) => this.persist(entries),
      this.log,
      options.retry ?? PRESENCE_RETRY,
    );
    this.resetOwed = store.takeStaleOnlineStatuses();
    if (this.resetOwed) this.writer.writeSoon();
  }

  socketBound(userId: string): void {
    this.count(this.sockets, userId, +1);
  }

  socketClosed(userId: string): void {
    this.count(this.sockets, userId, -1);
  }

  enteredMeeting(userId: string): void {
    this.count(this.meetings, userId, +1);
  }

  leftMeeting(userId: string): void {
    this.count(this.meetings, userId, -1);
  }

  choose(userId: string, status: OnlineStatus): void {
    this.chosen.set(userId, status);
    this.update(userId);
  }

  statusOf(userId: string): OnlineStatus {
    if (!this.sockets.get(userId)) return ONLINE.offline;
    if (this.meetings.get(userId)) return ONLINE.inMeeting;
    return this.chosen.get(userId) ?? ONLINE.online;
  }

  /** `members` (as stored) with each one's live status, which storage may not have yet. */
  withLiveStatus(members: HubMember[]): HubMember[] {
    return members.map((member) => {
      const online = this.statusOf(member.id);
      return member.online === online ? member : { ...member, online };
    });
  }

  /** Statuses not yet in storage (it failed and a retry is waiting). */
  get pendingWrites(): number {
    return this.writer.pendingCount + (this.resetOwed ? 1 : 0);
  }

  /** Tries to store what is pending now; true when storage is up to date. */
  flush(): boolean {
    return this.writer.flush() && !this.resetOwed;
  }

  /** Stops background retries (the host is closing its database). */
  close(): void {
    this.writer.close();
  }

  private count(counts: Map<string, number>, userId: string, delta: number): void {
    const next = (counts.get(userId) ?? 0) + delta;
    if (next > 0) counts.set(userId, next);
    else counts.delete(userId);
    if (!this.sockets.has(userId)) this.chosen.delete(userId);
    this.update(userId);
  }

  private update(userId: string): void {
    const status = this.statusOf(userId);
    if ((this.current.get(userId) ?? ONLINE.offline) === status) return;
    if (status === ONLINE.offline) this.current.delete(userId);
    else this.current.set(userId, status);
    this.writer.write(userId, status);
    const hubs = this.hubsOf(userId);
    if (status === ONLINE.offline) this.hubs.delete(userId);
    for (const hubId of hubs) {
      try {
        this.publish(hubId, userId, status);
      } catch (error) {
        // A publisher bug must not break the socket path either; say it once.
        if (!this.publishFailing) this.log.error({ err: error }, 'cannot publish presence');
        this.publishFailing = true;
      }
    }
  }

  private hubsOf(userId: string): string[] {
    try {
      const hubs = this.store.hubsOf(userId);
      this.hubs.set(userId, hubs);
      return hubs;
    } catch (error) {
      // Reads survive a full disk and a write lock (WAL); if even they fail,
      // publish to the hubs we knew, and say so without stopping.
      this.log.warn({ err: error, userId }, 'cannot read the hubs of a user to publish presence');
      return this.hubs.get(userId) ?? [];
    }
  }

  private persist(entries: StatusEntries): void {
    // The host closed its database (it is shutting down): stop, never retry forever.
    if (!this.store.isOpen) return this.writer.close();
    if (!this.resetOwed) return this.store.setOnlineStatuses(entries);
    // Everyone offline, then whoever is connected now (pending or not).
    this.store.resetOnlineStatusesTo(this.current);
    this.resetOwed = false;
  }
}
