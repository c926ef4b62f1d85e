import { escapeForSendcmd, escapeOption } from './ffmpeg-escape';
import type { Rect, Segment, Timeline } from './layout';

// What changes from one layout to the next besides the videos themselves:
// tile backgrounds, the names of people without video, the captions under
// videos. The graph has a fixed set of drawbox and drawtext "slots" (as many
// as the busiest layout needs) and a sendcmd script moves and relabels them
// at each segment's start, so the graph's size (and ffmpeg's memory) does not
// grow with the number of layout changes in a long meeting. An unused slot
// is parked off the frame.

export interface Slots {
  /** Tile backgrounds. */
  boxes: number;
  /** Names in the middle of tiles without video. */
  names: number;
  /** Names along the bottom of videos (the share's included). */
  captions: number;
}

const OFF_FRAME = -10_000;

export function slotsFor(timeline: Timeline): Slots {
  const most = (count: (s: Segment) => number) => Math.max(0, ...timeline.segments.map(count));
  return {
    boxes: most((s) => s.tiles.length),
    names: most((s) => s.tiles.filter((t) => !t.video).length),
    captions: most((s) => s.tiles.filter((t) => t.video).length + (s.share ? 1 : 0)),
  };
}

/** For the background chain: boxes, and names when there is a font to draw them. */
export function backgroundCommands(timeline: Timeline, slots: Slots, names: boolean): string {
  return script(timeline, (segment) => {
    const commands: string[] = [];
    for (let j = 0; j < slots.boxes; j++) {
      const box = segment.tiles[j]?.box ?? { x: OFF_FRAME, y: 0, w: 2, h: 2 };
      for (const key of ['x', 'y', 'w', 'h'] as const)
        commands.push(`drawbox@b${j} ${key} ${box[key]}`);
    }
    if (!names) return commands;
    const nameless = segment.tiles.filter((t) => !t.video);
    for (let j = 0; j < slots.names; j++) {
      const tile = nameless[j];
      if (!tile) {
        commands.push(reinit(`n${j}`, { x: OFF_FRAME }));
        continue;
      }
      const { x, y, w, h } = tile.box;
      const size = clamp(Math.round(h / 8), 12, 44);
      commands.push(
        reinit(`n${j}`, {
          text: fitText(tile.name, w - size, size),
          fontsize: size,
          x: `${x}+(${w}-text_w)/2`,
          y: `${y}+(${h}-text_h)/2`,
        }),
      );
    }
    return commands;
  });
}

/** For the end of the chain: a caption on a dark band at the bottom left of each video. */
export function captionCommands(timeline: Timeline, slots: Slots): string {
  return script(timeline, (segment) => {
    const shown = segment.tiles.flatMap((t) =>
      t.video ? [{ name: t.name, rect: t.video.rect }] : [],
    );
    if (segment.share) shown.unshift({ name: segment.share.name, rect: segment.share.rect });
    const commands: string[] = [];
    for (let j = 0; j < slots.captions; j++) {
      const video = shown[j];
      commands.push(reinit(`c${j}`, video ? caption(video.name, video.rect) : { x: OFF_FRAME }));
    }
    return commands;
  });
}

function caption(name: string, rect: Rect): Record<string, string | number> {
  const size = clamp(Math.round(rect.h / 12), 10, 24);
  const pad = Math.max(3, Math.round(size / 3));
  return {
    text: fitText(name, rect.w - 4 * pad, size),
    fontsize: size,
    boxborderw: pad,
    x: rect.x + 2 * pad,
    y: rect.y + rect.h - size - 2 * pad,
  };
}

/**
 * One line per segment, applied when its first frame passes: the interval runs
 * from half a frame before it starts to half a frame before the next, so
 * rounding in frame times never picks the wrong segment.
 */
function script(timeline: Timeline, commandsFor: (segment: Segment) => string[]): string {
  const second = (frame: number) => (Math.max(0, frame - 0.5) / timeline.fps).toFixed(4);
  return timeline.segments
    .map((segment) => {
      const commands = commandsFor(segment);
      if (commands.length === 0) return '';
      return `${second(segment.startFrame)}-${second(segment.endFrame)} ${commands.join(', ')};\n`;
    })
    .join('');
}

/** drawtext's reinit keeps the options it is not given (font, colours, box). */
function reinit(slot: string, options: Record<string, string | number>): string {
  const list = Object.entries(options)
    .map(([key, value]) => `${key}=${escapeOption(String(value))}`)
    .join(':');
  return `drawtext@${slot} reinit ${escapeForSendcmd(list)}`;
}

/** One line, cut with an ellipsis when it would overflow its width (DejaVu Sans averages ~0.6 em a character). */
export function fitText(text: string, width: number, size: number): string {
  const clean = text.replace(/\s+/g, ' ').trim() || '?';
  const max = Math.max(1, Math.floor(width / (size * 0.6)));
  const chars = [...clean];
  return chars.length <= max ? clean : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
