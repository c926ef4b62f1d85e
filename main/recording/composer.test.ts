import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { COMPOSED_FILE, COMPOSING_SUFFIX, compose, type ComposeResult } from './composer';
import { findFfmpeg } from './ffmpeg';
import { MANIFEST_FILE, recordingManifestSchema, type RecordingManifest } from './manifest';

// A real composition of real track files, made the way the capture writes
// them (VP8 and Opus in Matroska, each file's clock starting at its first
// packet): Alice's camera switches resolution halfway, Bob joins 2 s late and
// pauses his camera and it stalls before the end, Carol shares an orange screen from 3 to 6 s and her
// microphone file was cut short, Dave's camera file is missing. Each voice is
// a tone of its own, so the mix can be taken apart again by frequency.
//
// Output checked with ffprobe (h264 + aac, 8 s within 0.15 s: the video is
// exactly 200 frames, AAC priming may add a few ms), by sampling pixels of
// decoded frames, and by measuring each tone's band over time.

const run = promisify(execFile);
const FPS = 25;
const STOPPED_AFTER_MS = 8000;
const ORANGE = [255, 128, 0] as const;
const tones = { alice: 440, bob: 880, carol: 1320 };

let ffmpeg: string;
let root: string;
let recording: string;
let result: ComposeResult;
const progress: number[] = [];

