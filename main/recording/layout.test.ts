import { expect, test } from 'vitest';
import {
  DEFAULT_LAYOUT,
  fromFirstMedia,
  planLayout,
  recordingDurationMs,
  type LayoutTrack,
  type Rect,
  type Segment,
  type Timeline,
} from './layout';
import { fitInside, gridBoxes } from './tile-geometry';

// The layout from manifest times alone: who is on screen when, and where.
// 1280x720 at 25 fps, so 1 s is 25 frames.

const frame: Rect = { x: 0, y: 0, w: 1280, h: 720 };

function track(
  id: string,
  who: string,
  source: LayoutTrack['source'],
  startMs: number,
  endMs: number | undefined,
  extra: Partial<LayoutTrack> = {},
): LayoutTrack {
  const kind = source === 'microphone' ? 'audio' : 'video';
  return {
    id,
    kind,
    source,
    peerId: who.toLowerCase(),
    displayName: who,
    startMs,
    endMs,
    pauses: [],
    mediaDurationMs: (endMs ?? 60_000) - startMs,
    ...(kind === 'video' && { width: 640, height: 360 }),
    ...extra,
  };
}

/** The segment showing frame `at` (seconds). */
function at(timeline: Timeline, seconds: number): Segment {
  const f = seconds * timeline.fps;
  return timeline.segments.find((s) => s.startFrame <= f && f < s.endFrame)!;
}

/** Who has a tile, and whose video it shows: "Alice:a-cam", "Carol:-". */
function who(segment: Segment): string[] {
  return segment.tiles.map((tile) => `${tile.name}:${tile.video?.trackId ?? '-'}`);
}

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

