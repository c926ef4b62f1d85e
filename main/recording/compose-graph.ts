import { join } from 'node:path';
import { escapeForGraph, escapeOption } from './ffmpeg-escape';
import type { Rect, Segment, Timeline } from './layout';
import { backgroundCommands, captionCommands, slotsFor, type Slots } from './segment-commands';

// The ffmpeg command that renders a Timeline. Pure: it returns the arguments
// and the files they name (the filter script, always a file so a long meeting
// never meets a command-line limit, and two sendcmd scripts).
//
// Output: MP4, H.264 (libx264, yuv420p) + AAC, +faststart. It plays in every
// browser, in QuickTime, in Windows' player and on phones without installing
// anything, which WebM/VP9 does not (QuickTime, older iOS), and x264 at a fast
// preset is the cheapest good encoder on a 2-core host.
//
// Video: the graph's size depends on the number of tracks, not on the number
// of layout changes (a long meeting has hundreds; a graph per layout took
// gigabytes). Each video track is read once, shifted to its startMs
// (-itsoffset), made constant-rate (fps), scaled to its tile of the moment
// (scale's size is re-evaluated per frame from t) and overlaid at its tile's
// position while the layout shows it (overlay's enable). Under them, a
// background of tile boxes and the names of people without video is drawn
// only on each layout's first frame (select) and repeated (fps): drawing it
// on every frame cost more than all the scaling. Camera resolution changes
// mid-stream (simulcast layers) go straight into scale: -reinit_filter 0.
//
// Audio: every microphone decoded, shifted to its startMs, gaps (pauses, DTX,
// a late start) filled with silence by aresample's async mode, summed by amix
// without normalising (normalize=0: a voice is as loud as it was however many
// others are in the mix), then padded or cut to the video's exact length.

export interface GraphTrack {
  id: string;
  kind: 'audio' | 'video';
  /** The file to read. */
  path: string;
  startMs: number;
  /** Video: how much media the file holds; shown past it, the last frame is held. */
  mediaDurationMs?: number;
  /** Audio: 1 when the file is mono (copied to both sides rather than downmixed 3 dB quieter). */
  channels?: number;
}

export interface ComposeGraphInput {
  timeline: Timeline;
  /** Every audio track to mix and at least the video tracks the timeline shows. */
  tracks: GraphTrack[];
  outputPath: string;
  /** Where the caller writes `files` (a fresh temporary folder). */
  workDir: string;
  /** Names are drawn when there is a font (and ffmpeg has drawtext). */
  fontFile?: string;
  encoder?: Partial<EncoderSettings>;
}

export interface EncoderSettings {
  /** x264 preset: `veryfast` is about 1.3 Mbit/s for a meeting and well ahead of real time on 2 cores. */
  preset: string;
  crf: number;
  audioBitrate: string;
}

export const DEFAULT_ENCODER: EncoderSettings = {
  preset: 'veryfast',
  crf: 23,
  audioBitrate: '128k',
};

export interface ComposeCommand {
  args: string[];
  /** To write before running ffmpeg. */
  files: { path: string; text: string }[];
}

const AUDIO_RATE = 48_000;
const BACKGROUND = '0x1b1b1f';
const TILE_BACKGROUND = '0x2e3038';
/** What a video is scaled to while the layout hides it (scaling to nothing is not allowed). */
const HIDDEN_SIZE = 2;

