import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startTestHost } from '../../testing/host';
import { LOCK_FILE } from '../storage/data-dir-lock';
import { HostError } from './host-error';

// The data directory as a host finds it: held by another host, left locked by
// a host that died, or holding a damaged database.

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'rt-data-dir-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test('a second host on the same data directory refuses, naming the first; once it stops, it starts', async () => {
  const first = await startTestHost({ dataDir });
  const refusal = await startTestHost({ dataDir }).then(
    () => undefined,
    (error: unknown) => error as HostError,
  );
  expect(refusal).toBeInstanceOf(HostError);
  expect(refusal!.message).toContain(`process ${process.pid} on ${hostname()}`);
  expect(refusal!.message).toContain(dataDir);
  // The first host is untouched: its lock and its people.
  expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  await first.close();
  expect(readdirSync(dataDir)).not.toContain(LOCK_FILE);
  const second = await startTestHost({ dataDir });
  expect(second.hub.id).toBe(first.hub.id);
  await second.close();
});

test('a lock left by a host that died is taken over', async () => {
  // A real process that is gone now: its pid is in the lock, as a crash leaves it.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(dead.stdout.toString());
  writeFileSync(
    join(dataDir, LOCK_FILE),
    JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
  );
  const host = await startTestHost({ dataDir });
  expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  await host.close();
});

test('a damaged database is moved aside with a timestamp and the host starts fresh', async () => {
  const first = await startTestHost({ dataDir });
  const oldHub = first.hub.id;
  await first.close();
  // Damage the pages after the header: SQLite still opens it, the integrity check does not pass.
  const path = join(dataDir, 'roundtable.db');
  const bytes = readFileSync(path);
  for (let i = 4096; i < bytes.length; i += 7) bytes[i] = 0xa5;
  writeFileSync(path, bytes);

  const second = await startTestHost({ dataDir });
  expect(second.hub.id).not.toBe(oldHub);
  const aside = readdirSync(dataDir).filter((name) => name.startsWith('roundtable.db.corrupt-'));
  expect(aside).toHaveLength(1);
  expect(aside[0]).toMatch(/^roundtable\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
  await second.close();

  // Not a database at all.
  writeFileSync(path, 'this is not SQLite');
  const third = await startTestHost({ dataDir });
  expect(new DatabaseSync(path).prepare('PRAGMA quick_check').get()).toEqual({ quick_check: 'ok' });
  expect(
    readdirSync(dataDir).filter((name) => name.startsWith('roundtable.db.corrupt-')),
  ).toHaveLength(2);
  await third.close();
});
