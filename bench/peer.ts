import { loadavg } from 'node:os';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { janusMissingReason, janusVersion } from './janus/janus-process';
import { startJanusSide } from './janus/janus-side';
import { BenchNamespace } from './janus/namespace';
import { startRoundtableSide } from './janus/roundtable-side';
import { median, ordinal, summarize, type CpuSample, type Samples } from './janus/peer-summary';
import type { Participant, Side } from './janus/side';
import { cpuSeconds, pollUntil, round, rssBytes, sleep, within } from './lib';

/*
 * `npm run bench peer [-- --people 6 --rounds N --cpu-seconds S --no-janus]`:
 * Roundtable side by side with Janus Gateway's VideoRoom (Debian's `janus`,
 * 1.1.2 on bookworm) on this machine, with the same browser and the same
 * people. It installs nothing: without Janus (`apt-get install janus
 * libjs-janus-gateway`, or `ROUNDTABLE_BENCH_PEER=1 bash scripts/setup.sh`)
 * it says so and measures Roundtable alone, as `--no-janus` does.
 *
 * Method. Both SFUs run in a network namespace the benchmark makes and
 * deletes (bench/janus/namespace.ts), on 127.0.0.1, with one Debian Chromium
 * (fake camera and microphone, the e2e launch flags) inside it. Roundtable is
 * `npm run host`'s program with one mediasoup worker; Janus runs with
 * bench/janus/*.jcfg: VideoRoom plugin and WebSocket transport only, no
 * STUN, a media port range. Every person publishes the fake camera at 720p
 * in three VP8 simulcast layers (the app's encodings) and the microphone;
 * subscribers take the 640-px layer. Roundtable's pages run the scripted
 * client of testing/page-harness.ts in the app's order (sign in as a guest
 * and bind, access, publish, enter, then ask for every peer at once);
 * Janus's run Debian's janus.js with a lean page doing what Janus's
 * VideoRoom demo does (bench/janus/janus-page.ts). In both, people already
 * in the room start receiving a newcomer as soon as their server tells
 * them, while the newcomer joins. The order of the systems alternates every
 * round; both servers keep running throughout.
 *  - Join time: people join one after another, up to `people` (4, or 6 with
 *    --people 6); for the 2nd and later, from the join action (page already
 *    loaded) to a decoded frame (getStats framesDecoded > 0) from everyone
 *    already in the room, polled every 5 ms from here for both. p50 and p95
 *    over the rounds; the ratio is Roundtable / Janus. Each client also
 *    tells when its own steps were done (the phases table, medians).
 *  - SFU CPU: once everyone receives everyone, 5 s later, the CPU time
 *    (/proc/<pid>/stat, user + system) of the SFU's processes over
 *    `cpuSeconds`: Roundtable's host Node process and its worker, Janus's
 *    one process; per forwarded video stream (people × (people − 1), each
 *    with its audio), and per Mbit/s all browsers received in the same
 *    window (getStats inbound-rtp), with the frame rate and width they
 *    decoded: equal figures there mean equal load.
 *  - RSS (/proc/<pid>/status) of the same processes: idle before the first
 *    round, and at the end of each window (median).
 *
 * Known unfairness. The clients differ as the products do: Roundtable's join
 * includes a guest sign-up and binding to the room (Janus has no accounts),
 * one extra request per video consumer to set its layer, and one receive
 * PeerConnection where the demo opens one per publisher (each with its own
 * ICE and DTLS, in parallel). mediasoup fits each subscriber's layers
 * (spatial and temporal) to its bandwidth estimate; Janus forwards the
 * substream asked for: per stream, the CPU figures compare equal work only
 * when the Mbit/s and frame rates match, hence the per-Mbit/s column. Janus
 * is multi-threaded and may use both cores; Roundtable's worker is one
 * thread beside its Node process. Chromium's encoders and decoders and both
 * servers share two cores, so Chromium's CPU and bandwidth adaptation of the
 * simulcast layers shapes join times and bitrates alike, and anything else
 * running on the machine (other tests) adds noise to both: the load average
 * is in the result. Janus's transport-cc feedback period (200 ms) and
 * mediasoup's differ; janus.js gets a stand-in for webrtc-adapter (the demo
 * loads it from a CDN; Chromium needs none of its shims).
 */

