import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RecordingManifest } from './manifest';
import {
  HOST_STOPPED_PROBLEM,
  ManifestFile,
  readManifest,
  recoverInterrupted,
  writeManifestAtomically,
} from './manifest-file';

// The manifest is what makes a recording composable: saves that race end
// with the newest state, a failed save is retried by the next one, and the
// host's next start marks recordings it never got to stop.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'roundtable-manifest-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the manifest file', () => {
  const base: RecordingManifest = {
    version: 1,
    id: '2026-12-05T12-40-03Z-abc123',
    roomId: 'room',
    hubId: 'hub',
    startedAt: 1_000,
    startedBy: { userId: 'u', name: 'Ana' },
    state: 'recording',
    incomplete: false,
    problems: [],
    tracks: [],
  };

  test('saves asked for at once end with the newest state; a failed write is retried by the next; seal writes last', async () => {
    const folder = join(dir, 'manifest-file');
    mkdirSync(folder);
    const errors: string[] = [];
    const file = new ManifestFile(folder, structuredClone(base));
    file.onError = (error) => errors.push(error.code!);
    const saves = [];
    for (let i = 0; i < 5; i++) {
      file.manifest.problems.push(`problem ${i}`);
      saves.push(file.save());
    }
    await Promise.all(saves);
    expect((await readManifest(folder)).problems).toHaveLength(5);

    rmSync(folder, { recursive: true });
    file.manifest.incomplete = true;
    await file.save();
    expect(errors).toEqual(['ENOENT']);
    expect(file.lastError?.code).toBe('ENOENT');
    mkdirSync(folder);
    await file.save();
    expect(file.lastError).toBeUndefined();
    expect((await readManifest(folder)).incomplete).toBe(true);

    // Sealed: the last state is written, and nothing after it (the composer's writes come next).
    file.manifest.state = 'stopped';
    await file.seal();
    file.manifest.state = 'recording';
    await file.save();
    expect((await readManifest(folder)).state).toBe('stopped');
  });

  test('recoverInterrupted marks recordings the host never stopped, and only those', async () => {
    const recordings = join(dir, 'recordings');
    mkdirSync(recordings);
    const interrupted = { ...base, id: 'a' };
    const stopped = { ...base, id: 'b', state: 'stopped' as const, stoppedAt: 5_000 };
    for (const manifest of [interrupted, stopped]) {
      mkdirSync(join(recordings, manifest.id));
      await writeManifestAtomically(join(recordings, manifest.id), manifest);
    }
    mkdirSync(join(recordings, 'not-a-recording'));
    writeFileSync(join(recordings, 'not-a-recording', 'manifest.json'), '{"what": "else"}');

    expect(await recoverInterrupted(recordings)).toEqual(['a']);
    expect(await readManifest(join(recordings, 'a'))).toMatchObject({
      state: 'stopped',
      incomplete: true,
      problems: [HOST_STOPPED_PROBLEM],
    });
    expect(await readManifest(join(recordings, 'b'))).toEqual(stopped);
    expect(await recoverInterrupted(recordings)).toEqual([]);
    expect(await recoverInterrupted(join(recordings, 'missing'))).toEqual([]);
  });
});
