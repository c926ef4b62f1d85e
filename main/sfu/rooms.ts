import { Room } from './room';
import type { WorkerPool } from './worker-pool';

/**
 * Every live room of the host, by id. A room gets its router when it is first
 * opened and is dropped when it closes (last peer gone, or its worker died).
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly opening = new Map<string, Promise<Room>>();
  private readonly createdListeners: ((room: Room) => void)[] = [];

  constructor(private readonly pool: WorkerPool) {
    pool.onWorkerDied((dead) => {
      for (const room of this.rooms.values()) if (room.host === dead) room.close();
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
      pending = Room.create(id, hubId, this.pool.leastLoaded()).then((room) => {
        this.rooms.set(id, room);
        room.once('closed', () => this.rooms.delete(id));
        for (const listener of this.createdListeners) listener(room);
        return room;
      });
      pending.finally(() => this.opening.delete(id)).catch(() => undefined);
      this.opening.set(id, pending);
    }
    return pending;
  }

  /** Lets a door subscribe to each new room's events. */
  onRoomCreated(listener: (room: Room) => void): void {
    this.createdListeners.push(listener);
  }

  closeAll(): void {
    for (const room of [...this.rooms.values()]) room.close();
  }
}
