import { ONLINE, type OnlineStatus } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import { StoreBase } from './store-base';
import { inTransaction } from './storage-error';

/**
 * The online status stored for each user (what hub.get_members_by_type
 * falls back on). Presence owns the live status and writes it here behind a
 * retrying queue, so a storage outage never holds up a meeting.
 */
export abstract class OnlineStatusStore extends StoreBase {
  private staleOnlineStatuses = false;

  setOnlineStatus(userId: string, status: OnlineStatus): void {
    this.setOnlineStatuses([[userId, status]]);
  }

  /** Stores several users' statuses at once: one transaction, so one wait for the lock at most. */
  setOnlineStatuses(statuses: Iterable<readonly [userId: string, status: OnlineStatus]>): void {
    this.write(() => inTransaction(this.db, () => this.updateStatuses(statuses)));
  }

  /**
   * After a restart nobody is connected: everyone starts offline. Best
   * effort: when storage cannot be written (a full disk at startup), the host
   * still starts, the stale statuses are never shown (the member list comes
   * from Presence) and Presence stores offline for everyone once it can
   * (takeStaleOnlineStatuses). Returns whether the reset was stored.
   */
  resetOnlineStatuses(): boolean {
    try {
      this.write(() => this.resetStatuses());
      this.staleOnlineStatuses = false;
      return true;
    } catch (error) {
      if (!(error instanceof HostError) || error.reason !== 'unavailable') throw error;
      this.staleOnlineStatuses = true;
      return false;
    }
  }

  /** True once when resetOnlineStatuses could not be stored: the caller now owns retrying it. */
  takeStaleOnlineStatuses(): boolean {
    const stale = this.staleOnlineStatuses;
    this.staleOnlineStatuses = false;
    return stale;
  }

  /**
   * Offline for everyone, then `statuses` for those connected: what Presence
   * stores when the startup reset could not be.
   */
  resetOnlineStatusesTo(statuses: Iterable<readonly [userId: string, status: OnlineStatus]>): void {
    this.write(() =>
      inTransaction(this.db, () => {
        this.resetStatuses();
        this.updateStatuses(statuses);
      }),
    );
  }

  private updateStatuses(statuses: Iterable<readonly [userId: string, status: OnlineStatus]>) {
    const update = this.db.prepare('UPDATE users SET online_status = ? WHERE id = ?');
    for (const [userId, status] of statuses) update.run(Number(status), userId);
  }

  private resetStatuses(): void {
    this.db
      .prepare('UPDATE users SET online_status = ? WHERE online_status <> ?')
      .run(Number(ONLINE.offline), Number(ONLINE.offline));
  }
}
