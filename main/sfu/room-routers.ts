import type { types } from 'mediasoup';
import { HostError } from '../host/host-error';
import { ROUTER_MEDIA_CODECS } from './codecs';
import type { RoomRouter } from './peer';
import type { PooledWorker } from './worker-pool';

export interface RoomPlacement {
  /** How many peers one router takes before the room opens a router on another worker. */
  peersPerRouter: number;
  /** The worker for the room's next router, avoiding those it already uses when it can. */
  nextHost(exclude: PooledWorker[]): PooledWorker;
}

/**
 * A room's routers: one to begin with, more on other workers when its peers
 * outgrow it, joined by pipeToRouter so everyone can receive everyone. One
 * router per worker: a producer piped between routers keeps its id, which
 * only works across workers.
 */
export class RoomRouters {
  private readonly entries: RoomRouter[];
  /** Producers piped to other routers, by `${producerId}>${routerId}`. */
  private readonly pipes = new Map<string, Promise<void>>();

  private constructor(
    primary: RoomRouter,
    private readonly placement: RoomPlacement,
  ) {
    this.entries = [primary];
  }

  static async open(placement: RoomPlacement): Promise<RoomRouters> {
    return new RoomRouters(await RoomRouters.openRouter(placement.nextHost([])), placement);
  }

  private static async openRouter(host: PooledWorker): Promise<RoomRouter> {
    const router = await host.worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
    host.routerCount++;
    return { host, router, peers: 0 };
  }

  /** Closes a router and gives its slot back to its worker's count (openRouter's counterpart). */
  private static closeRouter(entry: RoomRouter): void {
    entry.router.close();
    entry.host.routerCount--;
  }

  /** The first router: its RTP capabilities are every router's (same codecs). */
  get primary(): RoomRouter {
    return this.entries[0]!;
  }

  get all(): readonly RoomRouter[] {
    return this.entries;
  }

  /**
   * Where a new peer goes: the first router with room, else a new router on
   * a worker the room does not use yet, else the least crowded router.
   * `closed` says whether the room closed while a router was opening.
   */
  async place(closed: () => boolean): Promise<RoomRouter> {
    const open = this.entries.find((entry) => entry.peers < this.placement.peersPerRouter);
    if (open) return open;
    const used = this.entries.map((entry) => entry.host);
    const host = this.placement.nextHost(used);
    if (used.includes(host)) return [...this.entries].sort((a, b) => a.peers - b.peers)[0]!;
    const added = await RoomRouters.openRouter(host);
    if (closed()) {
      RoomRouters.closeRouter(added);
      throw new HostError('not_found', 'the room closed');
    }
    this.entries.push(added);
    return added;
  }

  /** Makes `producer` (living on `from`) available on `to`, once. */
  bringTo(producer: types.Producer, from: RoomRouter, to: RoomRouter): Promise<void> {
    if (from === to) return Promise.resolve();
    const key = `${producer.id}>${to.router.id}`;
    let pipe = this.pipes.get(key);
    if (!pipe) {
      pipe = from.router
        .pipeToRouter({ producerId: producer.id, router: to.router })
        .then(() => undefined);
      this.pipes.set(key, pipe);
      producer.observer.once('close', () => this.pipes.delete(key));
      pipe.catch(() => this.pipes.delete(key));
    }
    return pipe;
  }

  /** A router nobody uses any more (not the first) goes back to its worker. */
  releaseIfUnused(entry: RoomRouter): void {
    if (entry.peers > 0 || entry === this.primary) return;
    this.entries.splice(this.entries.indexOf(entry), 1);
    for (const key of this.pipes.keys())
      if (key.endsWith(`>${entry.router.id}`)) this.pipes.delete(key);
    RoomRouters.closeRouter(entry);
  }

  closeAll(): void {
    for (const entry of this.entries) RoomRouters.closeRouter(entry);
  }
}
