import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { launchChromium, writeHarnessWebClient } from '../testing/browser';
import { waitFor } from '../testing/wait';
import type { GuestData } from '../shared/protocol/services';
import { percentile, round } from './lib';
import { Departures } from './soak-departures';
import { startSoakHost, type SoakHost } from './soak-host-control';
import { LIMITS } from './soak-limits';
import { leakFigures, probeHost, type ProbeRow } from './soak-measure';
import {
  framesOf,
  joinSteadyPair,
  LEAVE_MODES,
  leaveSteady,
  steadyMediaFlowing,
  visit,
} from './soak-visitors';

// The join/leave soak's run: its options, the host and browser around it, the
// cycles between the measurements, and the figures it prints. The host process
// is bench/soak-host.ts (held by soak-host-control.ts), the people are in
// soak-visitors.ts, the measurements in soak-measure.ts.

/**
 * Join/leave soak: does a meeting that people keep joining and leaving give
 * back what each visit took? The host runs as its own process (the program
 * `npm run host` runs, started by a small launcher, bench/soak-host.ts, that
 * serves the test harness page and, over an IPC channel, forces a GC and
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

async function soak(host: SoakHost, browser: Browser, options: SoakOptions) {
  const started = performance.now();
  const deadline = Date.now() + options.maxMinutes * 60_000;
  const steps: ProbeRow[] = [];
  const steadyFrames: number[] = [];
  let roomId = '';
  const probe = async (point: string, cycles: number) => {
    steps.push(await probeHost(host, roomId, point, cycles));
  };

  await probe('empty host', 0);
  const steady = await joinSteadyPair(browser, host);
  const [a, b] = steady;
  roomId = a.roomId;
  const departures = await Departures.watch(steady);
  await steadyMediaFlowing(steady);

  /** Room back to the steady pair: every departure announced (or stuck), the REST door agreeing. */
  const settle = async () => {
    await waitFor(
      async () => {
        await departures.collect();
        return (
          departures.inFlight() === 0 && (await host.roomStats(roomId)).users === steady.length
        );
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
      if (departures.inFlight() >= LIMITS.maxInFlightDepartures) {
        await waitFor(
          async () => (
            await departures.collect(),
            departures.inFlight() < LIMITS.maxInFlightDepartures
          ),
          Boolean,
          { timeoutMs: LIMITS.stuckMs, intervalMs: 200, what: 'departures' },
        ).catch(() => undefined);
      }
      const mode = LEAVE_MODES[(n - 1) % LEAVE_MODES.length]!;
      try {
        const cycleStarted = performance.now();
        joinMs.push(await visit({ visitors, host, steady, n, mode, departures, guests }));
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
      await departures.collect();
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

  await leaveSteady(steady);
  await waitFor(
    async () => (await host.inside()).rooms,
    (rooms) => rooms === 0,
    {
      timeoutMs: LIMITS.stuckMs,
      what: 'the room to close',
    },
  ).catch(() => undefined);
  await probe('empty again', done);

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
    peerGoneP50Ms: departures.goneP50Ms(),
    peersNeverGone: departures.neverGone,
    ...leakFigures(steps),
    steadyMediaKeptFlowing: steadyFrames.every(
      (frames, i) => i === 0 || frames > steadyFrames[i - 1]!,
    ),
    ...(errors.length ? { errors } : {}),
  };
}
