import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchCapacity, benchForwarding } from './forwarding';
import { benchJoinTime } from './join-time';
import { peerChart } from './janus/peer-chart';
import { benchMemory } from './memory';
import { benchPeer, type PeerResult, peerOptions } from './peer';
import { benchRecording } from './recording';
import { benchRecovery } from './recovery';
import { benchSignaling } from './signaling';
import { benchSoak, soakOptions } from './soak';

// `npm run bench [name …]`: measures the real host on this machine and prints
// figures; writes bench/results/results.json and a chart of the join-time
// phases. Benchmarks never fail on a figure. The soak (`npm run bench soak --
// --cycles N`) runs only when named: it takes many minutes. So does the
// comparison with Janus (`npm run bench peer [-- --people 6]`), which writes
// bench/results/peer.json and peer.svg, and what recording costs (`npm run
// bench recording [-- --seconds S]`).

const BENCHES = {
  signaling: benchSignaling,
  memory: () => benchMemory(),
  forwarding: () => benchForwarding(),
  capacity: () => benchCapacity(),
  'join-time': () => benchJoinTime(),
  recovery: () => benchRecovery(),
  soak: () => benchSoak(soakOptions(process.argv.slice(2))),
  peer: () => benchPeer(peerOptions(process.argv.slice(2))),
  recording: () => benchRecording(),
} as const;
type BenchName = keyof typeof BENCHES;
const ON_REQUEST: BenchName[] = ['soak', 'peer', 'recording'];

const requested = process.argv.slice(2).filter((name): name is BenchName => name in BENCHES);
const names = requested.length
  ? requested
  : (Object.keys(BENCHES) as BenchName[]).filter((name) => !ON_REQUEST.includes(name));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const results: Record<string, unknown> = { machine, date: new Date().toISOString() };

console.log(`Roundtable benchmarks on ${machine}\n`);
for (const name of names) {
  const started = performance.now();
  const result = await BENCHES[name]();
  results[name] = result;
  console.log(`## ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  printResult(result);
}

const dir = join('bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
if (results['join-time'])
  writeFileSync(join(dir, 'join-time.svg'), joinTimeChart(results['join-time'] as JoinRow[]));
if (results.peer) {
  const peer = results.peer as PeerResult;
  writeFileSync(
    join(dir, 'peer.json'),
    `${JSON.stringify({ machine, date: results.date, ...peer }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'peer.svg'), peerChart(peer));
}
console.log(`\nwritten to ${dir}/`);
process.exit(0);

/** Tables for rows; nested results (e.g. capacity's two ramps) one table per part. */
function printResult(result: unknown, title?: string): void {
  if (title) console.log(title);
  if (Array.isArray(result)) return console.table(result.map((row) => flatten(row)));
  const { steps, ...summary } = result as { steps?: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  const nested = Object.entries(summary).filter(
    ([, value]) => value && typeof value === 'object' && 'steps' in (value as object),
  );
  for (const [key, value] of nested) printResult(value, key);
  const flat = Object.fromEntries(
    Object.entries(summary).filter(([key]) => !nested.some(([k]) => k === key)),
  );
  if (steps) console.table(steps.map((row) => flatten(row)));
  if (Object.keys(flat).length) console.table(flatten(flat));
}

function flatten(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).flatMap(([key, value]) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).map(([inner, v]) => [`${key}.${inner}`, v])
        : [[key, Array.isArray(value) ? JSON.stringify(value) : value]],
    ),
  );
}

interface JoinRow {
  participant: number;
  p50Ms: number;
  phasesP50Ms: Record<string, number>;
}

/**
 * A timeline per participant (2nd, 3rd, 4th): the median ms from the join
 * action at which the client marked each phase. Phases overlap (receiving
 * runs while publishing), so each segment ends where its phase was marked.
 */
function joinTimeChart(rows: JoinRow[]): string {
  const colors = [
    '#4f8cff',
    '#30a46c',
    '#f5a524',
    '#e5484d',
    '#8e4ec6',
    '#12a594',
    '#6e56cf',
    '#ad7f58',
  ];
  const phases = Object.keys(rows[0]?.phasesP50Ms ?? {});
  const max = Math.max(...rows.flatMap((row) => Object.values(row.phasesP50Ms)), 1);
  const width = Math.max(720, 10 + phases.length * 105);
  const scale = (width - 200) / max;
  const bars = rows.map((row, i) => {
    const y = 30 + i * 50;
    let from = 0;
    const marks = phases
      .map((phase, j) => ({ phase, j, at: row.phasesP50Ms[phase]! }))
      .filter((mark) => Number.isFinite(mark.at))
      .sort((a, b) => a.at - b.at);
    const segments = marks.map(({ phase, j, at }) => {
      const rect = `<rect x="${(120 + from * scale).toFixed(1)}" y="${y}" width="${((at - from) * scale).toFixed(1)}" height="30" fill="${colors[j % colors.length]}"><title>${phase} at ${at} ms</title></rect>`;
      from = at;
      return rect;
    });
    return `<text x="10" y="${y + 20}">participant ${row.participant}</text>${segments.join('')}<text x="${(126 + from * scale).toFixed(1)}" y="${y + 20}">${row.p50Ms} ms</text>`;
  });
  const legend = phases
    .map(
      (phase, j) =>
        `<rect x="${10 + j * 105}" y="${40 + rows.length * 50}" width="12" height="12" fill="${colors[j % colors.length]}"/><text x="${26 + j * 105}" y="${51 + rows.length * 50}">${phase}</text>`,
    )
    .join('');
  const height = 70 + rows.length * 50;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/><text x="10" y="16" font-weight="bold">Join time to first remote frame: when each phase was done (median ms)</text>${bars.join('')}${legend}</svg>\n`;
}