export function buildComposeCommand(input: ComposeGraphInput): ComposeCommand {
  const { timeline, workDir, fontFile } = input;
  const encoder = { ...DEFAULT_ENCODER, ...input.encoder };
  const shown = new Set(timeline.segments.flatMap(placementsOf).map((p) => p.trackId));
  const videos = input.tracks.filter((t) => t.kind === 'video' && shown.has(t.id));
  const audios = input.tracks.filter((t) => t.kind === 'audio');
  const slots = slotsFor(timeline);
  const files = [
    {
      path: join(workDir, 'background.cmd'),
      text: backgroundCommands(timeline, slots, !!fontFile),
    },
    { path: join(workDir, 'captions.cmd'), text: fontFile ? captionCommands(timeline, slots) : '' },
  ];
  const lines = [background(timeline, slots, files[0]!.path, fontFile)];
  let current = 'bg';
  videos.forEach((track, i) => {
    const { size, position, enable, shownUntilFrame } = trackExpressions(timeline, track.id);
    const hold = holdSeconds(timeline, track, shownUntilFrame);
    const held = hold > 0 ? `,${filter('tpad', { stop_mode: 'clone', stop_duration: hold })}` : '';
    lines.push(
      `[${i}:v]fps=${timeline.fps}${held},${filter('scale', { eval: 'frame', ...size, flags: 'bilinear' })}[t${i}]`,
    );
    const overlay = filter('overlay', { ...position, enable, eof_action: 'pass' });
    lines.push(`[${current}][t${i}]${overlay}[o${i}]`);
    current = `o${i}`;
  });
  const captions =
    fontFile && slots.captions > 0
      ? [sendcmd(files[1]!.path), ...slotFilters('c', slots.captions, fontFile, true)]
      : [];
  lines.push(`[${current}]${[...captions, 'format=yuv420p'].join(',')}[vout]`);
  lines.push(...audioFilters(audios, videos.length, timeline));
  const script = { path: join(workDir, 'filter.txt'), text: lines.join(';\n') + '\n' };

  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-progress',
    'pipe:1',
    '-nostats',
  ];
  for (const track of [...videos, ...audios]) {
    const offset = (track.startMs / 1000).toFixed(3);
    args.push('-reinit_filter', '0', '-itsoffset', offset, '-i', track.path);
  }
  args.push(
    ...['-filter_complex_script', script.path, '-map', '[vout]', '-map', '[aout]'],
    ...['-c:v', 'libx264', '-preset', encoder.preset, '-crf', String(encoder.crf)],
    ...['-pix_fmt', 'yuv420p', '-r', String(timeline.fps)],
    ...['-c:a', 'aac', '-b:a', encoder.audioBitrate, '-ar', String(AUDIO_RATE)],
    ...['-max_muxing_queue_size', '4096', '-movflags', '+faststart', '-f', 'mp4', input.outputPath],
  );
  return { args, files: [script, ...files.filter((f) => f.text !== '')] };
}

/** The videos a segment shows: the share first, then the cameras. */
export function placementsOf(segment: Segment): { trackId: string; rect: Rect }[] {
  const tiles = segment.tiles.flatMap((tile) => (tile.video ? [tile.video] : []));
  return segment.share ? [segment.share, ...tiles] : tiles;
}

/** The still background: drawn on each segment's first frame (and the last frame), then repeated. */
function background(timeline: Timeline, slots: Slots, commands: string, fontFile?: string): string {
  const firsts = new Set([...timeline.segments.map((s) => s.startFrame), timeline.frames - 1]);
  const select = sumOf([...firsts].map((n) => `eq(n,${n})`));
  const boxes = Array.from({ length: slots.boxes }, (_, j) =>
    filter(`drawbox@b${j}`, { x: -10_000, y: 0, w: 2, h: 2, color: TILE_BACKGROUND, t: 'fill' }),
  );
  const names = fontFile ? slotFilters('n', slots.names, fontFile, false) : [];
  const redraw = boxes.length + names.length > 0 ? [sendcmd(commands), ...boxes, ...names] : [];
  return [
    `color=c=${BACKGROUND}:s=${timeline.width}x${timeline.height}:r=${timeline.fps}`,
    `trim=end_frame=${timeline.frames}`,
    filter('select', { expr: select }),
    ...redraw,
    `fps=${timeline.fps}[bg]`,
  ].join(',');
}

/** Parked drawtext slots the sendcmd scripts move into place; captions get a dark band. */
function slotFilters(prefix: string, count: number, fontFile: string, band: boolean): string[] {
  return Array.from({ length: count }, (_, j) =>
    filter(`drawtext@${prefix}${j}`, {
      fontfile: fontFile,
      text: '-',
      expansion: 'none',
      fontcolor: 'white',
      fontsize: 12,
      x: -10_000,
      y: 0,
      ...(band && { box: 1, boxcolor: 'black@0.55', boxborderw: 4 }),
    }),
  );
}

