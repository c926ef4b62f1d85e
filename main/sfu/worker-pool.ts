import { networkInterfaces } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
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

/** The host's mediasoup workers, one per core by default, each with its WebRtcServer. */
export class WorkerPool {
  private readonly live: PooledWorker[] = [];
  private readonly deathListeners: ((dead: PooledWorker) => void)[] = [];

  private constructor(private readonly log: Logger) {}

  static async create(options: WorkerPoolOptions, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(log);
    try {
      for (let index = 0; index < options.count; index++) {
        await pool.start(index, options);
      }
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  private async start(index: number, options: WorkerPoolOptions): Promise<void> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      workerBin: options.workerBin,
      appData: { index },
    });
    const entry: PooledWorker = { index, worker, webRtcServer: undefined as never, routerCount: 0 };
    worker.on('died', (error) => {
      this.log.error(
        { err: error, pid: worker.pid, index },
        'mediasoup worker died; its rooms are closed',
      );
      this.live.splice(this.live.indexOf(entry), 1);
      for (const listener of this.deathListeners) listener(entry);
    });
    entry.webRtcServer = await worker.createWebRtcServer({
      listenInfos: webRtcServerListenInfos(
        options.addresses,
        options.rtcPort ? options.rtcPort + index : undefined,
      ),
    });
    this.live.push(entry);
  }

  get workers(): readonly PooledWorker[] {
    return this.live;
  }

  /** The worker with the fewest routers, preferring those not in `exclude`; throws when every worker has died. */
  leastLoaded(exclude: readonly PooledWorker[] = []): PooledWorker {
    const preferred = this.live.filter((entry) => !exclude.includes(entry));
    const [best] = [...(preferred.length ? preferred : this.live)].sort(
      (a, b) => a.routerCount - b.routerCount,
    );
    if (!best) throw new Error('no mediasoup worker is running');
    return best;
  }

  onWorkerDied(listener: (dead: PooledWorker) => void): void {
    this.deathListeners.push(listener);
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
    for (const entry of this.live.splice(0)) entry.worker.close();
  }
}
