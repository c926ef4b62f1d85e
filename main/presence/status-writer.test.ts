import { pino } from 'pino';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { OnlineStatus } from '../../shared/protocol/services';
import { StatusWriter, type StatusEntries } from './status-writer';

/** A sink that fails while `failing` is set, and records every batch it stored. */
function fakeStorage() {
  const storage = {
    failing: false,
    attempts: 0,
    batches: [] as [string, OnlineStatus][][],
    stored: new Map<string, OnlineStatus>(),
    sink: (entries: StatusEntries) => {
      storage.attempts++;
      if (storage.failing)
        throw Object.assign(new Error('database or disk is full'), {
          code: 'ERR_SQLITE_ERROR',
          errcode: 13,
        });
      storage.batches.push(entries.map(([user, status]) => [user, status]));
      for (const [user, status] of entries) storage.stored.set(user, status);
    },
  };
  return storage;
}

function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, warnings: () => lines.filter((line) => line.level === 40), lines };
}

const RETRY = { firstDelayMs: 100, maxDelayMs: 1_000 };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a healthy store gets each status at once', () => {
  const storage = fakeStorage();
  const writer = new StatusWriter(storage.sink, capturedLog().log, RETRY);
  writer.write('ana', '1');
  writer.write('ana', '2');
  expect(storage.batches).toEqual([[['ana', '1']], [['ana', '2']]]);
  expect(writer.pendingCount).toBe(0);
  expect(writer.retrying).toBe(false);
  expect(vi.getTimerCount()).toBe(0);
});

test('failed writes never throw, keep the latest status per user and are stored in one batch once storage works', () => {
  const storage = fakeStorage();
  const { log, warnings } = capturedLog();
  const writer = new StatusWriter(storage.sink, log, RETRY, () => 0.5);
  storage.failing = true;

  expect(() => writer.write('ana', '2')).not.toThrow();
  expect(writer.retrying).toBe(true);
  // While a retry waits, new statuses only join the queue: no attempt per change.
  writer.write('ana', '0');
  writer.write('bo', '1');
  writer.write('ana', '1');
  expect(storage.attempts).toBe(1);
  expect(writer.pendingStatus('ana')).toBe('1');
  expect(writer.pendingCount).toBe(2);

  // Retries keep failing: one warning for the whole streak.
  vi.advanceTimersByTime(10_000);
  expect(storage.attempts).toBeGreaterThan(3);
  expect(warnings()).toHaveLength(1);
  expect(warnings()[0]!.msg).toMatch(/cannot store presence/);

  storage.failing = false;
  vi.advanceTimersByTime(RETRY.maxDelayMs);
  expect(storage.batches).toEqual([
    [
      ['ana', '1'],
      ['bo', '1'],
    ],
  ]);
  expect(writer.pendingCount).toBe(0);
  expect(writer.retrying).toBe(false);
  expect(vi.getTimerCount()).toBe(0);

  // A new outage is a new streak, and says so once again.
  storage.failing = true;
  writer.write('bo', '0');
  vi.advanceTimersByTime(5_000);
  expect(warnings()).toHaveLength(2);
});

test('retries back off exponentially up to the ceiling, with jitter below it', () => {
  const storage = fakeStorage();
  const writer = new StatusWriter(storage.sink, capturedLog().log, RETRY, () => 0.999);
  storage.failing = true;
  const attemptsAt: number[] = [];
  const start = Date.now();
  writer.write('ana', '1');
  let seen = storage.attempts;
  for (let t = 0; t < 6_000; t += 10) {
    vi.advanceTimersByTime(10);
    if (storage.attempts !== seen) {
      seen = storage.attempts;
      attemptsAt.push(Date.now() - start);
    }
  }
  const gaps = attemptsAt.map((at, i) => at - (attemptsAt[i - 1] ?? 0));
  // ~100, 200, 400, 800, then 1000 (the ceiling) each time.
  expect(gaps.slice(0, 4)).toEqual([100, 200, 400, 800]);
  expect(new Set(gaps.slice(4))).toEqual(new Set([1_000]));
});

test('the retry timer does not keep the process alive, and close stops it', () => {
  const storage = fakeStorage();
  const writer = new StatusWriter(storage.sink, capturedLog().log, RETRY);
  storage.failing = true;
  const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
  writer.write('ana', '1');
  const timer = setTimeoutSpy.mock.results[0]!.value as NodeJS.Timeout;
  expect(timer.hasRef()).toBe(false);
  writer.close();
  expect(vi.getTimerCount()).toBe(0);
  storage.failing = false;
  vi.advanceTimersByTime(10_000);
  expect(storage.batches).toEqual([]);
  setTimeoutSpy.mockRestore();
});

test('flush retries now; writeSoon calls the sink even with nothing pending', () => {
  const storage = fakeStorage();
  const writer = new StatusWriter(storage.sink, capturedLog().log, RETRY);
  storage.failing = true;
  writer.writeSoon();
  expect(storage.attempts).toBe(1);
  storage.failing = false;
  expect(writer.flush()).toBe(true);
  expect(storage.batches).toEqual([[]]);
  expect(writer.flush()).toBe(true);
  // Nothing pending and nothing owed: no further call.
  expect(storage.attempts).toBe(2);
});
