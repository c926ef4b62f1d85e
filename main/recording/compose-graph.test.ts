import { expect, test } from 'vitest';
import { buildComposeCommand, sumOf, type GraphTrack } from './compose-graph';
import { escapeForGraph, escapeForSendcmd, escapeOption } from './ffmpeg-escape';
import { planLayout, type LayoutTrack } from './layout';

// The ffmpeg command for a timeline, as text (composer.test.ts runs it for real).

const name = "Zoë O'Brien: 100% [x], y;";
function track(id: string, peerId: string, displayName: string, extra: Partial<LayoutTrack>) {
  const base = { id, peerId, displayName, startMs: 0, endMs: 8000, pauses: [] };
  return {
    ...base,
    kind: 'video',
    source: 'camera',
    mediaDurationMs: 8000,
    ...extra,
  } as LayoutTrack;
}
const layoutTracks: LayoutTrack[] = [
  track('a-cam', 'a', name, { width: 640, height: 360 }),
  track('a-mic', 'a', name, { kind: 'audio', source: 'microphone' }),
  track('b-cam', 'b', 'Bob', { startMs: 2000, mediaDurationMs: 6000 }),
  // Paused all along: a name tile, never a video, so not an input.
  track('c-cam', 'c', 'Cy', { pauses: [{ fromMs: 0 }] }),
];
const tracks: GraphTrack[] = layoutTracks.map((t) => ({
  id: t.id,
  kind: t.kind,
  path: `/rec/tracks/${t.id}.mkv`,
  startMs: t.startMs,
  ...(t.kind === 'audio' && { channels: 1 }),
}));
const timeline = planLayout(layoutTracks, 8000);

function build(fontFile?: string) {
  const command = buildComposeCommand({
    timeline,
    tracks,
    outputPath: '/rec/recording.mp4.part',
    workDir: '/work',
    ...(fontFile && { fontFile }),
  });
  const file = (name: string) => command.files.find((f) => f.path === `/work/${name}`)?.text;
  return { args: command.args, script: file('filter.txt')!, file };
}

function inputsOf(args: string[]): string[] {
  return args.flatMap((arg, i) => (arg === '-i' ? [`${args[i + 1]}@${args[i - 1]}`] : []));
}

test('inputs: each shown video and every microphone once, shifted to its start, the graph in a script', () => {
  const { args, script } = build();
  expect(inputsOf(args)).toEqual([
    '/rec/tracks/a-cam.mkv@0.000',
    '/rec/tracks/b-cam.mkv@2.000',
    '/rec/tracks/a-mic.mkv@0.000',
  ]);
  expect(args.filter((a) => a === '-reinit_filter')).toHaveLength(3);
  expect(args).toEqual(expect.arrayContaining(['-filter_complex_script', '/work/filter.txt']));
  expect(args.slice(-3)).toEqual(['-f', 'mp4', '/rec/recording.mp4.part']);
  expect(args.join(' ')).toContain('-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -r 25');
  expect(args.join(' ')).toContain('-movflags +faststart');
  // Mono copied to both sides, gaps filled, summed at full level, cut to 200 frames of audio.
  expect(script).toContain('[2:a]aresample=48000:async=1:first_pts=0,pan=stereo|c0=c0|c1=c0[a0]');
  expect(script).toContain('amix=inputs=1:duration=longest:dropout_transition=0:normalize=0');
  expect(script).toContain(`atrim=end_sample=${8 * 48_000}[aout]`);
  expect(script).not.toContain('drawtext');
});

test('each video is scaled and placed per layout, from t; the background is drawn once per layout', () => {
  const { script, file } = build();
  // Two layouts: Alice and Cy, then Bob joins at frame 50.
  expect(timeline.segments.map((s) => [s.startFrame, s.endFrame])).toEqual([
    [0, 50],
    [50, 200],
  ]);
  const bob = script.split('\n').find((line) => line.startsWith('[1:v]'))!;
  expect(bob).toMatch(
    /^\[1:v\]fps=25,scale=eval=frame:w=max\(2\\,\d+\*gte\(t\\,1\.9800\)\*lt\(t\\,7\.9800\)\)/,
  );
  expect(script).toMatch(/\[o0\]\[t1\]overlay=x=\d+\*gte\(t\\,1\.9800\)\*lt\(t\\,7\.9800\):y=/);
  expect(script).toContain(':enable=gte(t\\,1.9800)*lt(t\\,7.9800):eof_action=pass[o1]');
  expect(script).toContain('select=expr=(eq(n\\,0)+eq(n\\,50))+(eq(n\\,199))');
  expect(script).toContain(',fps=25[bg]');
  // Three tiles at most, so three box slots, each moved at each layout's start.
  expect(script.match(/drawbox@b\d/g)).toHaveLength(3);
  expect(file('background.cmd')!.split('\n')[1]).toMatch(/^1\.9800-7\.9800 drawbox@b0 x \d+, /);
});

test('names: parked drawtext slots, relabelled per layout, with any character in a name kept', () => {
  const { script, file } = build('C:\\Fonts\\arial.ttf');
  // C:\Fonts\arial.ttf, escaped for drawtext's options, then for the graph.
  expect(script).toContain(String.raw`drawtext@n0=fontfile=C\\:\\\\Fonts\\\\arial.ttf:text=-`);
  expect(script).toContain('sendcmd=f=/work/captions.cmd,drawtext@c0=');
  const captions = file('captions.cmd')!;
  const escaped = escapeForSendcmd(`text=${escapeOption(name)}`);
  expect(captions).toContain(`drawtext@c0 reinit ${escaped}`);
  expect(file('background.cmd')).toContain('drawtext@n0 reinit text=Cy:');
  expect(script).not.toContain('Zoë');
});

test('a recording without microphones gets a silent track of the same length', () => {
  const silent = buildComposeCommand({
    timeline,
    tracks: tracks.filter((t) => t.kind === 'video'),
    outputPath: '/o.mp4',
    workDir: '/w',
  });
  expect(silent.files[0]!.text).toContain(
    `anullsrc=r=48000:cl=stereo,atrim=end_sample=${8 * 48_000}[aout]`,
  );
});

test('escaping, innermost first; long sums as balanced trees', () => {
  expect(escapeOption(String.raw`C:\a'b`)).toBe(String.raw`C\:\\a\'b`);
  expect(escapeForGraph(String.raw`x=C\:a\'b,[c];`)).toBe(String.raw`x=C\\:a\\\'b\,\[c\]\;`);
  expect(escapeForSendcmd(String.raw`text=a\:b c,d;`)).toBe(String.raw`text=a\\:b\ c\,d\;`);
  expect(sumOf([])).toBe('0');
  expect(sumOf(['a'])).toBe('a');
  expect(sumOf(['a', 'b', 'c', 'd', 'e'])).toBe('((a+b)+(c))+(d+e)');
  let depth = 0;
  let deepest = 0;
  for (const c of sumOf(Array.from({ length: 1000 }, (_, i) => `x${i}`))) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    deepest = Math.max(deepest, depth);
  }
  expect(deepest).toBeLessThanOrEqual(10);
});
