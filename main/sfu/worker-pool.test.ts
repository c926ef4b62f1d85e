import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, test } from 'vitest';
import type { DownstreamPayloads } from '../../shared/protocol/messages';
import { joinAsGuest, startTestHost, requestAccess } from '../../testing/host';
import { waitFor } from '../../testing/wait';

// A worker the OS kills (memory pressure, a crash) is replaced in its slot
// and its rooms open again on a live worker; a host that cannot start any
// worker says so and lets its supervisor restart it.

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()),
  });
  return { lines, log: pino({ level: 'info' }, stream) };
}

for (const workers of [1, 2]) {
  test(`with ${workers} worker(s), a killed worker is replaced and its room opens again`, async () => {
    const { lines, log } = capturedLog();
    const host = await startTestHost({ workers }, log);
    try {
      const guest = await joinAsGuest(host, 'Survivor');
      const closed = new Promise<DownstreamPayloads['downstream-room-closed']>((resolve) =>
        guest.socket.on('downstream-room-closed', resolve),
      );
      await requestAccess(guest.socket, 'd');
      const room = host.rooms.get(guest.room.room_id)!;
      const deadPid = room.host.worker.pid;
      process.kill(deadPid, 'SIGKILL');

      // Clients are asked to rejoin at once, not told the meeting ended.
      expect(await closed).toMatchObject({
        room_id: guest.room.room_id,
        reason: 'media_restarted',
      });
      await waitFor(
        () => host.pool.workers.length,
        (n) => n === workers,
        { what: 'the pool back to full size' },
      );
      expect(host.pool.workers.map((entry) => entry.worker.pid)).not.toContain(deadPid);
      expect(lines.join('')).toContain('mediasoup worker died');
      expect(lines.join('')).toContain('mediasoup worker replaced');

      // The same room, joined again, lives on a live worker.
      const granted = await requestAccess(guest.socket, 'd');
      expect(granted.peers).toEqual([]);
      const reopened = host.rooms.get(guest.room.room_id)!;
      expect(reopened).not.toBe(room);
      expect(host.pool.workers).toContain(reopened.host);
      guest.socket.close();
    } finally {
      await host.dispose();
    }
  });
}

test('a worker that keeps dying is replaced again each time', async () => {
  const host = await startTestHost({ workers: 1 });
  try {
    for (let round = 0; round < 3; round++) {
      const pid = host.pool.workers[0]!.worker.pid;
      process.kill(pid, 'SIGKILL');
      await waitFor(
        () => host.pool.workers[0]?.worker.pid,
        (next) => next !== undefined && next !== pid,
        { what: `replacement ${round + 1}` },
      );
    }
    // A room still opens on the latest one.
    const guest = await joinAsGuest(host, 'After three crashes');
    await requestAccess(guest.socket, 'd');
    guest.socket.close();
  } finally {
    await host.dispose();
  }
});

test('when no worker can start any more, the host reports it as fatal', async () => {
  // A worker binary that disappears after start-up: every restart fails.
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-worker-'));
  const workerBin = join(dir, 'mediasoup-worker');
  copyFileSync(process.env.MEDIASOUP_WORKER_BIN!, workerBin);
  const { lines, log } = capturedLog();
  let fatal: Error | undefined;
  const host = await startTestHost({ workers: 1, workerBin }, log, {
    onFatal: (error) => (fatal = error),
  });
  try {
    rmSync(workerBin);
    process.kill(host.pool.workers[0]!.worker.pid, 'SIGKILL');
    await waitFor(
      () => fatal,
      (error) => error !== undefined,
      { what: 'the fatal report', timeoutMs: 30_000 },
    );
    expect(fatal!.message).toMatch(/no mediasoup worker could be started/);
    expect(lines.join('')).toContain('no mediasoup worker can run');
  } finally {
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