beforeAll(async () => {
  const found = await findFfmpeg();
  if (!found.available) throw new Error(found.reason);
  ffmpeg = found.path;
  root = await mkdtemp(join(tmpdir(), 'roundtable-composer-'));
  recording = join(root, 'rec');
  await makeTracks(join(recording, 'tracks'));
  await writeManifest(recording, STOPPED_AFTER_MS);
  result = await compose(recording, {
    ffmpegPath: ffmpeg,
    encoder: { preset: 'ultrafast' },
    onProgress: (fraction) => progress.push(fraction),
  });
}, 120_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

test('composes an MP4 (H.264 + AAC) of the recording’s length and lists it in the manifest', async () => {
  expect(result).toMatchObject({ outcome: 'composed' });
  if (result.outcome !== 'composed') return;
  const file = join(recording, COMPOSED_FILE);
  const { streams, format } = await probe(file);
  expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
  expect(Math.abs(Number(format.duration) * 1000 - STOPPED_AFTER_MS)).toBeLessThan(150);

  const manifest = await readManifestFile(recording);
  expect(manifest.state).toBe('composed');
  expect(manifest.composed).toEqual(result.composed);
  expect(manifest.composed!.bytes).toBe((await stat(file)).size);
  expect(Math.abs(manifest.composed!.durationMs - STOPPED_AFTER_MS)).toBeLessThan(150);
  expect(existsSync(file + COMPOSING_SUFFIX)).toBe(false);
  // The missing file is left out and said so; the one cut short is used.
  expect(result.leftOut).toEqual([expect.stringContaining('Dave')]);
  expect(manifest.problems).toEqual([expect.stringMatching(/left out.*Dave.*missing/)]);
  expect(result.wallMs).toBeGreaterThan(0);
});

test('progress climbs to 1', () => {
  expect(progress.length).toBeGreaterThan(2);
  expect(progress.at(-1)).toBe(1);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
});

test('the screen share is large while it is on, and every frame shows someone', async () => {
  // The share takes the left 1024 px; a 16:9 screen fills 1024x576 of it.
  const shareArea = { x: 40, y: 100, w: 940, h: 520 };
  const during = await frameAt(4.5);
  expect(fraction(during, shareArea, isOrange)).toBeGreaterThan(0.95);
  for (const seconds of [1, 2.5, 7]) {
    const frame = await frameAt(seconds);
    expect(fraction(frame, shareArea, isOrange), `orange at ${seconds}s`).toBeLessThan(0.02);
    // Test patterns are bright; the background and name tiles are dark.
    expect(fraction(frame, whole, isBright), `bright at ${seconds}s`).toBeGreaterThan(0.1);
  }
  // At 7.5 s Bob's camera has sent nothing for half a second: his last frame is held in his
  // tile (bottom row, centred), not replaced by his name.
  const stalled = await frameAt(7.5);
  expect(fraction(stalled, { x: 380, y: 400, w: 520, h: 280 }, isBright)).toBeGreaterThan(0.3);
  // At 1 s only Alice has video (Carol is a name tile beside her): her tile is the left half.
  const early = await frameAt(1);
  expect(fraction(early, { x: 20, y: 200, w: 600, h: 320 }, isBright)).toBeGreaterThan(0.3);
  expect(fraction(early, { x: 660, y: 200, w: 600, h: 320 }, isBright)).toBeLessThan(0.05);
});

test('all voices are mixed, each from when its track started and until its file ran out', async () => {
  const file = join(recording, COMPOSED_FILE);
  expect(await meanVolume(file, 0, 8)).toBeGreaterThan(-40);
  // Bob's microphone starts at 2 s.
  const bobBefore = await meanVolume(file, 0.2, 1.6, tones.bob);
  const bobAfter = await meanVolume(file, 2.4, 1.6, tones.bob);
  expect(bobAfter - bobBefore).toBeGreaterThan(20);
  // A sine of amplitude 1/8 has a mean volume of -21 dB: mixing did not make the voice quieter.
  expect(bobAfter).toBeGreaterThan(-23);
  // Carol's file was cut short: her voice is there at the start and gone by the end.
  // (The band filter lets the other tones through at about -46 dB.)
  const carolEarly = await meanVolume(file, 0.5, 1, tones.carol);
  expect(carolEarly).toBeGreaterThan(-30);
  expect(carolEarly - (await meanVolume(file, 7, 0.9, tones.carol))).toBeGreaterThan(15);
  // Alice all along.
  expect(await meanVolume(file, 6.5, 1, tones.alice)).toBeGreaterThan(-30);
});

test('aborting stops ffmpeg, leaves no file and puts the manifest back', async () => {
  const copy = join(root, 'aborted');
  await cp(join(recording, 'tracks'), join(copy, 'tracks'), { recursive: true });
  // A long recording (dark after the tracks end) so ffmpeg is surely running when it is aborted.
  await writeManifest(copy, 120_000);
  const controller = new AbortController();
  let abortedAt = 0;
  const outcome = await compose(copy, {
    ffmpegPath: ffmpeg,
    encoder: { preset: 'ultrafast' },
    signal: controller.signal,
    onProgress: (fraction) => {
      if (fraction > 0 && !abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    },
  });
  expect(outcome.outcome).toBe('cancelled');
  expect(performance.now() - abortedAt).toBeLessThan(2000);
  expect(existsSync(join(copy, COMPOSED_FILE))).toBe(false);
  expect(existsSync(join(copy, COMPOSED_FILE + COMPOSING_SUFFIX))).toBe(false);
  expect((await readManifestFile(copy)).state).toBe('stopped');
});

test.skipIf(!existsSync('/dev/full'))(
  'a full disk fails the composition and removes the partial file',
  async () => {
    const copy = join(root, 'full');
    await cp(join(recording, 'tracks'), join(copy, 'tracks'), { recursive: true });
    await writeManifest(copy, STOPPED_AFTER_MS);
    // ffmpeg writes its output through this link into a device that is always full.
    await symlink('/dev/full', join(copy, COMPOSED_FILE + COMPOSING_SUFFIX));
    const outcome = await compose(copy, { ffmpegPath: ffmpeg, encoder: { preset: 'ultrafast' } });
    expect(outcome).toMatchObject({
      outcome: 'failed',
      problem: expect.stringMatching(/disk is full/),
    });
    const manifest = await readManifestFile(copy);
    expect(manifest.state).toBe('compose_failed');
    expect(manifest.problems).toContainEqual(
      expect.stringMatching(/composition failed: the disk is full/),
    );
    expect(existsSync(join(copy, COMPOSED_FILE))).toBe(false);
    expect(existsSync(join(copy, COMPOSED_FILE + COMPOSING_SUFFIX))).toBe(false);
  },
);

test('two hundred layout changes compose as well (the graph does not grow with them)', async () => {
  const copy = join(root, 'flicker');
  await cp(join(recording, 'tracks'), join(copy, 'tracks'), { recursive: true });
  await writeManifest(copy, STOPPED_AFTER_MS, true);
  // About 200 layouts of 2 frames at 50 fps (ffmpeg's expressions fail past ~100 terms in a
  // row), small to be quick.
  const layout = { width: 320, height: 180, fps: 50, minSegmentMs: 40 };
  const outcome = await compose(copy, {
    ffmpegPath: ffmpeg,
    encoder: { preset: 'ultrafast' },
    layout,
  });
  expect(outcome).toMatchObject({ outcome: 'composed' });
  const { format } = await probe(join(copy, COMPOSED_FILE));
  expect(Math.abs(Number(format.duration) * 1000 - STOPPED_AFTER_MS)).toBeLessThan(150);
});

test('a recording with no readable track fails with a reason and keeps its manifest', async () => {
  const empty = join(root, 'empty');
  await mkdir(join(empty, 'tracks'), { recursive: true });
  await writeFile(join(empty, 'tracks', 'a-cam.mkv'), 'not a video');
  await writeManifest(empty, STOPPED_AFTER_MS);
  const outcome = await compose(empty, { ffmpegPath: ffmpeg });
  expect(outcome).toMatchObject({
    outcome: 'failed',
    problem: 'no track of the recording could be read',
  });
  const manifest = await readManifestFile(empty);
  expect(manifest.state).toBe('compose_failed');
  expect(manifest.problems.some((p) => p.includes("Alice's camera"))).toBe(true);
});

// --- the recording ---

async function makeTracks(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const vp8 = ['-c:v', 'libvpx', '-b:v', '400k', '-deadline', 'realtime', '-cpu-used', '8'];
  const opus = (name: string, hz: number, seconds: number) =>
    encode(
      ['-f', 'lavfi', '-i', `sine=f=${hz}:d=${seconds}`, '-c:a', 'libopus', '-ac', '1'],
      join(dir, name),
    );
  // Alice: 4 s at 320x180, then 4 s at 640x360 (a simulcast switch), one file.
  await encode(
    ['-f', 'lavfi', '-i', `testsrc2=s=320x180:r=${FPS}:d=4`, ...vp8],
    join(dir, 'a1.mkv'),
  );
  await encode(
    ['-f', 'lavfi', '-i', `testsrc2=s=640x360:r=${FPS}:d=4`, ...vp8],
    join(dir, 'a2.mkv'),
  );
  await writeFile(join(dir, 'parts.txt'), "file 'a1.mkv'\nfile 'a2.mkv'\n");
  await encode(
    ['-f', 'concat', '-safe', '0', '-i', join(dir, 'parts.txt'), '-c', 'copy'],
    join(dir, 'a-cam.mkv'),
  );
  await Promise.all(['a1.mkv', 'a2.mkv', 'parts.txt'].map((f) => rm(join(dir, f))));
  // Bob: 6 s of camera with nothing sent between 2 and 3.5 s of it (paused), and nothing in
  // its last second (his camera stalled): the file holds 5 s.
  const paused = ['-vf', "select='not(between(t,2,3.5))'", '-fps_mode', 'passthrough'];
  await encode(
    ['-f', 'lavfi', '-i', `testsrc=s=320x240:r=${FPS}:d=5`, ...paused, ...vp8],
    join(dir, 'b-cam.mkv'),
  );
  // Carol's screen: sparse frames, as a still screen sends.
  await encode(
    ['-f', 'lavfi', '-i', 'color=c=0xFF8000:s=640x360:r=5:d=3', ...vp8],
    join(dir, 'c-screen.mkv'),
  );
  await opus('a-mic.mkv', tones.alice, 8);
  await opus('b-mic.mkv', tones.bob, 6);
  await opus('c-mic.mkv', tones.carol, 8);
  // Carol's microphone writer died: the file stops about 4 s in, without its index.
  const { size } = await stat(join(dir, 'c-mic.mkv'));
  await truncate(join(dir, 'c-mic.mkv'), Math.round(size * 0.5));
}

/** The recording described above; `flicker` pauses Alice's camera for 40 ms every 80 ms. */
async function writeManifest(dir: string, stoppedAfterMs: number, flicker = false): Promise<void> {
  const startedAt = Date.UTC(2026, 0, 1, 10);
  const track = (
    id: string,
    who: string,
    kind: 'audio' | 'video',
    source: 'microphone' | 'camera' | 'screen',
    startMs: number,
    endMs: number,
    extra: object = {},
  ) => ({
    id,
    file: `tracks/${id}.mkv`,
    kind,
    source,
    mimeType: kind === 'audio' ? 'audio/opus' : 'video/VP8',
    peerId: `peer-${who}`,
    userId: `user-${who}`,
    displayName: who,
    producerId: `producer-${id}`,
    startMs,
    endMs,
    pauses: [],
    ...extra,
  });
  const manifest: RecordingManifest = recordingManifestSchema.parse({
    version: 1,
    id: 'rec-1',
    roomId: 'room-1',
    hubId: 'hub-1',
    startedAt,
    stoppedAt: startedAt + stoppedAfterMs,
    startedBy: { userId: 'user-Alice', name: 'Alice' },
    state: 'stopped',
    incomplete: true,
    problems: [],
    tracks: [
      track('a-cam', 'Alice', 'video', 'camera', 0, 8000, {
        pauses: flicker
          ? Array.from({ length: 99 }, (_, i) => ({ fromMs: 80 * i + 40, toMs: 80 * (i + 1) }))
          : [],
      }),
      track('a-mic', 'Alice', 'audio', 'microphone', 0, 8000),
      track('b-cam', 'Bob', 'video', 'camera', 2000, 8000, {
        pauses: [{ fromMs: 4000, toMs: 5500 }],
      }),
      track('b-mic', 'Bob', 'audio', 'microphone', 2000, 8000),
      track('c-mic', 'Carol', 'audio', 'microphone', 0, 8000, { problem: 'the writer died' }),
      track('c-screen', 'Carol', 'video', 'screen', 3000, 6000),
      track('d-cam', 'Dave', 'video', 'camera', 1000, 7000),
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
}

async function encode(args: string[], out: string): Promise<void> {
  await run(ffmpeg, ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args, out]);
}

async function readManifestFile(dir: string): Promise<RecordingManifest> {
  return recordingManifestSchema.parse(
    JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')),
  );
}

// --- looking at the result ---

interface Probed {
  streams: { codec_name: string; codec_type: string; width?: number; height?: number }[];
  format: { duration: string };
}

async function probe(file: string): Promise<Probed> {
  const ffprobe = join(ffmpeg, '..', 'ffprobe');
  const { stdout } = await run(ffprobe, [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(stdout) as Probed;
}

type Frame = { pixels: Buffer; width: number };
type Area = { x: number; y: number; w: number; h: number };
const whole: Area = { x: 0, y: 0, w: 1280, h: 720 };

async function frameAt(seconds: number): Promise<Frame> {
  const { stdout } = await promisify(execFile)(
    ffmpeg,
    ['-v', 'error', '-ss', String(seconds), '-i', join(recording, COMPOSED_FILE)].concat([
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ]),
    { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024 },
  );
  return { pixels: stdout, width: 1280 };
}

function fraction(
  frame: Frame,
  area: Area,
  test: (r: number, g: number, b: number) => boolean,
): number {
  let hits = 0;
  let count = 0;
  for (let y = area.y; y < area.y + area.h; y += 4) {
    for (let x = area.x; x < area.x + area.w; x += 4) {
      const i = (y * frame.width + x) * 3;
      count++;
      if (test(frame.pixels[i]!, frame.pixels[i + 1]!, frame.pixels[i + 2]!)) hits++;
    }
  }
  return hits / count;
}

function isOrange(r: number, g: number, b: number): boolean {
  return (
    Math.abs(r - ORANGE[0]) < 30 && Math.abs(g - ORANGE[1]) < 30 && Math.abs(b - ORANGE[2]) < 30
  );
}

function isBright(r: number, g: number, b: number): boolean {
  return 0.299 * r + 0.587 * g + 0.114 * b > 80;
}

/** Mean volume (dB) of [from, from + seconds), of the whole mix or of the band around one tone. */
async function meanVolume(
  file: string,
  from: number,
  seconds: number,
  hz?: number,
): Promise<number> {
  const band = hz ? `bandpass=f=${hz}:width_type=q:w=5,bandpass=f=${hz}:width_type=q:w=5,` : '';
  const args = ['-hide_banner', '-nostdin', '-ss', String(from), '-t', String(seconds), '-i', file];
  const { stderr } = await run(ffmpeg, [
    ...args,
    '-vn',
    '-af',
    `${band}volumedetect`,
    '-f',
    'null',
    '-',
  ]);
  const match = /mean_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`no volume in: ${stderr.slice(-500)}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}