test('the grid: one large tile, two side by side, 2x2 for three and four, 3x2, 3x3, rows centred', () => {
  const shapes = [1, 2, 3, 4, 5, 6, 7, 9].map((n) => {
    const boxes = gridBoxes(n, frame);
    for (const box of boxes) {
      expect(inside(box, frame)).toBe(true);
      expect([box.x, box.y, box.w, box.h].every((v) => v % 2 === 0)).toBe(true);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
    // Tiles per row, top to bottom.
    const rows = new Map<number, number>();
    for (const box of boxes) rows.set(box.y, (rows.get(box.y) ?? 0) + 1);
    return `${n}:${[...rows.values()].join('+')}`;
  });
  expect(shapes).toEqual(['1:1', '2:2', '3:2+1', '4:2+2', '5:3+2', '6:3+3', '7:3+3+1', '9:3+3+3']);
  expect(gridBoxes(1, frame)[0]!.w).toBeGreaterThan(1260);
  const [left, right] = gridBoxes(2, frame);
  expect(left!.y).toBe(right!.y);
  expect(left!.w).toBeGreaterThan(620);
  const [, , third] = gridBoxes(3, frame);
  expect(third!.x + third!.w / 2).toBeCloseTo(640, -1);
});

test('a video keeps its shape inside its tile', () => {
  const box = { x: 100, y: 100, w: 640, h: 360 };
  expect(fitInside(box, 640, 480)).toEqual({ x: 180, y: 100, w: 480, h: 360 });
  expect(fitInside(box, 1920, 1080)).toEqual(box);
  expect(fitInside(box, 360, 640)).toMatchObject({ h: 360, w: 202 });
  expect(fitInside(box)).toEqual(box);
});

test('people appear when their tracks start, keep their place, and show a name tile without video', () => {
  const tracks = [
    track('a-cam', 'Alice', 'camera', 0, 10_000),
    track('a-mic', 'Alice', 'microphone', 0, 10_000),
    track('b-cam', 'Bob', 'camera', 2000, 10_000, { pauses: [{ fromMs: 4000, toMs: 6000 }] }),
    track('c-mic', 'Carol', 'microphone', 1000, 10_000),
  ];
  const timeline = planLayout(tracks, 10_000);
  expect(timeline.frames).toBe(250);
  expect(who(at(timeline, 0.5))).toEqual(['Alice:a-cam']);
  expect(who(at(timeline, 1.5))).toEqual(['Alice:a-cam', 'Carol:-']);
  expect(who(at(timeline, 3))).toEqual(['Alice:a-cam', 'Carol:-', 'Bob:b-cam']);
  // Bob's camera paused: his tile stays where it was, dark with his name.
  const paused = at(timeline, 5);
  expect(who(paused)).toEqual(['Alice:a-cam', 'Carol:-', 'Bob:-']);
  expect(paused.tiles[2]!.box).toEqual(at(timeline, 3).tiles[2]!.box);
  expect(who(at(timeline, 7))).toEqual(['Alice:a-cam', 'Carol:-', 'Bob:b-cam']);
  expect(at(timeline, 1.5).startFrame).toBe(25);
  expect(at(timeline, 3).startFrame).toBe(50);
  expect(timeline.segments.map((s) => [s.startFrame, s.endFrame])).toEqual([
    [0, 25],
    [25, 50],
    [50, 100],
    [100, 150],
    [150, 250],
  ]);
});

test('a screen share is large on the left while it is on, with everyone in a strip on the right', () => {
  const tracks = [
    track('a-cam', 'Alice', 'camera', 0, 10_000),
    track('b-mic', 'Bob', 'microphone', 0, 10_000),
    track('b-screen', 'Bob', 'screen', 3000, 6000, { width: 1920, height: 1080 }),
  ];
  const timeline = planLayout(tracks, 10_000);
  expect(at(timeline, 2).share).toBeUndefined();
  const sharing = at(timeline, 4);
  expect(sharing.share).toMatchObject({ trackId: 'b-screen', name: 'Bob (screen)' });
  expect(sharing.share!.rect.w).toBeGreaterThanOrEqual(1000);
  expect(sharing.share!.rect.x + sharing.share!.rect.w).toBeLessThanOrEqual(1024);
  expect(who(sharing)).toEqual(['Alice:a-cam', 'Bob:-']);
  for (const tile of sharing.tiles) {
    expect(inside(tile.box, { x: 1024, y: 0, w: 256, h: 720 })).toBe(true);
    expect(overlaps(tile.box, sharing.share!.box)).toBe(false);
  }
  expect(at(timeline, 7).share).toBeUndefined();
});

test('with two shares the latest is large and the other joins the strip; alone, a share fills the frame', () => {
  const tracks = [
    track('a-screen', 'Alice', 'screen', 0, 10_000),
    track('b-screen', 'Bob', 'screen', 5000, 10_000),
  ];
  const timeline = planLayout(tracks, 10_000);
  const alone = at(timeline, 1);
  expect(alone.tiles).toEqual([]);
  expect(alone.share!.rect.w).toBeGreaterThan(1260);
  const both = at(timeline, 6);
  expect(both.share!.trackId).toBe('b-screen');
  expect(who(both)).toEqual(['Alice (screen):a-screen']);
});

test("a share's sound is mixed, not shown: the picture is large even when the sound started first", () => {
  const tracks = [
    track('a-cam', 'Alice', 'camera', 0, 10_000),
    track('b-cam', 'Bob', 'camera', 0, 10_000),
    // Chromium's tab share: the sound's first packet can come before the picture's, or after.
    track('b-screen-sound', 'Bob', 'screen', 3000, 6000, { kind: 'audio' }),
    track('b-screen', 'Bob', 'screen', 3500, 6000, { width: 1920, height: 1080 }),
  ];
  const timeline = planLayout(tracks, 10_000);
  const sharing = at(timeline, 4);
  expect(sharing.share).toMatchObject({ trackId: 'b-screen', name: 'Bob (screen)' });
  expect(who(sharing)).toEqual(['Alice:a-cam', 'Bob:b-cam']);
  expect(at(timeline, 3.1).share).toBeUndefined();

  // The picture first: shown from its first frame, though the sound's start comes soon after.
  const soundLater = tracks.map((t) => (t.id === 'b-screen-sound' ? { ...t, startMs: 3800 } : t));
  const later = planLayout(
    soundLater.map((t) =>
      t.id === 'b-screen' ? { ...t, startMs: 3400, mediaDurationMs: 2600 } : t,
    ),
    10_000,
  );
  expect(at(later, 3.45).share?.trackId).toBe('b-screen');
});

test('the composed video starts with the first packet: times move earlier by the first start', () => {
  const tracks = [
    track('a-mic', 'Alice', 'microphone', 1400, 10_000),
    track('a-cam', 'Alice', 'camera', 1450, 10_000, {
      pauses: [{ fromMs: 4000, toMs: 5000 }, { fromMs: 8000 }],
    }),
    track('b-cam', 'Bob', 'camera', 6000, undefined),
  ];
  const moved = fromFirstMedia(tracks, 10_000);
  expect(moved.stoppedAfterMs).toBe(8600);
  expect(moved.tracks.map((t) => [t.id, t.startMs, t.endMs])).toEqual([
    ['a-mic', 0, 8600],
    ['a-cam', 50, 8600],
    ['b-cam', 4600, undefined],
  ]);
  expect(moved.tracks[1]!.pauses).toEqual([{ fromMs: 2600, toMs: 3600 }, { fromMs: 6600 }]);
  // What the files hold does not move.
  expect(moved.tracks.map((t) => t.mediaDurationMs)).toEqual(tracks.map((t) => t.mediaDurationMs));
  // The first frame already shows Alice's camera.
  const timeline = planLayout(moved.tracks, moved.stoppedAfterMs!);
  expect(who(timeline.segments[0]!)).toEqual(['Alice:a-cam']);
  expect(fromFirstMedia([], undefined)).toEqual({ tracks: [], stoppedAfterMs: undefined });
});

test('a camera file cut short leaves its owner as a name tile until the track ended; a camera that stalled is held', () => {
  const tracks = [
    // The manifest says until 10 s, the file holds 4 s: its writer died.
    track('a-cam', 'Alice', 'camera', 0, 10_000, {
      mediaDurationMs: 4000,
      problem: 'the writer died',
    }),
    // Whole, but Bob's camera sent its last frame at 7 s (a stalled sender): held to the end.
    track('b-cam', 'Bob', 'camera', 0, 10_000, { mediaDurationMs: 7000 }),
  ];
  const timeline = planLayout(tracks, 10_000);
  expect(who(at(timeline, 3))).toEqual(['Alice:a-cam', 'Bob:b-cam']);
  expect(who(at(timeline, 5))).toEqual(['Alice:-', 'Bob:b-cam']);
  expect(who(at(timeline, 9))).toEqual(['Alice:-', 'Bob:b-cam']);
});

test('a track without an end lasts as long as its file; nobody present is an empty frame', () => {
  const tracks = [
    track('a-cam', 'Alice', 'camera', 0, undefined, { mediaDurationMs: 3000 }),
    track('b-cam', 'Bob', 'camera', 6000, 9000),
  ];
  expect(recordingDurationMs(undefined, tracks)).toBe(9000);
  expect(recordingDurationMs(12_000, tracks)).toBe(12_000);
  const timeline = planLayout(tracks, 12_000);
  expect(who(at(timeline, 2))).toEqual(['Alice:a-cam']);
  expect(at(timeline, 4).tiles).toEqual([]);
  expect(who(at(timeline, 7))).toEqual(['Bob:b-cam']);
  expect(at(timeline, 10).tiles).toEqual([]);
});

test('a camera flickering off and on is folded into the layout before; segments cover every frame', () => {
  const flicker = [1000, 1300, 1600].map((fromMs) => ({ fromMs, toMs: fromMs + 100 }));
  const tracks = [
    track('a-cam', 'Alice', 'camera', 0, 10_000, { pauses: flicker }),
    track('b-cam', 'Bob', 'camera', 20, 10_000),
  ];
  const timeline = planLayout(tracks, 10_000);
  // Bob's 20 ms late start and Alice's 100 ms pauses make no layouts of their own.
  expect(timeline.segments).toHaveLength(1);
  expect(who(timeline.segments[0]!)).toEqual(['Alice:a-cam', 'Bob:b-cam']);
  const many = planLayout(
    [0, 1, 2, 3, 4].map((i) => track(`c${i}`, `P${i}`, 'camera', i * 1700, 9000 - i * 900)),
    10_000,
  );
  let next = 0;
  for (const segment of many.segments) {
    expect(segment.startFrame).toBe(next);
    expect(segment.endFrame - segment.startFrame).toBeGreaterThanOrEqual(
      (DEFAULT_LAYOUT.minSegmentMs * DEFAULT_LAYOUT.fps) / 1000,
    );
    next = segment.endFrame;
  }
  expect(next).toBe(many.frames);
});

test('someone recorded twice (a writer restarted) is one tile, showing whichever camera file runs', () => {
  const tracks = [
    track('a-cam-1', 'Alice', 'camera', 0, 4000),
    track('a-cam-2', 'Alice', 'camera', 5000, 10_000),
    track('a-mic', 'Alice', 'microphone', 0, 10_000),
  ];
  const timeline = planLayout(tracks, 10_000);
  expect(who(at(timeline, 2))).toEqual(['Alice:a-cam-1']);
  expect(who(at(timeline, 4.5))).toEqual(['Alice:-']);
  expect(who(at(timeline, 7))).toEqual(['Alice:a-cam-2']);
});
