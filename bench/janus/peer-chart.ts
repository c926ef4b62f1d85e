import type { PeerJoinRow, PeerSfuRow } from './peer-summary';

// The chart of `npm run bench peer` (bench/results/peer.svg): join time p50
// per participant for both systems with a tick at p95, then SFU CPU per
// forwarded stream and RSS during the call.

const COLORS: Record<string, string> = { Roundtable: '#4f8cff', Janus: '#f5a524' };
const LEFT = 150;
const WIDTH = 760;

interface Bar {
  label: string;
  system: string;
  value: number;
  tick?: number;
  text: string;
}

function section(title: string, bars: Bar[], top: number): { svg: string; height: number } {
  const max = Math.max(...bars.map((bar) => Math.max(bar.value, bar.tick ?? 0)), 1e-9);
  // Room on the right for the longest label.
  const scale = (WIDTH - LEFT - 260) / max;
  const parts = [`<text x="10" y="${top + 14}" font-weight="bold">${title}</text>`];
  bars.forEach((bar, i) => {
    const y = top + 24 + i * 22;
    const w = Math.max(bar.value * scale, 1);
    parts.push(
      `<text x="10" y="${y + 13}">${bar.label}</text>`,
      `<rect x="${LEFT}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${COLORS[bar.system] ?? '#888'}"><title>${bar.system} ${bar.label}: ${bar.text}</title></rect>`,
    );
    if (bar.tick !== undefined) {
      const x = LEFT + bar.tick * scale;
      parts.push(
        `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y - 2}" y2="${y + 18}" stroke="#333" stroke-width="2"/>`,
      );
    }
    const textX = LEFT + Math.max(w, (bar.tick ?? 0) * scale) + 6;
    parts.push(`<text x="${textX.toFixed(1)}" y="${y + 13}">${bar.text}</text>`);
  });
  return { svg: parts.join(''), height: 34 + bars.length * 22 };
}

const ordinal = (n: number) => `${n}${n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

export function peerChart(result: {
  janus: string;
  join: { steps: PeerJoinRow[] };
  sfu: { steps: PeerSfuRow[] };
}): string {
  const joinBars: Bar[] = result.join.steps.flatMap((row) => {
    const bars: Bar[] = [];
    const add = (system: string, p50: number | null, p95: number | null) => {
      if (p50 !== null)
        bars.push({
          label: `${ordinal(row.participant)} ${system}`,
          system,
          value: p50,
          tick: p95 ?? undefined,
          text: `${p50} ms (p95 ${p95} ms)`,
        });
    };
    add('Roundtable', row.roundtableP50Ms, row.roundtableP95Ms);
    add('Janus', row.janusP50Ms, row.janusP95Ms);
    return bars;
  });
  const cpuBars: Bar[] = result.sfu.steps
    .filter((row) => row.perStreamPct !== null)
    .map((row) => ({
      label: row.system,
      system: row.system,
      value: row.perStreamPct!,
      text: `${row.perStreamPct} % of a core (${row.cpuTotalPct} % / ${row.streams}, ${row.mbitPerS} Mbit/s)`,
    }));
  const rssBars: Bar[] = result.sfu.steps
    .filter((row) => row.rssCallMiB !== null)
    .map((row) => ({
      label: row.system,
      system: row.system,
      value: row.rssCallMiB!,
      text: `${row.rssCallMiB} MiB (idle ${row.rssIdleMiB} MiB)`,
    }));
  const sections = [
    ['Join time to a frame from everyone, p50 (bar) and p95 (tick), by participant', joinBars],
    ['SFU CPU per forwarded video stream', cpuBars],
    ['SFU RSS during the call', rssBars],
  ] as const;
  let top = 26;
  const body = sections.map(([title, bars]) => {
    const { svg, height } = section(title, [...bars], top);
    top += height + 10;
    return svg;
  });
  const heading = `Roundtable and ${result.janus}: same Chromium, same people, loopback`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/><text x="10" y="16" font-weight="bold" font-size="13">${heading}</text>${body.join('')}</svg>\n`;
}
