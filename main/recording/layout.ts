import type { RecordedTrack } from './manifest';
import { even, fitInside, GRID_GAP, gridBoxes, inset, type Rect } from './tile-geometry';

export type { Rect } from './tile-geometry';

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
  'id' | 'kind' | 'source' | 'peerId' | 'displayName' | 'startMs' | 'endMs' | 'pauses' | 'problem'
> {
  /** From the file's first packet to its last: a file cut short holds less than endMs - startMs. */
  mediaDurationMs: number;
  /** The video's size as the file declares it; tiles keep this aspect ratio. */
  width?: number;
  height?: number;
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

/**
 * The recording from its first packet on. The writers take a moment to start
 * (ffmpeg listening, the first key frame), and a video that opened on an empty
 * frame for that moment would look broken: every time moves earlier by the
 * first track's start.
 */
export function fromFirstMedia<T extends LayoutTrack>(
  tracks: T[],
  stoppedAfterMs: number | undefined,
): { tracks: T[]; stoppedAfterMs: number | undefined } {
  if (tracks.length === 0) return { tracks, stoppedAfterMs };
  const lead = Math.min(...tracks.map((track) => track.startMs));
  const earlier = (ms: number) => Math.max(0, ms - lead);
  return {
    tracks: tracks.map((track) => ({
      ...track,
      startMs: earlier(track.startMs),
      ...(track.endMs !== undefined && { endMs: earlier(track.endMs) }),
      pauses: track.pauses.map((pause) => ({
        fromMs: earlier(pause.fromMs),
        ...(pause.toMs !== undefined && { toMs: earlier(pause.toMs) }),
      })),
    })),
    stoppedAfterMs: stoppedAfterMs === undefined ? undefined : earlier(stoppedAfterMs),
  };
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

/**
 * Until when a track's picture can be shown. A whole file, until the track
 * ended: a sender that stopped sending frames before then (a stalled camera)
 * is held on its last frame, as the meeting saw it. A file cut short (its
 * writer died, the disk filled), only as far as it goes.
 */
function mediaEnd(track: LayoutTrack): number {
  const fileEnd = track.startMs + track.mediaDurationMs;
  if (track.endMs === undefined) return fileEnd;
  return track.problem === undefined ? track.endMs : Math.min(track.endMs, fileEnd);
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
  // A share's sound is a screen track too, but only its picture is shown (the sound is mixed).
  const shares = byArrival
    .filter((t) => t.source === 'screen' && t.kind === 'video' && showsAt(t, ms))
    .reverse();
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

/** Joins neighbours that look the same, then folds scenes too short to watch into the one before. */
function foldShortScenes(scenes: Scened[], minFrames: number): Scened[] {
  // Joined first: a cut that changes nothing on screen (a share's sound
  // starting) must not make the change just before it look short.
  const joined: Scened[] = [];
  for (const next of scenes) {
    const last = joined.at(-1);
    if (last && sameScene(last.scene, next.scene)) last.endFrame = next.endFrame;
    else joined.push({ ...next });
  }
  const out: Scened[] = [];
  for (const next of joined) {
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