export interface PeerOptions {
  people: number;
  rounds: number;
  cpuSeconds: number;
  /** Measure Roundtable alone even where Janus is installed (--no-janus). */
  noJanus?: boolean;
}

/** --people N (or BENCH_PEER_PEOPLE), --rounds N (BENCH_PEER_ROUNDS), --cpu-seconds S (BENCH_PEER_CPU_SECONDS), --no-janus. */
export function peerOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): PeerOptions {
  const option = (flag: string, variable: string, fallback: number, min: number, max: number) => {
    const index = argv.indexOf(flag);
    const value = Number(index >= 0 ? argv[index + 1] : (env[variable] ?? fallback));
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`${flag} (${variable}) must be a whole number from ${min} to ${max}`);
    return value;
  };
  return {
    people: option('--people', 'BENCH_PEER_PEOPLE', 4, 2, 8),
    rounds: option('--rounds', 'BENCH_PEER_ROUNDS', 5, 1, 100),
    cpuSeconds: option('--cpu-seconds', 'BENCH_PEER_CPU_SECONDS', 10, 1, 120),
    noJanus: argv.includes('--no-janus'),
  };
}

const STEP_TIMEOUT_MS = 30_000;
const SETTLE_MS = 5000;
/** The ratio targets of issue #14, reported, never asserted. */

export async function benchPeer(options: PeerOptions = peerOptions(process.argv.slice(2))) {
  const notInstalled = janusMissingReason();
  const cannotRun = notInstalled ?? BenchNamespace.unavailableReason();
  const missing = options.noJanus || cannotRun !== undefined;
  if (options.noJanus) console.log('Janus left out (--no-janus): Roundtable is measured alone.');
  else if (notInstalled)
    console.log(
      `${notInstalled}: Roundtable is measured alone. To compare, install it (as root): apt-get install janus libjs-janus-gateway, or ROUNDTABLE_BENCH_PEER=1 bash scripts/setup.sh`,
    );
  else if (cannotRun)
    console.log(`Janus cannot run here (${cannotRun}): Roundtable is measured alone.`);
  // Other work on the machine adds noise to both systems: the load is in the result.
  const loadAtStart = round(loadavg()[0]!, 1);
  const namespace = missing ? undefined : new BenchNamespace();
  const sides: Side[] = [];
  let browser: Browser | undefined;
  const samples = new Map<Side['name'], Samples>();
  try {
    const executablePath = chromiumLaunchOptions.executablePath ?? '/usr/bin/chromium';
    browser = await chromium.launch({
      ...chromiumLaunchOptions,
      executablePath: namespace ? namespace.chromium(executablePath) : executablePath,
    });
    sides.push(await startRoundtableSide(browser, namespace?.prefix ?? []));
    if (namespace) sides.push(await startJanusSide(browser, namespace));
    await sleep(1000);
    for (const side of sides)
      samples.set(side.name, {
        joins: {},
        phases: {},
        cpu: [],
        failures: [],
        idleRss: rssByLabel(side),
      });

    for (let r = 0; r < options.rounds; r++) {
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const line = await runRound(side, r, options, samples.get(side.name)!);
        console.log(`round ${r + 1}/${options.rounds} ${side.name}: ${line}`);
      }
    }
  } finally {
    for (const side of sides) await side.stop().catch(() => undefined);
    await browser?.close();
    namespace?.dispose();
  }
  return {
    ...summarize(options, samples, missing ? null : `Janus ${janusVersion()}`),
    loadAverage: { start: loadAtStart, end: round(loadavg()[0]!, 1) },
  };
}

