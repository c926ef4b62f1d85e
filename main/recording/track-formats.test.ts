import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../../testing/wait';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import { Recorder } from './recorder';
import {
  addPeer,
  childProcessesMentioning,
  openTestRoom,
  probe,
  publish,
  type TestSource,
} from './recording-test-kit';

// Every codec a producer may send is copied as it came (Safari sends H264),
// a simulcast camera is recorded at its best layer, and a shared screen's
// picture and sound are named as the manifest names them.

const cleanups: (() => unknown)[] = [];
let recordingsDir: string;
let worker: types.Worker;
let room: Room;

beforeAll(async () => {
  recordingsDir = mkdtempSync(join(tmpdir(), 'roundtable-formats-'));
  ({ room, worker } = await openTestRoom());
  // Someone who stays: the room closes when its last peer leaves.
  await addPeer(room, 'Host');
});
afterAll(() => {
  worker.close();
  rmSync(recordingsDir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function source(...args: Parameters<typeof publish>): Promise<TestSource> {
  const published = await publish(...args);
  cleanups.push(() => published.stop());
  return published;
}

async function addPeerForThisTest(name: string): Promise<Peer> {
  const peer = await addPeer(room, name);
  cleanups.push(() => room.removePeer(peer));
  return peer;
}

/** Records `room` until every producer has a track with some media in it; returns the stopped recording. */
async function recordAWhile(producers: number): Promise<Recorder> {
  const recorder = await Recorder.start(room, {
    startedBy: { userId: 'user-Ana', name: 'Ana' },
    recordingsDir,
    ffmpegPath: 'ffmpeg',
  });
  cleanups.push(() => recorder.stop());
  await waitFor(
    () => recorder.status().trackCount,
    (count) => count === producers,
    { what: `${producers} tracks` },
  );
  await waitFor(
    () => recorder.status().bytes,
    (bytes) => bytes > 20_000,
    { what: 'some media written' },
  );
  await recorder.stop();
  return recorder;
}

test('VP9 and H264 are written as they came', async () => {
  const peer = await addPeerForThisTest('Safari');
  const vp9 = await source(room, peer, 'vp9');
  const h264 = await source(room, peer, 'h264', { source: 'screen' });
  const recorder = await recordAWhile(2);

  for (const [sent, mimeType, codec] of [
    [vp9, 'video/VP9', 'vp9'],
    [h264, 'video/H264', 'h264'],
  ] as const) {
    const track = recorder.manifest.tracks.find((t) => t.producerId === sent.producer.id)!;
    expect(track.mimeType).toBe(mimeType);
    const file = await probe(join(recorder.folder, track.file));
    expect(file).toMatchObject({ codec, width: 320, height: 240 });
    expect(file.durationS).toBeGreaterThan(0);
  }
  expect(recorder.manifest.incomplete).toBe(false);
});

test("a simulcast camera is recorded at its best layer; a screen's sound is a screen track", async () => {
  const peer = await addPeerForThisTest('Chrome');
  const camera = await source(room, peer, 'vp8', { layers: 2 });
  const screenAudio = await source(room, peer, 'opus', { source: 'screen-audio' });
  // Both layers are on their way (a layer that comes later is switched to once its sender reports arrive).
  await waitFor(
    () => camera.producer.getStats(),
    (streams) => streams.length === 2,
    { what: 'both simulcast layers to arrive' },
  );
  const recorder = await recordAWhile(2);

  const tracks = recorder.manifest.tracks;
  const video = tracks.find((t) => t.producerId === camera.producer.id)!;
  expect(await probe(join(recorder.folder, video.file))).toMatchObject({
    codec: 'vp8',
    width: 320,
  });
  expect(tracks.find((t) => t.producerId === screenAudio.producer.id)).toMatchObject({
    kind: 'audio',
    source: 'screen',
  });
});

test('a producer that starts paused is recorded from when it resumes', async () => {
  const peer = await addPeerForThisTest('Muted');
  const microphone = await source(room, peer, 'opus');
  await room.setProducerPaused(peer, microphone.producer.id, true);
  const recorder = await Recorder.start(room, {
    startedBy: { userId: 'user-Ana', name: 'Ana' },
    recordingsDir,
    ffmpegPath: 'ffmpeg',
  });
  cleanups.push(() => recorder.stop());
  // Its tap is ready and waiting; no packet, so no track yet.
  await waitFor(
    () => childProcessesMentioning(recorder.folder).length,
    (count) => count === 1,
    { what: 'the writer to start' },
  );
  expect(recorder.status().trackCount).toBe(0);

  await room.setProducerPaused(peer, microphone.producer.id, false);
  const [track] = await waitFor(
    () => recorder.manifest.tracks,
    (tracks) => tracks.length === 1,
    { what: 'the track to start' },
  );
  expect(track!.pauses).toEqual([]);
  const manifest = await recorder.stop();
  expect(manifest.tracks[0]!.endMs).toBeGreaterThan(track!.startMs);
});
