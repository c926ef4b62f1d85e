import { fork } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { build } from 'esbuild';
import { launchChromium, openHarnessPage, writeHarnessWebClient } from '../testing/browser';
import { waitFor } from '../testing/wait';
import type { GuestData } from '../shared/protocol/services';
import { percentile, round, rssBytes, sleep } from './lib';

type Harness = import('../testing/page-harness').Harness;
declare const harness: Harness;

/**
 * Join/leave soak: does a meeting that people keep joining and leaving give
 * back what each visit took? The host runs as its own process (the program
 * `npm run host` runs, started by a small launcher built from LAUNCHER below
 * that serves the test harness page and, over an IPC channel, forces a GC and
 * reports the heap and the live mediasoup objects). Two steady participants
 * (Chromium pages with the fake camera and microphone) stay in the room with
 * real media the whole time; a third joins and leaves `cycles` times (one of
 * VISITORS people coming back in turn): a fresh page (a new tab of one
 * browser) joins, publishes audio and video, consumes both steady participants,
 * and both steady participants consume it; the cycle waits (bounded) until
 * video frames are decoded in all four directions involving the newcomer,
 * then it leaves, in turn by a clean leave (upstream-leave, then the page
 * closes), by closing the page (the socket goes away) and by dropping only
 * its socket (the path a network loss takes), then the page closes.
 * Departures are not waited for inside a cycle (a host may hold a dropped
 * peer for a while to let it resume); before each measurement the room must
 * be back to the two steady peers.
 *
 * Measured at the empty host, at the start (the steady pair in the room), the
 * middle and the end of the cycles, and once more after everyone left: the
 * host's RSS (/proc) and V8 heap after a forced full GC, its open file
 * descriptors, its mediasoup workers' RSS and descriptors (children of the
 * host in /proc), the room's peers (REST door, GET /rooms/:id/stats) and the
 * host's live mediasoup transports, producers and consumers plus the worker's
 * own count of objects (its channel request handlers, from worker.dump()).
 * Growth from the middle to the end, per cycle, is the leak figure: the
 * first half includes warm-up (JIT, pools, the database's page cache).
 */
export async function benchSoak(options: SoakOptions = soakOptions([])) {
  const scratch = mkdtempSync(join(tmpdir(), 'roundtable-soak-'));
  const webClientDir = await writeHarnessWebClient();
  const removeScratch = () => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(webClientDir, { recursive: true, force: true });
  };
  let host: SoakHost | undefined;
  let browser: Browser | undefined;
  // Ctrl+C: nothing outlives the bench.
  const onSignal = () => {
    host?.kill();
    removeScratch();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    host = await startSoakHost(webClientDir, scratch);
    browser = await launchChromium();
    return await soak(host, browser, options);
  } catch (error) {
    if (host) console.error(`host log (last lines):\n${host.logTail()}`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await browser?.close().catch(() => undefined);
    await host?.stop();
    removeScratch();
  }
}

export interface SoakOptions {
  cycles: number;
  /** Cycling stops at this point even if cycles remain; the end is measured then. */
  maxMinutes: number;
}

/** `--cycles N` and `--minutes M` from the bench's arguments (BENCH_SOAK_CYCLES also sets cycles). */
export function soakOptions(argv: string[], env = process.env): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: { cycles: { type: 'string' }, minutes: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const count = (name: string, value: unknown, fallback: number, max: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new Error(`soak: ${name} must be a whole number from 1 to ${max}, got "${value}"`);
    return n;
  };
  return {
    cycles: count('--cycles', values.cycles ?? env.BENCH_SOAK_CYCLES, DEFAULT_CYCLES, 100_000),
    maxMinutes: count('--minutes', values.minutes, 60, 24 * 60),
  };
}

/**
 * A cycle takes 1.2 to 1.8 s (median) on the 2-core machine, where three
 * Chromium pages with video share it with the host: 500 cycles took 12 min,
 * 1,000 took 33 min while other work loaded the machine.
 */
