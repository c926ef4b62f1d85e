import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { HostError } from '../host/host-error';
import type { Logger } from '../host/logger';

export interface WorkerPoolOptions {
  count: number;
  /** First media port; worker i listens on rtcPort + i. 0 lets the OS pick (tests). */
  rtcPort: number;
  /** Addresses clients reach the host at (announced in ICE candidates). */
  addresses: string[];
  workerBin: string | undefined;
}

export interface PooledWorker {
  index: number;
  worker: types.Worker;
  /** Every WebRtcTransport of this worker shares its server's ports, so a firewall opens one UDP and one TCP port per worker. */
  webRtcServer: types.WebRtcServer;
  /** Routers currently living on this worker, to spread rooms. */
  routerCount: number;
}

function isLocalAddress(ip: string): boolean {
  return Object.values(networkInterfaces()).some((infos) =>
    infos?.some((info) => info.address === ip),
  );
}

/**
 * Where a WebRtcServer listens: each local address is bound directly (so one
 * port serves every interface it announces); an address that is not on this
 * machine (NAT, container) is announced for a socket bound to all interfaces.
 */
export function webRtcServerListenInfos(
  addresses: string[],
  port: number | undefined,
): types.TransportListenInfo[] {
  const local = addresses.filter(isLocalAddress);
  const foreign = addresses.find((ip) => !isLocalAddress(ip));
  const bindings = foreign
    ? [{ ip: '0.0.0.0', announcedAddress: foreign }]
    : local.map((ip) => ({ ip }));
  return bindings.flatMap((binding) =>
    (['udp', 'tcp'] as const).map((protocol) => ({
      protocol,
      ...binding,
      ...(port ? { port } : {}),
    })),
  );
}

/** How a dead worker's replacement is paced: quick at first, slower when it keeps dying. */
export const RESTART_BACKOFF = {
  firstDelayMs: 100,
  maxDelayMs: 10_000,
  /** Deaths further apart than this do not count as "keeps dying". */
  streakWindowMs: 60_000,
  /** Consecutive failed starts of a slot, with no worker left alive, before the pool gives up. */
  maxFailedStarts: 5,
};

export interface WorkerPoolEvents {
  /** A worker died; its rooms must close (their routers are gone). */
  died: [dead: PooledWorker];
  /** A dead worker's slot runs again. */
  replaced: [fresh: PooledWorker];
  /** No worker runs and none can be started: the host cannot carry media any more. */
  fatal: [error: Error];
}

/**
 * The host's mediasoup workers, one per core by default, each with its
 * WebRtcServer. The pool keeps its size: a worker that dies (the OS kills
 * it under memory pressure, a crash) is replaced in the same slot, on the
 * same media port, with backoff when it keeps dying. When no worker is left
 * and none can be started, the pool says so ('fatal') so the host can exit
 * and a supervisor restart it.
 */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly live: PooledWorker[] = [];
  /** Recent death times per slot, for the backoff. */
  private readonly deaths = new Map<number, number[]>();
  /** Callers waiting for a live worker while every slot is restarting. */
  private readonly waiters: (() => void)[] = [];
  private readonly restarting = new Set<number>();
  private closed = false;

  private constructor(
    private readonly options: WorkerPoolOptions,
    private readonly log: Logger,
  ) {
    super();
  }

  static async create(options: WorkerPoolOptions, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(options, log);
    try {
      for (let index = 0; index < options.count; index++) await pool.start(index);
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  private async start(index: number): Promise<PooledWorker> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      workerBin: this.options.workerBin,
      appData: { index },
    });
    const entry: PooledWorker = { index, worker, webRtcServer: undefined as never, routerCount: 0 };
    worker.on('died', (error) => this.onDied(entry, error));
    try {
      entry.webRtcServer = await worker.createWebRtcServer({
        listenInfos: webRtcServerListenInfos(
          this.options.addresses,
          this.options.rtcPort ? this.options.rtcPort + index : undefined,
        ),
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    if (this.closed) {
      worker.close();
      throw new Error('the worker pool is closed');
    }
    this.live.push(entry);
    for (const wake of this.waiters.splice(0)) wake();
    return entry;
  }

  private onDied(entry: PooledWorker, error: Error): void {
    const at = this.live.indexOf(entry);
    if (at < 0) return;
    this.live.splice(at, 1);
    this.log.error(
      { err: error, pid: entry.worker.pid, index: entry.index },
      'mediasoup worker died; its rooms move to a fresh worker',
    );
    this.emit('died', entry);
    void this.replace(entry.index);
  }

  /** Starts the slot again after a delay that doubles with each recent death or failed start. */
  private async replace(index: number): Promise<void> {
    if (this.closed || this.restarting.has(index)) return;
    this.restarting.add(index);
    const now = Date.now();
    const recent = (this.deaths.get(index) ?? []).filter(
      (at) => now - at < RESTART_BACKOFF.streakWindowMs,
    );
    recent.push(now);
    this.deaths.set(index, recent);
    let failures = 0;
    try {
      for (;;) {
        const attempt = recent.length - 1 + failures;
        const delay =
          attempt === 0
            ? 0
            : Math.min(
                RESTART_BACKOFF.maxDelayMs,
                RESTART_BACKOFF.firstDelayMs * 2 ** (attempt - 1),
              );
        if (delay) await new Promise((resolve) => setTimeout(resolve, delay).unref());
        if (this.closed) return;
        try {
          const fresh = await this.start(index);
          this.log.info({ pid: fresh.worker.pid, index }, 'mediasoup worker replaced');
          this.emit('replaced', fresh);
          return;
        } catch (error) {
          failures++;
          this.log.error({ err: error, index, failures }, 'could not start a mediasoup worker');
          if (this.live.length === 0 && failures >= RESTART_BACKOFF.maxFailedStarts) {
            this.emit('fatal', new Error(`no mediasoup worker could be started: ${String(error)}`));
            return;
          }
        }
      }
    } finally {
      this.restarting.delete(index);
    }
  }

  get workers(): readonly PooledWorker[] {
    return this.live;
  }

  /** The worker with the fewest routers, preferring those not in `exclude`; throws when none is running. */
  leastLoaded(exclude: readonly PooledWorker[] = []): PooledWorker {
    const preferred = this.live.filter((entry) => !exclude.includes(entry));
    const [best] = [...(preferred.length ? preferred : this.live)].sort(
      (a, b) => a.routerCount - b.routerCount,
    );
    if (!best) throw new HostError('unavailable', 'the media server is restarting; try again');
    return best;
  }

  /**
   * Resolves once a worker runs, waiting up to `timeoutMs` while every slot is
   * being replaced (a room opened right after a crash lands on the fresh worker).
   */
  async ready(timeoutMs: number): Promise<void> {
    if (this.live.length || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /** The media sockets clients reach ("udp 192.168.1.20:40000"), for the start-up message. */
  async mediaSockets(): Promise<string[]> {
    const dumps = await Promise.all(this.live.map((entry) => entry.webRtcServer.dump()));
    return dumps.flatMap((dump) => [
      ...dump.udpSockets.map((socket) => `udp ${socket.ip}:${socket.port}`),
      ...dump.tcpServers.map((socket) => `tcp ${socket.ip}:${socket.port}`),
    ]);
  }

  close(): void {
    this.closed = true;
    for (const entry of this.live.splice(0)) entry.worker.close();
    for (const wake of this.waiters.splice(0)) wake();
  }
}
