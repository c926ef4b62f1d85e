import * as mediasoup from 'mediasoup';
import { parseHostConfig } from '../main/host/config';
import { startHost } from '../main/host/host';

// The soak's host process: the host exactly as `npm run host` starts it
// (parseHostConfig on the same arguments, startHost), except that it serves
// the harness page, and, over the IPC channel only, answers probes (full GC,
// then heap and live mediasoup objects) and stops when the bench goes away.
// bench/soak-host-control.ts bundles it with esbuild into dist/bench/, beside
// the bench's own bundle, so the host's packages resolve from node_modules,
// and runs it with --expose-gc. Arguments: the web client directory, then the
// host's own arguments.

/** What the host holds after a forced full GC. */
export interface HostInside {
  heapUsed: number;
  rooms: number;
  mediasoup: { routers: number; transports: number; producers: number; consumers: number };
  /** The worker's own count of objects: its channel request handlers (worker.dump()). */
  workerObjects: number;
}

/** What this process sends the bench over the IPC channel. */
export type SoakHostMessage =
  | { type: 'ready'; url: string; hubId: string; invite: string; apiToken: string }
  | ({ type: 'probe'; id: number } & (HostInside | { error: string }));

/** What the bench sends: a probe, answered by a 'probe' message with the same id. */
export interface SoakHostRequest {
  type: 'probe';
  id: number;
}

const live: HostInside['mediasoup'] = { routers: 0, transports: 0, producers: 0, consumers: 0 };
const track = (
  kind: keyof typeof live,
  observer: { once(event: 'close', listener: () => void): unknown },
) => {
  live[kind]++;
  observer.once('close', () => live[kind]--);
};
mediasoup.observer.on('newworker', (worker) =>
  worker.observer.on('newrouter', (router) => {
    track('routers', router.observer);
    router.observer.on('newtransport', (transport) => {
      track('transports', transport.observer);
      transport.observer.on('newproducer', (producer) => track('producers', producer.observer));
      transport.observer.on('newconsumer', (consumer) => track('consumers', consumer.observer));
    });
  }),
);

const [webClientDir, ...args] = process.argv.slice(2);
// The bench never asks for --help, the one case without a config.
const config = parseHostConfig(args)!;
config.webClientDir = webClientDir;
const host = await startHost(config);
const send = (message: SoakHostMessage) => process.send!(message);

process.on('message', async (message: SoakHostRequest | undefined) => {
  if (message?.type !== 'probe') return;
  try {
    globalThis.gc!();
    globalThis.gc!();
    const { heapUsed } = process.memoryUsage();
    const dumps = await Promise.all(host.pool.workers.map((entry) => entry.worker.dump()));
    send({
      type: 'probe',
      id: message.id,
      heapUsed,
      rooms: host.rooms.size,
      mediasoup: { ...live },
      workerObjects: dumps.reduce(
        (sum, dump) => sum + dump.channelMessageHandlers.channelRequestHandlers.length,
        0,
      ),
    });
  } catch (error) {
    send({ type: 'probe', id: message.id, error: String(error) });
  }
});
process.on('disconnect', () => {
  setTimeout(() => process.exit(1), 10_000).unref();
  host.close().finally(() => process.exit(0));
});
send({
  type: 'ready',
  url: host.urls[0]!,
  hubId: host.hub.id,
  invite: host.hub.inviteSecret,
  apiToken: host.apiToken,
});