const DEFAULT_CYCLES = 500;
/**
 * The visitors are this many people coming back in turn, each signing up
 * once: the host takes 20 guest sign-ups a minute from one address, and the
 * app keeps its guest credential between visits. A person is back only after
 * the others' visits, well after the host stops holding a dropped peer.
 */
const VISITORS = 12;
const LEAVE_MODES = ['leave', 'page-close', 'socket-close'] as const;
type LeaveMode = (typeof LEAVE_MODES)[number];

/** Every wait is bounded. */
const LIMITS = {
  hostStartMs: 30_000,
  hostProbeMs: 15_000,
  /** Join to video decoded in every direction involving the newcomer. */
  mediaFlowMs: 20_000,
  /** One whole cycle, page included. */
  cycleMs: 60_000,
  /** One call into a steady participant's page. */
  steadyCallMs: 15_000,
  /** A departed peer still in the room after this counts as stuck (the figure shows it). */
  stuckMs: 60_000,
  /** Departures not yet seen by the room before a cycle waits for them. */
  maxInFlightDepartures: 20,
  consecutiveFailures: 5,
};

interface Participant {
  page: Page;
  roomId: string;
  peerId: string;
  producerIds: string[];
  videoId: string;
}

interface ProbeRow {
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

async function soak(host: SoakHost, browser: Browser, options: SoakOptions) {
  const started = performance.now();
  const deadline = Date.now() + options.maxMinutes * 60_000;
  const steps: ProbeRow[] = [];
  const steadyFrames: number[] = [];
  let roomId = '';

  const probe = async (point: string, cycles: number) => {
    const rest = roomId ? await host.roomStats(roomId) : { users: 0 };
    await sleep(500);
    const inside = await host.inside();
    const workers = host.workerPids();
    steps.push({
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
    });
  };

  await probe('empty host', 0);
  const steady: Participant[] = [];
  for (const name of ['Steady A', 'Steady B']) {
    const page = await openHarnessPage(browser, host.origin);
    const participant = await joinWithMedia(page, host, name);
    for (const other of steady)
      await page.evaluate((peerId) => harness.consume(peerId), other.peerId);
    steady.push(participant);
  }
  roomId = steady[0]!.roomId;
  const [a, b] = steady as [Participant, Participant];
  await a.page.evaluate((peerId) => harness.consume(peerId), b.peerId);
  for (const { page } of steady) {
    // When the room announces each departure, for the peer-gone times.
    await page.evaluate(() => {
      const record = window as unknown as { leftAt: Record<string, number> };
      record.leftAt = {};
      harness.socket.on('downstream-peer-left', ({ peer_id }) => {
        record.leftAt[peer_id] = Date.now();
      });
    });
  }
  const framesOf = (page: Page) =>
    within(
      LIMITS.steadyCallMs,
      'framesDecoded',
      page.evaluate(() => harness.framesDecoded()),
    );
  const steadyFlowing = async () => {
    const [ofA, ofB] = await Promise.all([framesOf(a.page), framesOf(b.page)]);
    return (ofA[b.videoId] ?? 0) > 0 && (ofB[a.videoId] ?? 0) > 0;
  };
  await waitFor(steadyFlowing, Boolean, {
    timeoutMs: LIMITS.mediaFlowMs,
    intervalMs: 100,
    what: 'video between the steady participants',
  });

  // Departed peers not yet announced as gone, and how long each departure took.
  const departed = new Map<string, { mode: LeaveMode; at: number }>();
  const goneMs: Record<LeaveMode, number[]> = { leave: [], 'page-close': [], 'socket-close': [] };
  const collectDepartures = async () => {
    const gone = await within(
      LIMITS.steadyCallMs,
      'departures',
      a.page.evaluate(() => {
        const record = window as unknown as { leftAt: Record<string, number> };
        const seen = record.leftAt;
        record.leftAt = {};
        return seen;
      }),
    );
    for (const [peerId, at] of Object.entries(gone)) {
      const departure = departed.get(peerId);
      if (!departure) continue;
      goneMs[departure.mode].push(Math.max(0, at - departure.at));
      departed.delete(peerId);
    }
  };
  const inFlight = () => [...departed.values()].filter((d) => Date.now() - d.at < LIMITS.stuckMs);
  /** Room back to the steady pair: every departure announced (or stuck), the REST door agreeing. */
  const settle = async () => {
    await waitFor(
      async () => {
        await collectDepartures();
        return inFlight().length === 0 && (await host.roomStats(roomId)).users === steady.length;
      },
      Boolean,
      { timeoutMs: LIMITS.stuckMs + 5_000, intervalMs: 200, what: 'the room to settle' },
    ).catch(() => undefined);
    const frames = await framesOf(a.page);
    steadyFrames.push(frames[b.videoId] ?? 0);
  };

  await settle();
  await probe('start', 0);

  const joinMs: number[] = [];
  const cycleMs: number[] = [];
  const errors: string[] = [];
  let done = 0;
  let failures = 0;
  let consecutive = 0;
  const middle = Math.floor(options.cycles / 2);
  // Visitors' pages share one browser context (tabs of one browser): a fresh
  // context per visitor costs more CPU than the visit itself on two cores.
  const visitors = await browser.newContext();
  const guests = new Map<number, GuestData>();
  try {
    for (let n = 1; n <= options.cycles; n++) {
      if (Date.now() > deadline) break;
      if (inFlight().length >= LIMITS.maxInFlightDepartures) {
        await waitFor(
          async () => (await collectDepartures(), inFlight().length < LIMITS.maxInFlightDepartures),
          Boolean,
          { timeoutMs: LIMITS.stuckMs, intervalMs: 200, what: 'departures' },
        ).catch(() => undefined);
      }
      const mode = LEAVE_MODES[(n - 1) % LEAVE_MODES.length]!;
      try {
        const cycleStarted = performance.now();
        joinMs.push(await cycle({ visitors, host, steady, n, mode, departed, guests }));
        cycleMs.push(performance.now() - cycleStarted);
        consecutive = 0;
      } catch (error) {
        failures++;
        consecutive++;
        if (errors.length < 5) {
          errors.push(`cycle ${n} (${mode}): ${(error as Error).message}`);
          console.error(`soak: ${errors.at(-1)}`);
        }
        if (consecutive >= LIMITS.consecutiveFailures)
          throw new Error(`soak: ${consecutive} cycles in a row failed:\n${errors.join('\n')}`, {
            cause: error,
          });
      }
      done = n;
      if (n % Math.max(1, Math.round(options.cycles / 10)) === 0) {
        const minutes = ((performance.now() - started) / 60_000).toFixed(1);
        console.log(`soak: ${n}/${options.cycles} cycles, ${minutes} min, ${failures} failed`);
      }
      await collectDepartures();
      if (n === middle && n < options.cycles) {
        await settle();
        await probe('middle', n);
      }
    }
  } finally {
    await visitors.close().catch(() => undefined);
  }
  await settle();
  await probe('end', done);

  await within(
    LIMITS.steadyCallMs,
    'leave',
    a.page.evaluate(() => harness.leave()),
  );
  await a.page.close();
  await b.page.close();
  await waitFor(
    async () => (await host.inside()).rooms,
    (rooms) => rooms === 0,
    {
      timeoutMs: LIMITS.stuckMs,
      what: 'the room to close',
    },
  ).catch(() => undefined);
  await probe('empty again', done);

  const row = (point: string) => steps.find((step) => step.point === point);
  const from = row('middle') ?? row('start')!;
  const to = row('end')!;
  const span = Math.max(1, to.cycles - from.cycles);
  const perCycleKiB = (key: 'hostRssMiB' | 'heapMiB' | 'workerRssMiB') =>
    round(((to[key] - from[key]) * 1024) / span, 2);
  const counters = [
    'hostFds',
    'workerFds',
    'rooms',
    'peers',
    'transports',
    'producers',
    'consumers',
    'workerObjects',
  ] as const;
  /** Counters that differ between two rows, or 'yes' when none does. */
  const same = (before: ProbeRow, after: ProbeRow, keys: readonly (typeof counters)[number][]) => {
    const grew = keys.filter((key) => after[key] !== before[key]);
    return grew.length
      ? `no: ${grew.map((key) => `${key} ${before[key]}→${after[key]}`).join(', ')}`
      : 'yes';
  };
  return {
    steps,
    cycles: done,
    asked: options.cycles,
    minutes: round((performance.now() - started) / 60_000),
    leaving: LEAVE_MODES.join(', '),
    failedCycles: failures,
    cycleP50Ms: round(percentile(cycleMs, 50), 0),
    joinToMediaP50Ms: round(percentile(joinMs, 50), 0),
    joinToMediaP95Ms: round(percentile(joinMs, 95), 0),
    peerGoneP50Ms: Object.fromEntries(
      LEAVE_MODES.map((mode) => [mode, round(percentile(goneMs[mode], 50), 0)]),
    ),
    peersNeverGone: departed.size,
    perCycleFromMiddleKiB: {
      hostRss: perCycleKiB('hostRssMiB'),
      heap: perCycleKiB('heapMiB'),
      workerRss: perCycleKiB('workerRssMiB'),
    },
    // The host's descriptors also count the pages' keep-alive HTTP connections: compared empty.
    countersBackToStart: same(
      row('start')!,
      to,
      counters.filter((key) => key !== 'hostFds'),
    ),
    emptyHostAsBefore: same(row('empty host')!, row('empty again')!, counters),
    steadyMediaKeptFlowing: steadyFrames.every(
      (frames, i) => i === 0 || frames > steadyFrames[i - 1]!,
    ),
    ...(errors.length ? { errors } : {}),
  };
}

/** One visit: join with media, media flowing every way, leave by `mode`. Returns join-to-media ms (from the join click, the page loaded). */
async function cycle({
  visitors,
  host,
  steady,
  n,
  mode,
  departed,
  guests,
}: {
  visitors: BrowserContext;
  host: SoakHost;
  steady: Participant[];
  n: number;
  mode: LeaveMode;
  departed: Map<string, { mode: LeaveMode; at: number }>;
  /** Each returning visitor's guest credential, by identity. */
  guests: Map<number, GuestData>;
}): Promise<number> {
  const page = await visitors.newPage();
  // A stuck call inside the page ends with the page.
  const timer = setTimeout(() => void page.close().catch(() => undefined), LIMITS.cycleMs);
  let visitor: Participant | undefined;
  try {
    // As openHarnessPage (testing/browser.ts) does, in the visitors' context.
    await page.goto(`${host.origin}/`);
    await page.waitForFunction(() => 'harness' in window);
    const started = performance.now();
    const identity = (n - 1) % VISITORS;
    const joined = await joinWithMedia(page, host, `Visitor ${identity + 1}`, guests.get(identity));
    guests.set(identity, joined.guest);
    visitor = joined;
    const { peerId: visitorId, videoId } = visitor;
    // As in a meeting: the newcomer asks for everyone while everyone asks for the newcomer.
    await Promise.all([
      (async () => {
        for (const other of steady)
          await page.evaluate((peerId) => harness.consume(peerId), other.peerId);
      })(),
      ...steady.map(({ page: steadyPage }) =>
        within(
          LIMITS.steadyCallMs,
          'consume',
          steadyPage.evaluate((peerId) => harness.consume(peerId), visitorId),
        ),
      ),
    ]);
    await waitFor(
      async () => {
        const [own, ...theirs] = await Promise.all(
          [page, ...steady.map((s) => s.page)].map((p) =>
            within(
              LIMITS.steadyCallMs,
              'framesDecoded',
              p.evaluate(() => harness.framesDecoded()),
            ),
          ),
        );
        return (
          steady.every((s) => (own![s.videoId] ?? 0) > 0) &&
          theirs.every((frames) => (frames[videoId] ?? 0) > 0)
        );
      },
      Boolean,
      { timeoutMs: LIMITS.mediaFlowMs, intervalMs: 50, what: `media of guest ${n}` },
    );
    const joinToMedia = performance.now() - started;

    const at = Date.now();
    if (mode === 'leave') await page.evaluate(() => harness.leave());
    if (mode === 'socket-close') await page.evaluate(() => harness.disconnect());
    await page.close();
    departed.set(visitorId, { mode, at });
    return joinToMedia;
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
    if (visitor) {
      if (!departed.has(visitor.peerId)) departed.set(visitor.peerId, { mode, at: Date.now() });
      await dropConsumersOf(steady, visitor.producerIds);
    }
  }
}

/** What a client does when a peer leaves: closes its consumers (their m-lines are reused). */
async function dropConsumersOf(steady: Participant[], producerIds: string[]): Promise<void> {
  await Promise.all(
    steady.map(({ page }) =>
      within(
        LIMITS.steadyCallMs,
        'drop consumers',
        page.evaluate((ids) => {
          for (const [id, consumer] of harness.consumers) {
            if (!ids.includes(consumer.producerId)) continue;
            consumer.close();
            harness.consumers.delete(id);
          }
          harness.pushed.length = 0;
        }, producerIds),
      ),
    ),
  );
}

/**
 * Joins as `name` with the fake camera and microphone, entered. With `guest`,
 * signs in with that guest credential instead of signing up again, as the app
 * does for someone coming back (it keeps the credential).
 */
async function joinWithMedia(
  page: Page,
  host: SoakHost,
  name: string,
  guest?: GuestData,
): Promise<Participant & { guest: GuestData }> {
  const joined = await page.evaluate(
    async ([hubId, invite, fullname, known]) => {
      const services = harness.services;
      const call = services.call.bind(services);
      let issued = known ?? undefined;
      services.call = (async (service, params) => {
        if (service !== 'yp.create_guest') return call(service, params);
        issued ??= (await call('yp.create_guest', params as never)) as GuestData;
        return issued;
      }) as typeof services.call;
      const result = await harness.join(hubId, invite, fullname);
      return { roomId: result.room.room_id, guest: issued! };
    },
    [host.hubId, host.invite, name, guest ?? null] as const,
  );
  const access = await page.evaluate(() => harness.requestAccess());
  const producerIds = await page.evaluate(() => harness.publish());
  await page.evaluate(() => harness.enter());
  const videoId = await page.evaluate(() => harness.producers.get('camera')!.id);
  return { ...joined, page, peerId: access.peer_id, producerIds, videoId };
}

/** Rejects when `work` takes longer than `ms` (the work itself is left to finish or fail). */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function getJson(url: string, token: string): Promise<{ status: number; body: unknown }> {
  return new Promise((done, fail) => {
    const request = httpGet(
      url,
      { agent: false, headers: { authorization: `Bearer ${token}` }, timeout: LIMITS.hostProbeMs },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', fail);
        response.on('end', () => {
          try {
            done({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch (error) {
            fail(error as Error);
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url} timed out`)));
    request.on('error', fail);
  });
}

const mib = (bytes: number) => round(bytes / 2 ** 20);

function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** Child processes of `pid` (any of its threads may have started them): the mediasoup workers. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * The launcher: the host exactly as `npm run host` starts it (parseHostConfig
 * on the same arguments, startHost), except that it serves the harness page,
 * and, over the IPC channel only, answers probes (full GC, then heap and live
 * mediasoup objects) and stops when the bench goes away. Built with esbuild
 * into dist/bench/, beside the bench's own bundle, so the host's packages
 * resolve from node_modules.
 */
const LAUNCHER = `
import * as mediasoup from 'mediasoup';
import { parseHostConfig } from './main/host/config';
import { startHost } from './main/host/host';

const live = { routers: 0, transports: 0, producers: 0, consumers: 0 };
const track = (kind, observer) => {
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
const config = parseHostConfig(args);
config.webClientDir = webClientDir;
const host = await startHost(config);

process.on('message', async (message) => {
  if (message?.type !== 'probe') return;
  try {
    globalThis.gc();
    globalThis.gc();
    const { heapUsed } = process.memoryUsage();
    const dumps = await Promise.all(host.pool.workers.map((entry) => entry.worker.dump()));
    process.send({
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
    process.send({ type: 'probe', id: message.id, error: String(error) });
  }
});
process.on('disconnect', () => {
  setTimeout(() => process.exit(1), 10_000).unref();
  host.close().finally(() => process.exit(0));
});
process.send({
  type: 'ready',
  url: host.urls[0],
  hubId: host.hub.id,
  invite: host.hub.inviteSecret,
  apiToken: host.apiToken,
});
`;

interface HostInside {
  heapUsed: number;
  rooms: number;
  mediasoup: { routers: number; transports: number; producers: number; consumers: number };
  workerObjects: number;
}

type SoakHost = Awaited<ReturnType<typeof startSoakHost>>;

async function startSoakHost(webClientDir: string, scratch: string) {
  const entry = resolve('dist/bench/soak-host.mjs');
  await build({
    stdin: {
      contents: LAUNCHER,
      resolveDir: process.cwd(),
      loader: 'ts',
      sourcefile: 'soak-host.ts',
    },
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const logPath = join(scratch, 'host.log');
  const log = openSync(logPath, 'a');
  const child = fork(
    entry,
    [
      webClientDir,
      '--insecure-http',
      '--port',
      '0',
      '--rtc-port',
      '0',
      '--workers',
      '1',
      '--announced-ip',
      '127.0.0.1',
      '--data-dir',
      join(scratch, 'data'),
    ],
    { execArgv: ['--expose-gc'], stdio: ['ignore', log, log, 'ipc'], env: process.env },
  );
  closeSync(log);
  const pid = child.pid!;
  const logTail = () =>
    existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n') : '';

  const replies = new Map<number, (reply: HostInside & { error?: string }) => void>();
  let nextId = 1;
  const ready = new Promise<{ url: string; hubId: string; invite: string; apiToken: string }>(
    (resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the host did not start in time')),
        LIMITS.hostStartMs,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the host exited (code ${code})`));
      });
      child.on('message', (message: { type: string; id?: number }) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolveReady(message as never);
        } else if (message.type === 'probe') replies.get(message.id!)?.(message as never);
      });
    },
  );
  // Captured while the host runs: after it exits, /proc no longer says whose children they were.
  let workers: number[] = [];
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const worker of workers) {
      try {
        process.kill(worker, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  let started;
  try {
    started = await ready;
  } catch (error) {
    kill();
    throw new Error(`${(error as Error).message}\n${logTail()}`, { cause: error });
  }
  workers = childPids(pid);
  const origin = new URL(started.url).origin;

  return {
    pid,
    origin,
    hubId: started.hubId,
    invite: started.invite,
    logTail,
    kill,
    workerPids: () => (workers = childPids(pid)),
    /** Forces a full GC in the host, then its heap and live mediasoup objects. */
    async inside(): Promise<HostInside> {
      const id = nextId++;
      const reply = new Promise<HostInside & { error?: string }>((done) => replies.set(id, done));
      child.send({ type: 'probe', id });
      try {
        const answer = await within(LIMITS.hostProbeMs, 'host probe', reply);
        if (answer.error) throw new Error(`host probe: ${answer.error}`);
        return answer;
      } finally {
        replies.delete(id);
      }
    },
    /** Peers in the room as the REST door reports them (0 once the room has closed). */
    async roomStats(roomId: string): Promise<{ users: number }> {
      // Connection: close, so the bench holds no socket of the host between probes.
      const { status, body } = await getJson(
        `${origin}/rooms/${encodeURIComponent(roomId)}/stats`,
        started.apiToken,
      );
      if (status === 404) return { users: 0 };
      if (status !== 200) throw new Error(`room stats: HTTP ${status}`);
      return { users: (body as { users: unknown[] }).users.length };
    },
    /** Graceful stop (the launcher closes the host when its channel closes), else SIGKILL. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        if (child.connected) child.disconnect();
        await within(10_000, 'host stop', exited).catch(() => undefined);
      }
      kill();
    },
  };
}
