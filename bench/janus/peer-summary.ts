import type { PeerOptions } from '../peer';
import { percentile, round } from '../lib';
import type { Side } from './side';

// What `npm run bench peer` makes of its samples: the per-participant join
// rows, the SFU cost rows (with the ratios and targets), the phase breakdown.

export const TARGETS = { joinP50: 0.8, cpuPerStream: 0.6 };

export interface CpuSample {
  seconds: number;
  /** Share of one core by process label (labels summed, e.g. several workers). */
  share: Record<string, number>;
  mbitPerS: number;
  packetsPerS: number;
  /** Frames decoded per second per remote video, and the median width received. */
  fpsPerStream: number;
  width: number;
  rss: Record<string, number>;
}

export interface Samples {
  joins: Record<number, number[]>;
  /** Per join, ms from its start at which each step of the client was done. */
  phases: Record<number, Record<string, number>[]>;
  cpu: CpuSample[];
  failures: string[];
  idleRss: Record<string, number>;
}

export function ordinal(n: number): string {
  return `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;
}

export const median = (values: number[]) => percentile(values, 50);
const mib = (bytes: number) => round(bytes / 2 ** 20, 1);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? null
    : round(a / b, 2);

export interface PeerJoinRow {
  participant: number;
  roundtableP50Ms: number | null;
  roundtableP95Ms: number | null;
  janusP50Ms: number | null;
  janusP95Ms: number | null;
  p50Ratio: number | null;
  p95Ratio: number | null;
  joins: string;
}

export interface PeerSfuRow {
  system: string;
  streams: number;
  cpuPct: Record<string, number>;
  cpuTotalPct: number | null;
  perStreamPct: number | null;
  mbitPerS: number | null;
  kpacketsPerS: number | null;
  /** What the subscribers decoded: frames per second per video, median width. */
  fps: number | null;
  width: number | null;
  perMbitPct: number | null;
  rssIdleMiB: number;
  rssCallMiB: number | null;
  rssCallSplitMiB: Record<string, number>;
}

export function summarize(
  options: PeerOptions,
  samples: Map<Side['name'], Samples>,
  janus: string | null,
) {
  const rt = samples.get('Roundtable');
  const jn = samples.get('Janus');
  const stat = (s: Samples | undefined, n: number, p: number) => {
    const list = s?.joins[n] ?? [];
    return list.length ? round(percentile(list, p), 0) : null;
  };
  const joinRows: PeerJoinRow[] = [];
  for (let n = 2; n <= options.people; n++) {
    const row: PeerJoinRow = {
      participant: n,
      roundtableP50Ms: stat(rt, n, 50),
      roundtableP95Ms: stat(rt, n, 95),
      janusP50Ms: stat(jn, n, 50),
      janusP95Ms: stat(jn, n, 95),
      p50Ratio: ratio(stat(rt, n, 50) ?? undefined, stat(jn, n, 50) ?? undefined),
      p95Ratio: ratio(stat(rt, n, 95) ?? undefined, stat(jn, n, 95) ?? undefined),
      joins: `${rt?.joins[n]?.length ?? 0}/${jn ? (jn.joins[n]?.length ?? 0) : '-'}`,
    };
    joinRows.push(row);
  }
  const streams = options.people * (options.people - 1);
  const sfuRows: PeerSfuRow[] = [...samples].map(([name, s]) => {
    const labels = Object.keys(s.idleRss);
    const total = s.cpu.map((c) => Object.values(c.share).reduce((a, b) => a + b, 0));
    const hasCpu = s.cpu.length > 0;
    return {
      system: name,
      streams,
      cpuPct: Object.fromEntries(
        labels.map((label) => [label, round(median(s.cpu.map((c) => c.share[label] ?? 0)) * 100)]),
      ),
      cpuTotalPct: hasCpu ? round(median(total) * 100) : null,
      perStreamPct: hasCpu ? round((median(total) * 100) / streams, 2) : null,
      mbitPerS: hasCpu ? round(median(s.cpu.map((c) => c.mbitPerS))) : null,
      kpacketsPerS: hasCpu ? round(median(s.cpu.map((c) => c.packetsPerS)) / 1000, 2) : null,
      fps: hasCpu ? round(median(s.cpu.map((c) => c.fpsPerStream))) : null,
      width: hasCpu ? median(s.cpu.map((c) => c.width)) : null,
      perMbitPct: hasCpu
        ? round(median(s.cpu.map((c, i) => (total[i]! * 100) / c.mbitPerS)), 2)
        : null,
      rssIdleMiB: mib(Object.values(s.idleRss).reduce((a, b) => a + b, 0)),
      rssCallMiB: hasCpu
        ? mib(median(s.cpu.map((c) => Object.values(c.rss).reduce((a, b) => a + b, 0))))
        : null,
      rssCallSplitMiB: Object.fromEntries(
        labels.map((label) => [label, mib(median(s.cpu.map((c) => c.rss[label] ?? 0)))]),
      ),
    };
  });
  const [rtSfu, jnSfu] = sfuRows;
  const perStreamRatio = ratio(rtSfu?.perStreamPct ?? undefined, jnSfu?.perStreamPct ?? undefined);
  const met = (value: number | null, target: number) =>
    value === null
      ? 'not measured'
      : value <= target
        ? `met (≤ ${target})`
        : `missed (> ${target})`;
  return {
    janus: janus ?? 'not measured: Roundtable alone',
    people: options.people,
    rounds: options.rounds,
    cpuSeconds: options.cpuSeconds,
    join: { steps: joinRows },
    sfu: {
      steps: sfuRows,
      perStreamRatio,
      perMbitRatio: ratio(rtSfu?.perMbitPct ?? undefined, jnSfu?.perMbitPct ?? undefined),
      rssCallRatio: ratio(rtSfu?.rssCallMiB ?? undefined, jnSfu?.rssCallMiB ?? undefined),
    },
    phases: { steps: phaseRows(options, samples) },
    targets: {
      joinP50: joinRows
        .filter((row) => row.participant <= 4)
        .map((row) => `${ordinal(row.participant)}: ${met(row.p50Ratio, TARGETS.joinP50)}`)
        .join('; '),
      cpuPerStream: met(perStreamRatio, TARGETS.cpuPerStream),
    },
    failures: [...samples].flatMap(([name, s]) => s.failures.map((f) => `${name} ${f}`)),
  };
}

/** Median ms from the join action to each step of each system's client, by participant. */
export function phaseRows(options: PeerOptions, samples: Map<Side['name'], Samples>) {
  return [...samples].flatMap(([name, s]) => {
    const rows: Record<string, string | number>[] = [];
    for (let n = 2; n <= options.people; n++) {
      const joins = s.phases[n] ?? [];
      if (!joins.length) continue;
      const names = Object.keys(joins[0]!);
      rows.push({
        system: name,
        participant: n,
        ...Object.fromEntries(
          names.map((phase) => [phase, round(median(joins.map((join) => join[phase] ?? NaN)), 0)]),
        ),
      });
    }
    return rows;
  });
}
