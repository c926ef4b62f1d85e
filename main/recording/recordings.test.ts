import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../../testing/wait';
import { createLogger } from '../host/logger';
import {
  addPeer,
  childProcessesMentioning,
  openTestRoom,
  probe,
  publish,
} from './recording-test-kit';
import type { Room } from '../sfu/room';
import { Recordings } from './recordings';

// The host's recordings on a disk of the test's own (a small tmpfs) with a
// real worker and real RTP: a full disk stops the recording, everyone in the
// room is told why, nothing written is lost, and the recording is composed
// once there is room again. The room and the doors' side are in
// main/signaling/recording.test.ts.

let disk: string;
let mounted = false;
let skipReason = '';

beforeAll(() => {
  disk = mkdtempSync(join(tmpdir(), 'roundtable-recordings-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    skipReason = `cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN): ${stderr || (error as Error).message}`;
    console.warn(`[recordings] skipping the full-disk test: ${skipReason}`);
  }
});

afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

test(
  'a full disk stops the recording with the reason for everyone; it is composed once there is room',
  { timeout: 240_000 },
  async (context) => {
    if (!mounted) context.skip(skipReason);
    const { room, worker } = await openTestRoom();
    const ada = await addPeer(room, 'Ada');
    const camera = await publish(room, ada, 'vp8', { bitrate: '3M', noise: true });
    const microphone = await publish(room, ada, 'opus');
    const log = createLogger('silent');
    const recordings = await Recordings.open(disk, log);
    const told: { recording: boolean; by: unknown; message: string | null }[] = [];
    recordings.on('status', (_room, status, by, message) =>
      told.push({ recording: status.recording, by, message }),
    );
    try {
      await recordings.start(room, { actor: null, userId: 'user-Ada', name: 'Ada' });
      expect(told).toEqual([{ recording: true, by: null, message: null }]);
      await waitFor(
        () => told.at(-1),
        (last) => last?.recording === false,
        { what: 'the full disk to stop the recording', timeoutMs: 40_000 },
      );
      expect(told.at(-1)!.message).toMatch(/disk is full/);
      expect(room.isClosed).toBe(false);
      // On a full disk the composition cannot be written either: it says so, and the tracks stay.
      const [failed] = await waitFor(
        () => recordings.list('hub-1'),
        ([summary]) => summary?.state === 'compose_failed',
        { what: 'the composition to give up', timeoutMs: 60_000 },
      );
      expect(failed!.incomplete).toBe(true);
      expect(failed!.problems.join(' ')).toMatch(/disk is full/);
      await recordings.close();

      // Room again (the disk grows): the next start composes what was written.
      execFileSync('mount', ['-o', 'remount,size=256m', disk]);
      const again = await Recordings.open(disk, log);
      const [composed] = await waitFor(
        () => again.list('hub-1'),
        ([summary]) => summary?.state === 'composed' || summary?.state === 'compose_failed',
        { what: 'the composition at the next start', timeoutMs: 120_000 },
      );
      expect(composed!.state).toBe('composed');
      expect(composed!.incomplete).toBe(true);
      const file = await again.composedFile('hub-1', composed!.recording_id);
      const probed = await probe(file.path);
      expect(probed.codec).toBe('h264');
      expect(probed.packetTimes.length).toBeGreaterThan(0);
      await again.close();
    } finally {
      camera.stop();
      microphone.stop();
      room.close(undefined);
      worker.close();
    }
  },
);

/** Ada speaking in a room, and the recordings of a data directory of the test's own. */
async function withAdaSpeaking(
  use: (room: Room, recordings: Recordings, dataDir: string) => Promise<void>,
): Promise<void> {
  const { room, worker } = await openTestRoom();
  const microphone = await publish(room, await addPeer(room, 'Ada'), 'opus');
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-recordings-start-'));
  try {
    await use(room, await Recordings.open(dataDir, createLogger('silent')), dataDir);
  } finally {
    microphone.stop();
    room.close(undefined);
    worker.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ada = { actor: null, userId: 'user-Ada', name: 'Ada' };

test('a host that stops while a recording starts answers "stopping" and leaves no writer running', () =>
  withAdaSpeaking(async (room, recordings, dataDir) => {
    // start() waits for the first packets: the host stops meanwhile.
    const starting = recordings.start(room, ada);
    const closing = recordings.close();
    await expect(starting).rejects.toMatchObject({ reason: 'unavailable' });
    await closing;
    expect(recordings.isRecording(room.id)).toBe(false);
    expect(childProcessesMentioning(join(dataDir, 'recordings'))).toEqual([]);
  }));

test('a stop asked while the recording starts stops it once it has started', () =>
  withAdaSpeaking(async (room, recordings, dataDir) => {
    const told: boolean[] = [];
    recordings.on('status', (_room, status) => told.push(status.recording));
    // From the REST API or `npm run record -- stop` while start() waits for the first packets.
    const starting = recordings.start(room, ada);
    await recordings.stop(room.id, null);
    expect((await starting).recording).toBe(true);
    expect(told).toEqual([true, false]);
    expect(recordings.isRecording(room.id)).toBe(false);
    const [summary] = await recordings.list('hub-1');
    expect(summary?.state).not.toBe('recording');
    const tracks = join(dataDir, 'recordings', summary!.recording_id, 'tracks');
    expect(childProcessesMentioning(tracks)).toEqual([]);
    await recordings.close();
  }));
