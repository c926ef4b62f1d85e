import type { RecordedTrack } from './manifest';

// Where everyone appears in the composed video, moment by moment. Pure: the
// composer probes the track files and hands over how much media each holds;
// this turns the manifest's times into segments of constant layout, cut on
// frame boundaries so the segments add up to exactly the recording's length.
//
// - Cameras in a grid (1, 2 side by side, 2x2, 3x2, 3x3...): the shape that gives the largest tiles.
// - While a screen is shared it fills the left of the frame and everyone else
//   sits in a strip on the right; a second share goes into the strip.
// - Someone present without video (camera off or paused, audio only, their
//   camera file cut short) keeps a dark tile with their name, so people do not
//   jump around the grid whenever a camera goes off.
// - Nobody present: an empty dark frame.

/** A manifest track plus what its file actually holds. */
export interface LayoutTrack extends Pick<
  RecordedTrack,
  'id' | 'kind' | 'source' | 'peerId' | 'displayName' | 'startMs' | 'endMs' | 'pauses'
> {
  /** From the file's first packet to its last: a file cut short holds less than endMs - startMs. */
  mediaDurationMs: number;
  /** The video's size as the file declares it; tiles keep this aspect ratio. */
  width?: number;
  height?: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A video placed in the frame: `rect` is where its picture goes (aspect kept inside `box`). */
export interface Placement {
  trackId: string;
  rect: Rect;
}

export interface Tile {
  /** Who the tile is for; stable across segments. */
  key: string;
  name: string;
  /** The tile's dark background; the video (if any) is fitted inside. */
  box: Rect;
  video?: Placement;
}

export interface Segment {
  /** Frames [startFrame, endFrame) of the composed video. */
  startFrame: number;
  endFrame: number;
  /** The screen share shown large, if one is on. */
  share?: Placement & { name: string; box: Rect };
  tiles: Tile[];
}

export interface Timeline {
  width: number;
  height: number;
  fps: number;
  /** Total frames: the segments cover [0, frames) without gaps. */
  frames: number;
  segments: Segment[];
}

export interface LayoutOptions {
  width: number;
  height: number;
  fps: number;
  /** Layout changes closer together than this are folded into the previous layout (a camera flickering off and on). */
  minSegmentMs: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  width: 1280,
  height: 720,
  fps: 25,
  minSegmentMs: 500,
};

const TILE_ASPECT = 16 / 9;
const GRID_GAP = 8;
const STRIP_GAP = 4;
/** Share of the frame's width the camera strip takes beside a screen share. */
const STRIP_FRACTION = 0.2;

/** How long the composed video runs: until the stop when it is known, else until the last track ends. */
export function recordingDurationMs(
  stoppedAfterMs: number | undefined,
  tracks: LayoutTrack[],
): number {
  if (stoppedAfterMs !== undefined && stoppedAfterMs > 0) return stoppedAfterMs;
  return Math.max(0, ...tracks.map((track) => presence(track).to));
}

export function planLayout(
  tracks: LayoutTrack[],
  durationMs: number,
  options: LayoutOptions = DEFAULT_LAYOUT,
): Timeline {
  const { width, height, fps } = options;
  const frames = Math.max(2, Math.round((durationMs * fps) / 1000));
  const toFrame = (ms: number) => Math.min(frames, Math.max(0, Math.round((ms * fps) / 1000)));
  const cuts = new Set([0, frames]);
  for (const track of tracks) {
    const { from, to } = presence(track);
    for (const ms of [
      from,
      to,
      mediaEnd(track),
      ...track.pauses.flatMap((p) => [p.fromMs, p.toMs ?? to]),
    ]) {
      cuts.add(toFrame(ms));
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const scenes: { startFrame: number; endFrame: number; scene: Scene }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const startFrame = sorted[i]!;
    const endFrame = sorted[i + 1]!;
    scenes.push({
      startFrame,
      endFrame,
      scene: sceneAt(tracks, ((startFrame + endFrame) / 2 / fps) * 1000),
    });
  }
  const minFrames = Math.max(2, Math.ceil((options.minSegmentMs * fps) / 1000));
  const merged = foldShortScenes(scenes, minFrames);
  const sizes = new Map(tracks.map((track) => [track.id, track]));
  return {
    width,
    height,
    fps,
    frames,
    segments: merged.map(({ startFrame, endFrame, scene }) => ({
      startFrame,
      endFrame,
      ...arrange(scene, sizes, width, height),
    })),
  };
}

/** Who is on screen during a stretch of time, before any geometry. */
interface Scene {
  share?: { trackId: string; name: string };
  tiles: { key: string; name: string; trackId?: string }[];
}

/** When a person counts as in the recording: their manifest times, or what the file holds when the end is unknown. */
function presence(track: LayoutTrack): { from: number; to: number } {
  return { from: track.startMs, to: track.endMs ?? mediaEnd(track) };
}

function mediaEnd(track: LayoutTrack): number {
  const fileEnd = track.startMs + track.mediaDurationMs;
  return track.endMs === undefined ? fileEnd : Math.min(track.endMs, fileEnd);
}

function showsAt(track: LayoutTrack, ms: number): boolean {
  if (ms < track.startMs || ms >= mediaEnd(track)) return false;
  return !track.pauses.some((p) => ms >= p.fromMs && ms < (p.toMs ?? Infinity));
}

function sceneAt(tracks: LayoutTrack[], ms: number): Scene {
  // People in order of arrival, so tiles keep their places as others come and go.
  const people = new Map<string, { name: string; since: number; camera?: LayoutTrack }>();
  const byArrival = [...tracks].sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
  for (const track of byArrival) {
    if (track.source === 'screen') continue;
    const { from, to } = presence(track);
    if (ms < from || ms >= to) continue;
    const person = people.get(track.peerId) ?? { name: track.displayName, since: from };
    // The camera that started last wins when someone has two.
    if (track.kind === 'video' && showsAt(track, ms)) person.camera = track;
    people.set(track.peerId, person);
  }
  const shares = byArrival.filter((t) => t.source === 'screen' && showsAt(t, ms)).reverse();
  const tiles: Scene['tiles'] = [...people].map(([peerId, person]) => ({
    key: `peer:${peerId}`,
    name: person.name,
    trackId: person.camera?.id,
  }));
  // The latest share is shown large; any other goes into the strip like a camera.
  for (const other of shares.slice(1)) {
    tiles.push({
      key: `screen:${other.id}`,
      name: `${other.displayName} (screen)`,
      trackId: other.id,
    });
  }
  const main = shares[0];
  return {
    share: main && { trackId: main.id, name: `${main.displayName} (screen)` },
    tiles,
  };
}

type Scened = { startFrame: number; endFrame: number; scene: Scene };

/** Joins neighbours that look the same, and folds scenes too short to watch into the one before. */
function foldShortScenes(scenes: Scened[], minFrames: number): Scened[] {
  const out: Scened[] = [];
  for (const next of scenes) {
    const last = out.at(-1);
    const short = next.endFrame - next.startFrame < minFrames;
    if (last && (short || sameScene(last.scene, next.scene))) last.endFrame = next.endFrame;
    else out.push({ ...next });
  }
  // A short first scene has nothing before it: the second one starts earlier instead.
  const [first, second] = out;
  if (first && second && first.endFrame - first.startFrame < minFrames) {
    second.startFrame = first.startFrame;
    out.shift();
  }
  return out;
}

function sameScene(a: Scene, b: Scene): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function arrange(
  scene: Scene,
  tracks: Map<string, LayoutTrack>,
  width: number,
  height: number,
): Pick<Segment, 'share' | 'tiles'> {
  const frame = { x: 0, y: 0, w: width, h: height };
  let gridArea = frame;
  let gap = GRID_GAP;
  let share: Segment['share'];
  if (scene.share) {
    const stripW = scene.tiles.length > 0 ? even(width * STRIP_FRACTION) : 0;
    const box = inset({ x: 0, y: 0, w: width - stripW, h: height }, GRID_GAP / 2);
    const track = tracks.get(scene.share.trackId);
    share = { ...scene.share, box, rect: fitInside(box, track?.width, track?.height) };
    gridArea = { x: width - stripW, y: 0, w: stripW, h: height };
    gap = STRIP_GAP;
  }
  const boxes = gridBoxes(scene.tiles.length, gridArea, gap);
  const tiles = scene.tiles.map((tile, i): Tile => {
    const box = boxes[i]!;
    const track = tile.trackId === undefined ? undefined : tracks.get(tile.trackId);
    return {
      key: tile.key,
      name: tile.name,
      box,
      ...(track && {
        video: { trackId: track.id, rect: fitInside(box, track.width, track.height) },
      }),
    };
  });
  return { ...(share && { share }), tiles };
}

/** The columns and rows that give `count` 16:9 tiles the most room in `area`; ties go to more columns (two people side by side). */
export function gridShape(
  count: number,
  area: Rect,
): { cols: number; rows: number; tileW: number } {
  let best = { cols: 1, rows: Math.max(1, count), tileW: 0 };
  for (let cols = 1; cols <= Math.max(1, count); cols++) {
    const rows = Math.ceil(count / cols);
    const tileW = Math.min(area.w / cols, (area.h / rows) * TILE_ASPECT);
    if (tileW >= best.tileW) best = { cols, rows, tileW };
  }
  return best;
}

/** Tile boxes for `count` people in `area`, centred; a last row that is not full is centred too. */
export function gridBoxes(count: number, area: Rect, gap = GRID_GAP): Rect[] {
  if (count === 0) return [];
  const { cols, rows, tileW } = gridShape(count, area);
  const tileH = tileW / TILE_ASPECT;
  const top = area.y + (area.h - rows * tileH) / 2;
  const boxes: Rect[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / cols);
    const inRow = Math.min(cols, count - row * cols);
    const left = area.x + (area.w - inRow * tileW) / 2;
    const cell = { x: left + (i % cols) * tileW, y: top + row * tileH, w: tileW, h: tileH };
    boxes.push(inset(cell, gap / 2));
  }
  return boxes;
}

/** The largest rectangle of the video's aspect ratio centred in `box` (the whole box when the size is unknown). */
export function fitInside(box: Rect, width?: number, height?: number): Rect {
  if (!width || !height) return box;
  const scale = Math.min(box.w / width, box.h / height);
  const w = Math.max(2, even(width * scale));
  const h = Math.max(2, even(height * scale));
  return { x: box.x + even((box.w - w) / 2), y: box.y + even((box.h - h) / 2), w, h };
}

/** Shrinks a cell by `by` on each side, on even pixels (4:2:0 video has chroma per 2x2 block). */
function inset(cell: Rect, by: number): Rect {
  const x = even(cell.x + by);
  const y = even(cell.y + by);
  return { x, y, w: even(cell.x + cell.w - by) - x, h: even(cell.y + cell.h - by) - y };
}

function even(value: number): number {
  return Math.max(0, Math.floor(value / 2) * 2);
}
