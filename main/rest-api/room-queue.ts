import { HostError } from '../host/host-error';

// The REST door's per-room request queue: requests for one room run one at a
// time, so two of them never interleave half-done.

/** Requests for one room waiting or running at once; past this the room answers 429. */
export const MAX_PENDING_PER_ROOM = 32;

export class RoomQueue {
  /** Per room: the end of its request queue and how many requests are in it. */
  private readonly queues = new Map<string, { tail: Promise<void>; pending: number }>();

  /**
   * Runs `request` after the room's earlier requests have finished, so two
   * requests never interleave half-done. The room is looked up inside
   * `request`: one queued behind its room's deletion finds no room.
   */
  run<T>(roomId: string, request: () => Promise<T> | T): Promise<T> {
    let queue = this.queues.get(roomId);
    if (!queue) this.queues.set(roomId, (queue = { tail: Promise.resolve(), pending: 0 }));
    if (queue.pending >= MAX_PENDING_PER_ROOM) {
      return Promise.reject(
        new HostError('rate_limited', `too many requests for room ${roomId} at once; try again`),
      );
    }
    const own = queue;
    own.pending++;
    const result = own.tail.then(request);
    own.tail = result.then(
      () => undefined,
      () => undefined,
    );
    void own.tail.then(() => {
      // The last one out removes the queue: an idle room keeps none.
      if (--own.pending === 0 && this.queues.get(roomId) === own) this.queues.delete(roomId);
    });
    return result;
  }
}