/** One round on one side: people join one by one, then the CPU window; everyone leaves. */
async function runRound(side: Side, r: number, options: PeerOptions, into: Samples) {
  const people: Participant[] = [];
  const times: string[] = [];
  try {
    for (let n = 1; n <= options.people; n++) {
      const person = await side.open(r, n);
      people.push(person);
      const start = performance.now();
      const phases = await within(STEP_TIMEOUT_MS, `${ordinal(n)} join`, person.join());
      if (n === 1) continue;
      await pollUntil(
        async () => decodingFrom(await person.framesDecoded()) >= n - 1,
        STEP_TIMEOUT_MS,
        `${ordinal(n)} person's first frames`,
      );
      const ms = performance.now() - start;
      (into.joins[n] ??= []).push(ms);
      (into.phases[n] ??= []).push({ ...phases, firstFrame: Math.round(ms) });
      times.push(`${ordinal(n)} ${Math.round(ms)} ms`);
    }
    for (const [i, person] of people.entries()) {
      let frames: Record<string, number> = {};
      await pollUntil(
        async () => decodingFrom((frames = await person.framesDecoded())) >= options.people - 1,
        STEP_TIMEOUT_MS,
        `the ${ordinal(i + 1)} person receiving everyone`,
        50,
      ).catch((error: Error) => {
        throw new Error(`${error.message} (frames by publisher: ${JSON.stringify(frames)})`);
      });
    }
    // Let bandwidth estimation open the simulcast layers up first.
    await sleep(SETTLE_MS);
    const cpu = await measureWindow(side, people, options.cpuSeconds);
    into.cpu.push(cpu);
    const total = Object.values(cpu.share).reduce((a, b) => a + b, 0);
    times.push(
      `SFU CPU ${(total * 100).toFixed(1)} % at ${cpu.mbitPerS.toFixed(1)} Mbit/s (${cpu.fpsPerStream.toFixed(0)} fps, ${cpu.width} px)`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    into.failures.push(`round ${r + 1}: ${message}`);
    times.push(`failed: ${message}`);
  } finally {
    await Promise.all(people.map((person) => person.leave().catch(() => undefined)));
    // Let the server tidy up the room before the next round.
    await sleep(1000);
  }
  return times.join(', ');
}

function decodingFrom(frames: Record<string, number>): number {
  return Object.values(frames).filter((count) => count > 0).length;
}

async function measureWindow(
  side: Side,
  people: Participant[],
  seconds: number,
): Promise<CpuSample> {
  const received = async () => {
    const all = await Promise.all(people.map((person) => person.received()));
    return all.reduce((a, b) => ({
      bytes: a.bytes + b.bytes,
      packets: a.packets + b.packets,
      frames: a.frames + b.frames,
      widths: [...a.widths, ...b.widths],
    }));
  };
  const processes = side.processes();
  const cpuBefore = processes.map(({ pid }) => cpuSeconds(pid));
  const rxBefore = await received();
  const start = performance.now();
  await sleep(seconds * 1000);
  const cpuAfter = processes.map(({ pid }) => cpuSeconds(pid));
  const elapsed = (performance.now() - start) / 1000;
  const rxAfter = await received();
  const share: Record<string, number> = {};
  processes.forEach(({ label }, i) => {
    share[label] = (share[label] ?? 0) + (cpuAfter[i]! - cpuBefore[i]!) / elapsed;
  });
  return {
    seconds: elapsed,
    share,
    mbitPerS: ((rxAfter.bytes - rxBefore.bytes) * 8) / elapsed / 1e6,
    packetsPerS: (rxAfter.packets - rxBefore.packets) / elapsed,
    fpsPerStream: (rxAfter.frames - rxBefore.frames) / elapsed / rxAfter.widths.length,
    width: median(rxAfter.widths),
    rss: rssByLabel(side),
  };
}

function rssByLabel(side: Side): Record<string, number> {
  const rss: Record<string, number> = {};
  for (const { label, pid } of side.processes()) rss[label] = (rss[label] ?? 0) + rssBytes(pid);
  return rss;
}

export type PeerResult = Awaited<ReturnType<typeof benchPeer>>;
