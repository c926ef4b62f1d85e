import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { waitFor } from '../../testing/wait';
import type { Room } from '../sfu/room';
import type { RecordedTrack } from './manifest';
import { readManifest } from './manifest-file';
import { DISK_FULL_PROBLEM, Recorder, WORKER_DIED_PROBLEM } from './recorder';
import {
  addPeer,
  childProcessesMentioning,
  longestGapS,
  openTestRoom,
  probe,
  publish,
  type TestSource,
} from './recording-test-kit';

// Real parts only: a real worker and room, ffmpeg publishing real RTP, the
// recorder's own ffmpeg writers, real files read back with ffprobe.

const ffmpegPath = 'ffmpeg';
const cleanups: (() => unknown)[] = [];
let recordingsDir: string;

beforeAll(() => {
  recordingsDir = mkdtempSync(join(tmpdir(), 'roundtable-recordings-'));
});
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function room(): Promise<{ room: Room; worker: types.Worker }> {
  const opened = await openTestRoom();
  cleanups.push(() => opened.worker.close());
  return opened;
}

async function source(...args: Parameters<typeof publish>): Promise<TestSource> {
  const published = await publish(...args);
  cleanups.push(() => published.stop());
  return published;
}

async function record(target: Room, dir = recordingsDir): Promise<Recorder> {
  const recorder = await Recorder.start(target, {
    startedBy: { userId: 'user-Ana', name: 'Ana' },
    recordingsDir: dir,
    ffmpegPath,
  });
  cleanups.push(() => recorder.stop());
  return recorder;
}

function tracksOf(recorder: Recorder, producerId: string): RecordedTrack[] {
  return recorder.manifest.tracks.filter((track) => track.producerId === producerId);
}

/** Waits until `recorder` has written at least `bytes` more than now (time passing, measured by media). */
async function mediaFlows(recorder: Recorder, bytes = 40_000): Promise<void> {
  const from = recorder.status().bytes;
  await waitFor(
    () => recorder.status().bytes,
    (now) => now >= from + bytes,
    { what: `${bytes} more bytes recorded` },
  );
}

test('records each producer into its own file, in its codec, and finalizes them on stop', async () => {
  const { room: meeting } = await room();
  const ana = await addPeer(meeting, 'Ana');
  const camera = await source(meeting, ana, 'vp8');
  const microphone = await source(meeting, ana, 'opus');
  const recorder = await record(meeting);

  await waitFor(
    () => recorder.status().trackCount,
    (count) => count === 2,
    { what: 'both tracks started' },
  );
  await mediaFlows(recorder, 40_000);
  const manifest = await recorder.stop();

  expect(manifest.state).toBe('stopped');
  expect(manifest.incomplete).toBe(false);
  expect(await readManifest(recorder.folder)).toEqual(manifest);
  expect(existsSync(join(recorder.folder, '.reserve'))).toBe(false);
  const [video] = tracksOf(recorder, camera.producer.id);
  const [audio] = tracksOf(recorder, microphone.producer.id);
  expect(video).toMatchObject({ kind: 'video', source: 'camera', mimeType: 'video/VP8' });
  expect(audio).toMatchObject({ kind: 'audio', source: 'microphone', mimeType: 'audio/opus' });
  expect(video).toMatchObject({ peerId: ana.id, userId: ana.userId, displayName: 'Ana' });
  for (const [track, codec] of [
    [video!, 'vp8'],
    [audio!, 'opus'],
  ] as const) {
    const file = await probe(join(recorder.folder, track.file));
    expect(file.codec).toBe(codec);
    // Finalized: the container knows its duration, and it matches the manifest's times (as far
    // as the test sender, on a busy machine, keeps its media clock in step with the wall clock).
    expect(file.durationS).toBeDefined();
    const manifestMs = track.endMs! - track.startMs;
    expect(Math.abs(file.durationS! * 1000 - manifestMs)).toBeLessThan(
      Math.max(500, manifestMs * 0.3),
    );
    expect(file.packetTimes[0]).toBeLessThan(0.1);
    // The recording stopped when asked, when the tracks ended; not once the writers had finished
    // (the composed video would end on empty frames).
    expect(track.endMs).toBeGreaterThanOrEqual(manifest.stoppedAt! - manifest.startedAt);
  }
  expect((await probe(join(recorder.folder, video!.file))).width).toBe(320);
  expect(recorder.status()).toMatchObject({ running: false, state: 'stopped', trackCount: 2 });
  expect(recorder.status().bytes).toBeGreaterThan(40_000);
});