function sendcmd(path: string): string {
  return filter('sendcmd', { f: path });
}

/**
 * Where one track is, as expressions of t: a sum over the stretches it is
 * shown of (value × inside-this-stretch). Stretches start and end half a
 * frame early, so a frame's rounded time never falls on a boundary.
 */
function trackExpressions(timeline: Timeline, trackId: string) {
  const stretches: { from: number; to: number; rect: Rect }[] = [];
  for (const segment of timeline.segments) {
    const rect = placementsOf(segment).find((p) => p.trackId === trackId)?.rect;
    if (!rect) continue;
    const last = stretches.at(-1);
    if (last && last.to === segment.startFrame && sameRect(last.rect, rect))
      last.to = segment.endFrame;
    else stretches.push({ from: segment.startFrame, to: segment.endFrame, rect });
  }
  const second = (frame: number) => ((frame - 0.5) / timeline.fps).toFixed(4);
  const inside = stretches.map((s) => `gte(t,${second(s.from)})*lt(t,${second(s.to)})`);
  const sum = (value: (r: Rect) => number) =>
    sumOf(stretches.map((s, k) => `${value(s.rect)}*${inside[k]}`));
  return {
    size: {
      w: `max(${HIDDEN_SIZE},${sum((r) => r.w)})`,
      h: `max(${HIDDEN_SIZE},${sum((r) => r.h)})`,
    },
    position: { x: sum((r) => r.x), y: sum((r) => r.y) },
    enable: sumOf(inside),
    /** The frame after the last one that shows the track. */
    shownUntilFrame: stretches.at(-1)?.to ?? 0,
  };
}

/**
 * How long the layout shows `track` past its file's last frame, in seconds
 * (and one frame more): a sender that stopped sending frames before the end
 * (a stalled camera) is held on its last frame, as the meeting saw it.
 */
function holdSeconds(timeline: Timeline, track: GraphTrack, shownUntilFrame: number): number {
  if (track.mediaDurationMs === undefined) return 0;
  const heldMs = (shownUntilFrame / timeline.fps) * 1000 - (track.startMs + track.mediaDurationMs);
  return heldMs > 0 ? Number(((heldMs + 1000 / timeline.fps) / 1000).toFixed(3)) : 0;
}

/** `a+b+c...` as a balanced tree: ffmpeg's expression parser gives up past ~100 terms in a row. */
export function sumOf(terms: string[]): string {
  if (terms.length <= 2) return terms.join('+') || '0';
  const half = Math.ceil(terms.length / 2);
  return `(${sumOf(terms.slice(0, half))})+(${sumOf(terms.slice(half))})`;
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
}

function audioFilters(audios: GraphTrack[], firstInput: number, timeline: Timeline): string[] {
  const samples = Math.round((timeline.frames * AUDIO_RATE) / timeline.fps);
  if (audios.length === 0) {
    return [`anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=end_sample=${samples}[aout]`];
  }
  const lines = audios.map((track, i) => {
    const stereo =
      track.channels === 1 ? 'pan=stereo|c0=c0|c1=c0' : 'aformat=channel_layouts=stereo';
    return `[${firstInput + i}:a]aresample=${AUDIO_RATE}:async=1:first_pts=0,${stereo}[a${i}]`;
  });
  const mix = audios.map((_, i) => `[a${i}]`).join('');
  lines.push(
    `${mix}amix=inputs=${audios.length}:duration=longest:dropout_transition=0:normalize=0,` +
      `apad,atrim=end_sample=${samples}[aout]`,
  );
  return lines;
}

/** `name=key=value:key=value`, each value and then the whole escaped for the graph. */
function filter(name: string, options: Record<string, string | number>): string {
  const list = Object.entries(options).map(
    ([key, value]) => `${key}=${escapeOption(String(value))}`,
  );
  return `${name}=${escapeForGraph(list.join(':'))}`;
}
