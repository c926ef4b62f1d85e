import { ONLINE, type OnlineStatus } from '../../shared/protocol/services';
import type { HubStore } from '../storage/hub-store';

export type PresencePublisher = (hubId: string, userId: string, online: OnlineStatus) => void;

/**
 * Who is offline ("0"), online ("1") or in a meeting ("2"). A user with no
 * bound socket is offline; one in a room is in a meeting; otherwise online,
 * or the status they chose with desk.set_online_status. Every change is stored
 * (so the member list shows it) and published to each hub the user is in.
 */
export class Presence {
  private readonly sockets = new Map<string, number>();
  private readonly meetings = new Map<string, number>();
  private readonly chosen = new Map<string, OnlineStatus>();
  private readonly current = new Map<string, OnlineStatus>();

  constructor(
    private readonly store: HubStore,
    private readonly publish: PresencePublisher,
  ) {}

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
    this.store.setOnlineStatus(userId, status);
    for (const hubId of this.store.hubsOf(userId)) this.publish(hubId, userId, status);
  }
}