test('start resolves once what is sent is written (what is said after people are told is kept); a muted microphone does not hold it up', async () => {
  const { room: meeting } = await room();
  const ana = await addPeer(meeting, 'Ana');
  const camera = await source(meeting, ana, 'vp8');
  const microphone = await source(meeting, ana, 'opus');
  await meeting.setProducerPaused(ana, microphone.producer.id, true);
  const recorder = await record(meeting);
  // No waiting here: the camera's first packet is already written, the muted microphone has none.
  expect(recorder.manifest.tracks.map((track) => track.producerId)).toEqual([camera.producer.id]);
  await meeting.setProducerPaused(ana, microphone.producer.id, false);
  await waitFor(
    () => tracksOf(recorder, microphone.producer.id).length,
    (count) => count === 1,
    { what: 'the microphone recorded once unmuted' },
  );
});

test('someone who joins later is recorded from the moment they publish', async () => {
  const { room: meeting } = await room();
  const ana = await addPeer(meeting, 'Ana');
  const anaMic = await source(meeting, ana, 'opus');
  const before = performance.now();
  const recorder = await record(meeting);
  const after = performance.now();
  await waitFor(
    () => tracksOf(recorder, anaMic.producer.id).length,
    (count) => count === 1,
    { what: "Ana's track" },
  );
  const anaSeenBy = performance.now() - before;
  await mediaFlows(recorder, 10_000);

  const bo = await addPeer(meeting, 'Bo');
  const boPublishedAt = performance.now() - after;
  const boMic = await source(meeting, bo, 'opus');
  await waitFor(
    () => tracksOf(recorder, boMic.producer.id).length,
    (count) => count === 1,
    { what: "Bo's track" },
  );
  const [anaTrack] = tracksOf(recorder, anaMic.producer.id);
  const [boTrack] = tracksOf(recorder, boMic.producer.id);
  expect(anaTrack!.startMs).toBeLessThanOrEqual(anaSeenBy);
  expect(boTrack!.startMs).toBeGreaterThanOrEqual(boPublishedAt);
  expect(boTrack).toMatchObject({ displayName: 'Bo', source: 'microphone' });
  expect((await recorder.stop()).incomplete).toBe(false);
});

test('a pause becomes a pause entry and a gap in the file; a closed producer ends its track', async () => {
  const { room: meeting } = await room();
  const ana = await addPeer(meeting, 'Ana');
  const microphone = await source(meeting, ana, 'opus');
  const camera = await source(meeting, ana, 'vp8');
  const recorder = await record(meeting);
  await waitFor(
    () => recorder.status().trackCount,
    (count) => count === 2,
    { what: 'both tracks started' },
  );

  await meeting.setProducerPaused(ana, microphone.producer.id, true);
  await waitFor(
    () => tracksOf(recorder, microphone.producer.id)[0]!.pauses,
    (pauses) => pauses.length === 1,
    { what: 'a pause entry' },
  );
  // The pause lasts while the camera records this much: time passing, measured by media.
  await mediaFlows(recorder, 15_000);
  await meeting.setProducerPaused(ana, microphone.producer.id, false);
  const [pause] = await waitFor(
    () => tracksOf(recorder, microphone.producer.id)[0]!.pauses,
    (pauses) => pauses[0]?.toMs !== undefined,
    { what: 'the pause to end' },
  );
  const pausedMs = pause!.toMs! - pause!.fromMs;
  expect(pausedMs).toBeGreaterThan(300);

  meeting.closeProducer(ana, camera.producer.id);
  const [cameraTrack] = await waitFor(
    () => tracksOf(recorder, camera.producer.id),
    (tracks) => tracks[0]?.endMs !== undefined,
    { what: "the camera's track to end" },
  );
  // Ended and finalized while the recording goes on.
  expect(recorder.running).toBe(true);
  expect((await probe(join(recorder.folder, cameraTrack!.file))).durationS).toBeDefined();
  await mediaFlows(recorder, 5_000);

  await recorder.stop();
  const [micTrack] = tracksOf(recorder, microphone.producer.id);
  expect(micTrack!.endMs).toBeGreaterThan(cameraTrack!.endMs!);
  // The file keeps the sender's clock: the pause is a gap as long as the pause.
  const gapMs =
    longestGapS((await probe(join(recorder.folder, micTrack!.file))).packetTimes) * 1000;
  expect(Math.abs(gapMs - pausedMs)).toBeLessThan(400);
});

