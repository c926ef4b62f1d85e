import type { RoomClosedReason } from '../../shared/protocol/messages';
import { Room } from './room';
import type { RoomPlacement } from './room-routers';
import type { WorkerPool } from './worker-pool';

/** How long opening a room waits for a worker while the pool replaces a dead one. */
const WORKER_WAIT_MS = 5_000;

/**
 * Every live room of the host, by id. A room gets its first router when it is
 * first opened, more when it outgrows one worker, and is dropped when it
 * closes (last peer gone, or one of its workers died).
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly opening = new Map<string, Promise<Room>>();
  private readonly createdListeners: ((room: Room) => void)[] = [];

  private readonly placement: RoomPlacement;

  constructor(
    private readonly pool: WorkerPool,
    peersPerRouter: number,
  ) {
    this.placement = { peersPerRouter, nextHost: (exclude) => pool.leastLoaded(exclude) };
    pool.on('died', (dead) => {
      for (const room of this.rooms.values())
        if (room.usesWorker(dead)) room.close('media_restarted');
    });
  }

  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** The room with this id, created on the least loaded worker if it is not live. */
  async open(id: string, hubId: string): Promise<Room> {
    const live = this.rooms.get(id);
    if (live) return live;
    let pending = this.opening.get(id);
    if (!pending) {
      // Right after a worker crash its replacement may still be starting: wait for it briefly.
      pending = this.pool.ready(WORKER_WAIT_MS).then(() =>
        Room.create(id, hubId, this.placement).then((room) => {
          this.rooms.set(id, room);
          room.once('closed', () => this.rooms.delete(id));
          for (const listener of this.createdListeners) listener(room);
          return room;
        }),
      );
      pending.finally(() => this.opening.delete(id)).catch(() => undefined);
      this.opening.set(id, pending);
    }
    return pending;
  }

  /** Lets a door subscribe to each new room's events. */
  onRoomCreated(listener: (room: Room) => void): void {
    this.createdListeners.push(listener);
  }

  closeAll(reason: RoomClosedReason): void {
    for (const room of [...this.rooms.values()]) room.close(reason);
  }
}
