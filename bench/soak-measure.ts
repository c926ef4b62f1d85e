import { fdCount, round, rssBytes, sleep } from './lib';
import type { SoakHost } from './soak-host-control';

// What the soak measures at each point, and the leak figures drawn from it:
// the host's RSS (/proc) and V8 heap after a forced full GC, its open file
// descriptors, its mediasoup workers' RSS and descriptors, the room's peers
// (REST door) and the live mediasoup objects, in the host and in the worker.

export interface ProbeRow {
  point: string;
  cycles: number;
  hostRssMiB: number;
  heapMiB: number;
  hostFds: number;
  workerRssMiB: number;
  workerFds: number;
  rooms: number;
  peers: number;
  transports: number;
  producers: number;
  consumers: number;
  workerObjects: number;
}

/** Counters: figures that must come back exactly, unlike memory. */
const COUNTERS = [
  'hostFds',
  'workerFds',
  'rooms',
  'peers',
  'transports',
  'producers',
  'consumers',
  'workerObjects',
] as const;
type Counter = (typeof COUNTERS)[number];

/** One row of the table, at `point` after `cycles` cycles; `roomId` empty before the room exists. */
export async function probeHost(
  host: SoakHost,
  roomId: string,
  point: string,
  cycles: number,
): Promise<ProbeRow> {
  const rest = roomId ? await host.roomStats(roomId) : { users: 0 };
  await sleep(500);
  const inside = await host.inside();
  const workers = host.workerPids();
  return {
    point,
    cycles,
    hostRssMiB: mib(rssBytes(host.pid)),
    heapMiB: mib(inside.heapUsed),
    hostFds: fdCount(host.pid),
    workerRssMiB: mib(workers.reduce((sum, pid) => sum + rssBytes(pid), 0)),
    workerFds: workers.reduce((sum, pid) => sum + fdCount(pid), 0),
    rooms: inside.rooms,
    peers: rest.users,
    transports: inside.mediasoup.transports,
    producers: inside.mediasoup.producers,
    consumers: inside.mediasoup.consumers,
    workerObjects: inside.workerObjects,
  };
}

/**
 * Growth from the middle (the start without one) to the end, per cycle: the
 * leak figure, as the first half includes warm-up (JIT, pools, the database's
 * page cache). And whether the counters came back: the room's to the start,
 * the empty host's to the empty host before.
 */
export function leakFigures(steps: ProbeRow[]) {
  const row = (point: string) => steps.find((step) => step.point === point);
  const from = row('middle') ?? row('start')!;
  const to = row('end')!;
  const span = Math.max(1, to.cycles - from.cycles);
  const perCycleKiB = (key: 'hostRssMiB' | 'heapMiB' | 'workerRssMiB') =>
    round(((to[key] - from[key]) * 1024) / span, 2);
  return {
    perCycleFromMiddleKiB: {
      hostRss: perCycleKiB('hostRssMiB'),
      heap: perCycleKiB('heapMiB'),
      workerRss: perCycleKiB('workerRssMiB'),
    },
    // The host's descriptors also count the pages' keep-alive HTTP connections: compared empty.
    countersBackToStart: same(
      row('start')!,
      to,
      COUNTERS.filter((key) => key !== 'hostFds'),
    ),
    emptyHostAsBefore: same(row('empty host')!, row('empty again')!, COUNTERS),
  };
}

/** Counters that differ between two rows, or 'yes' when none does. */
function same(before: ProbeRow, after: ProbeRow, keys: readonly Counter[]): string {
  const grew = keys.filter((key) => after[key] !== before[key]);
  return grew.length
    ? `no: ${grew.map((key) => `${key} ${before[key]}→${after[key]}`).join(', ')}`
    : 'yes';
}

const mib = (bytes: number) => round(bytes / 2 ** 20);
