import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, expect, test } from 'vitest';
import { waitFor } from '../../testing/wait';
import { HOST_STOPPED_PROBLEM, readManifest, recoverInterrupted } from './manifest-file';
import { probe } from './recording-test-kit';

// The host dies mid-recording (killed, crashed, the laptop's power): a host
// process records a meeting and is killed, with its worker, its senders and
// its writers, all at once. What was written stays readable, and the next
// start marks the recording stopped and incomplete so it can be composed.

const recordingsDir = mkdtempSync(join(tmpdir(), 'roundtable-host-crash-'));
let host: ChildProcess | undefined;

afterAll(() => {
  if (host?.pid && host.exitCode === null && host.signalCode === null) killGroup(host.pid);
  rmSync(recordingsDir, { recursive: true, force: true });
});

/** A host that records a meeting and prints the recording's folder once both tracks have media. */
const HOST_SCRIPT = `
import { Recorder } from './recorder';
import { addPeer, openTestRoom, publish } from './recording-test-kit';

const { room } = await openTestRoom();
const ana = await addPeer(room, 'Ana');
await publish(room, ana, 'vp8');
await publish(room, ana, 'opus');
const recorder = await Recorder.start(room, {
  startedBy: { userId: 'user-Ana', name: 'Ana' },
  recordingsDir: process.argv[2],
  ffmpegPath: 'ffmpeg',
});
const timer = setInterval(() => {
  const status = recorder.status();
  if (status.trackCount < 2 || status.bytes < 40_000) return;
  clearInterval(timer);
  console.log(JSON.stringify({ folder: recorder.folder }));
}, 100);
`;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

test('a recording cut short by the host dying keeps its media and is marked when the host starts again', async () => {
  const bundled = await build({
    stdin: { contents: HOST_SCRIPT, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
  });
  // Its own process group: one kill takes the host and every process it started.
  host = spawn(process.execPath, ['--input-type=module', '-', recordingsDir], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  host.stdin!.end(bundled.outputFiles[0]!.text);
  let output = '';
  host.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text));
  const line = await waitFor(
    () => output,
    (text) => text.includes('\n') || host!.exitCode !== null,
    { what: 'the host to record both tracks', timeoutMs: 30_000 },
  );
  const { folder } = JSON.parse(line) as { folder: string };

  killGroup(host.pid!);
  await waitFor(
    () => host!.signalCode,
    (signal) => signal === 'SIGKILL',
    { what: 'the host to die' },
  );
  const cut = await readManifest(folder);
  expect(cut.state).toBe('recording');
  expect(cut.tracks).toHaveLength(2);

  // The host starts again.
  expect(await recoverInterrupted(recordingsDir)).toEqual([cut.id]);
  const recovered = await readManifest(folder);
  expect(recovered).toMatchObject({
    state: 'stopped',
    incomplete: true,
    problems: [HOST_STOPPED_PROBLEM],
  });
  // Every track keeps what its writer had flushed (all but its last second at most).
  for (const track of recovered.tracks) {
    expect(track.endMs).toBeUndefined();
    const file = await probe(join(folder, track.file));
    expect(file.codec).toBe(track.kind === 'video' ? 'vp8' : 'opus');
    expect(file.packetTimes.length).toBeGreaterThan(5);
  }
});