test('a writer killed mid-recording: its track gets a problem and recording goes on in a new file', async () => {
  const { room: meeting } = await room();
  const ana = await addPeer(meeting, 'Ana');
  const camera = await source(meeting, ana, 'vp8');
  const recorder = await record(meeting);
  const problems: string[] = [];
  recorder.on('problem', (message) => problems.push(message));
  const [first] = await waitFor(
    () => tracksOf(recorder, camera.producer.id),
    (tracks) => tracks.length === 1,
    { what: 'the first segment' },
  );
  await mediaFlows(recorder, 30_000);

  const [writer] = childProcessesMentioning(first!.file);
  expect(writer).toBeDefined();
  process.kill(writer!, 'SIGKILL');

  const segments = await waitFor(
    () => tracksOf(recorder, camera.producer.id),
    (tracks) => tracks.length === 2,
    { what: 'a second segment' },
  );
  expect(segments[0]).toMatchObject({ id: first!.id, problem: expect.stringMatching(/SIGKILL/) });
  expect(segments[1]!.file).not.toBe(first!.file);
  expect(segments[1]!.startMs).toBeGreaterThanOrEqual(segments[0]!.endMs!);
  expect(recorder.status()).toMatchObject({ running: true, incomplete: true });
  expect(problems).toEqual([
    expect.stringMatching(/^Ana's camera: the writer \(ffmpeg\) was killed/),
  ]);
  await mediaFlows(recorder, 30_000);

  const manifest = await recorder.stop();
  expect(manifest).toMatchObject({ state: 'stopped', incomplete: true });
  // What the killed writer wrote is kept and readable; the new segment is whole.
  expect((await probe(join(recorder.folder, first!.file))).packetTimes.length).toBeGreaterThan(0);
  expect((await probe(join(recorder.folder, segments[1]!.file))).durationS).toBeDefined();
});

test('the worker dying stops the recording as incomplete; what was written is kept', async () => {
  const { room: meeting, worker } = await room();
  const ana = await addPeer(meeting, 'Ana');
  await source(meeting, ana, 'opus');
  const recorder = await record(meeting);
  await waitFor(
    () => recorder.status().trackCount,
    (count) => count === 1,
    { what: 'a track' },
  );
  await mediaFlows(recorder, 8_000);

  process.kill(worker.pid, 'SIGKILL');
  await waitFor(
    () => recorder.running,
    (running) => !running,
    { what: 'the recording to stop' },
  );
  const manifest = await recorder.stop();
  expect(manifest).toMatchObject({ state: 'stopped', incomplete: true });
  expect(manifest.problems).toContain(WORKER_DIED_PROBLEM);
  expect(manifest.tracks[0]!.problem).toMatch(/media worker/);
  expect(await readManifest(recorder.folder)).toEqual(manifest);
  const file = await probe(join(recorder.folder, manifest.tracks[0]!.file));
  expect(file.packetTimes.length).toBeGreaterThan(10);
});

describe('a full disk', () => {
  let smallDisk: string;
  let mounted = false;
  let skipReason = '';

  beforeAll(() => {
    smallDisk = mkdtempSync(join(tmpdir(), 'roundtable-small-disk-'));
    try {
      // 1 MiB of its own: filling it touches nothing else.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', smallDisk], {
        stdio: 'pipe',
      });
      mounted = true;
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      skipReason = `cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN): ${stderr || (error as Error).message}`;
      console.warn(`[recorder] skipping the full-disk test: ${skipReason}`);
    }
  });

  afterAll(() => {
    if (mounted) execFileSync('umount', [smallDisk]);
    rmSync(smallDisk, { recursive: true, force: true });
  });

  test('stops the recording as incomplete, keeps what was written, and throws nowhere', async (context) => {
    if (!mounted) context.skip(skipReason);
    const { room: meeting } = await room();
    const ana = await addPeer(meeting, 'Ana');
    await source(meeting, ana, 'vp8', { bitrate: '3M', noise: true });
    await source(meeting, ana, 'opus');
    const recorder = await record(meeting, smallDisk);
    const problems: string[] = [];
    recorder.on('problem', (message) => problems.push(message));

    await waitFor(
      () => recorder.running,
      (running) => !running,
      { what: 'the disk to fill and the recording to stop', timeoutMs: 30_000 },
    );
    const manifest = await recorder.stop();
    expect(manifest).toMatchObject({ state: 'stopped', incomplete: true });
    expect(manifest.problems).toContain(DISK_FULL_PROBLEM);
    expect(problems).toEqual([DISK_FULL_PROBLEM]);
    // The manifest on the full disk says so too (the reserve made room for it).
    expect(await readManifest(recorder.folder)).toEqual(manifest);
    const video = manifest.tracks.find((track) => track.kind === 'video')!;
    expect(video.problem).toBe('the disk is full');
    const file = await probe(join(recorder.folder, video.file));
    expect(file.codec).toBe('vp8');
    expect(file.packetTimes.length).toBeGreaterThan(10);
  });
});
