import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RECONNECT_OPTIONS,
  Reconnector,
  type Clock,
  type ReconnectEffects,
  type ReconnectView,
} from './reconnector';

// The reconnect state machine alone, with fake timers and a scripted random
// source: the connection it drives is a set of recorded effects whose
// attempts the tests settle by hand.

interface Deferred {
  resolve(): void;
  reject(error: unknown): void;
}

class FatalError extends Error {}

function harness(randoms: number[] = []) {
  const attempts: Deferred[] = [];
  const resumes: { transportId: string; settle: Deferred }[] = [];
  const views: ReconnectView[] = [];
  let teardowns = 0;
  const effects: ReconnectEffects = {
    rejoin: () => new Promise<void>((resolve, reject) => attempts.push({ resolve, reject })),
    resume: (transportId) =>
      new Promise<void>((resolve, reject) =>
        resumes.push({ transportId, settle: { resolve, reject } }),
      ),
    teardown: () => void teardowns++,
    isFatal: (error) => error instanceof FatalError,
    changed: (view) => views.push(view),
  };
  let nextRandom = 0;
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => randoms[nextRandom++ % Math.max(randoms.length, 1)] ?? 0.5,
  };
  const machine = new Reconnector(effects, {}, clock);
  return {
    machine,
    attempts,
    resumes,
    views,
    teardowns: () => teardowns,
    /** The most recent attempt, failed with a transient error, and its rejection handled. */
    async failLatest() {
      attempts.at(-1)!.reject(new Error('the WebSocket could not connect'));
      await vi.advanceTimersByTimeAsync(0);
    },
    async succeedLatest() {
      attempts.at(-1)!.resolve();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

describe('backoff', () => {
  test('grows exponentially from 500 ms, is capped near 10 s, and jitters within ±25 %', () => {
    const { baseDelayMs, maxDelayMs } = DEFAULT_RECONNECT_OPTIONS;
    for (let attempt = 0; attempt < 40; attempt++) {
      const nominal = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      for (const random of [0, 0.25, 0.5, 0.75, 0.999_999]) {
        const delay = backoffDelay(attempt, random);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.75));
        expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.25));
      }
    }
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 0.5))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    // Two clients that lost the host together do not come back in the same millisecond.
    expect(backoffDelay(3, 0.1)).not.toBe(backoffDelay(3, 0.9));
  });
});

describe('rejoin', () => {
  test('a socket loss tears down, waits a jittered backoff, then walks the join flow again', async () => {
    const h = harness([0.9]);
    h.machine.connected();
    h.machine.socketClosed();
    expect(h.teardowns()).toBe(1);
    const waiting = h.machine.current;
    expect(waiting).toMatchObject({ state: 'waiting', attempt: 0 });
    const delay = (waiting as { nextAttemptAt: number }).nextAttemptAt - Date.now();
    expect(delay).toBe(backoffDelay(0, 0.9));
    await vi.advanceTimersByTimeAsync(delay - 1);
    expect(h.attempts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.attempts).toHaveLength(1);
    expect(h.machine.current).toEqual({ state: 'rejoining', attempt: 0 });
    await h.succeedLatest();
    expect(h.machine.current).toEqual({ state: 'connected' });
  });

  test('keeps trying past 10 failed attempts, each wait longer until the cap, never giving up', async () => {
    const randoms = [0, 0.999, 0.3, 0.7];
    const h = harness(randoms);
    h.machine.connected();
    h.machine.socketClosed();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      const view = h.machine.current;
      expect(view).toMatchObject({ state: 'waiting', attempt });
      const wait = (view as { nextAttemptAt: number }).nextAttemptAt - Date.now();
      waits.push(wait);
      await vi.advanceTimersByTimeAsync(wait);
      expect(h.attempts).toHaveLength(attempt + 1);
      await h.failLatest();
    }
    // Each wait is the nominal backoff ± 25 %.
    waits.forEach((wait, attempt) => {
      const nominal = Math.min(10_000, 500 * 2 ** attempt);
      expect(wait).toBeGreaterThanOrEqual(nominal * 0.75);
      expect(wait).toBeLessThanOrEqual(nominal * 1.25);
    });
    // Jittered: the capped waits are not all the same.
    expect(new Set(waits.slice(10)).size).toBeGreaterThan(1);
    expect(h.machine.current.state).toBe('waiting');
    // And it still comes back once the host does.
    await vi.advanceTimersByTimeAsync(12_500);
    await h.succeedLatest();
    expect(h.machine.current).toEqual({ state: 'connected' });
  });

  test('Retry now skips the wait; the attempt count goes on', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(10_000);
    await h.failLatest();
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 1 });
    h.machine.retryNow();
    expect(h.attempts).toHaveLength(2);
    expect(h.machine.current).toEqual({ state: 'rejoining', attempt: 1 });
    // Retry now during an attempt does not start a second one.
    h.machine.retryNow();
    expect(h.attempts).toHaveLength(2);
    // The skipped timer does not fire an extra attempt later.
    await h.failLatest();
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 2 });
    await vi.advanceTimersByTimeAsync(2500);
    expect(h.attempts).toHaveLength(3);
  });

  test('ICE disconnected first, the socket closing later still starts a rejoin', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('send', 'disconnected');
    h.machine.transportState('recv', 'disconnected');
    // Disconnected alone waits: no resume, no rejoin.
    expect(h.machine.current).toEqual({ state: 'connected' });
    expect(h.resumes).toHaveLength(0);
    h.machine.socketClosed();
    expect(h.machine.current.state).toBe('waiting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.attempts).toHaveLength(1);
  });

  test('a socket lost during a rejoin attempt leads to the next attempt', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.machine.current).toEqual({ state: 'rejoining', attempt: 0 });
    h.machine.socketClosed();
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 1 });
    // The abandoned attempt settling late changes nothing.
    h.attempts[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(1250);
    expect(h.attempts).toHaveLength(2);
  });

  test('an attempt that hangs is abandoned and the next one scheduled', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(DEFAULT_RECONNECT_OPTIONS.attemptTimeoutMs);
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(1250);
    expect(h.attempts).toHaveLength(2);
  });

  test('a request timeout while connected rejoins at once', () => {
    const h = harness();
    h.machine.connected();
    h.machine.requestTimedOut();
    expect(h.attempts).toHaveLength(1);
    expect(h.teardowns()).toBe(1);
  });

  test('a refusal retrying cannot fix ends the meeting instead of looping', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(1000);
    h.attempts[0]!.reject(new FatalError('forbidden'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.machine.current).toEqual({ state: 'ended', reason: 'refused' });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.attempts).toHaveLength(1);
  });

  test('leaving (stop) cancels a pending attempt', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    h.machine.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.attempts).toHaveLength(0);
    expect(h.machine.current).toEqual({ state: 'idle' });
    h.machine.socketClosed();
    expect(h.machine.current).toEqual({ state: 'idle' });
  });
});

describe('room closed', () => {
  test.each(['media_restarted', 'join_timeout'] as const)(
    '%s rejoins at once, without a wait',
    (reason) => {
      const h = harness();
      h.machine.connected();
      h.machine.roomClosed(reason);
      expect(h.attempts).toHaveLength(1);
      expect(h.machine.current).toEqual({ state: 'rejoining', attempt: 0 });
    },
  );

  test('a rejoin reason during a backoff wait skips the wait', () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    h.machine.roomClosed('media_restarted');
    expect(h.attempts).toHaveLength(1);
  });

  test.each(['host_ended', 'room_deleted', 'replaced'] as const)(
    '%s ends the meeting: no retry, later socket closes ignored',
    async (reason) => {
      const h = harness();
      h.machine.connected();
      h.machine.roomClosed(reason);
      expect(h.machine.current).toEqual({ state: 'ended', reason });
      expect(h.teardowns()).toBe(1);
      // The host closes the socket with 1001 right after.
      h.machine.socketClosed();
      h.machine.transportState('send', 'failed');
      h.machine.retryNow();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(h.attempts).toHaveLength(0);
      expect(h.resumes).toHaveLength(0);
      expect(h.machine.current).toEqual({ state: 'ended', reason });
    },
  );

  test('an ending reason also stops a rejoin in progress', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(1000);
    h.machine.roomClosed('host_ended');
    await h.succeedLatest();
    expect(h.machine.current).toEqual({ state: 'ended', reason: 'host_ended' });
  });
});

describe('resume', () => {
  test('ICE failed on a live socket restarts ICE; the transport coming back is the end of it', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('recv', 'failed');
    expect(h.machine.current).toEqual({ state: 'resuming', transports: ['recv'] });
    expect(h.resumes.map((resume) => resume.transportId)).toEqual(['recv']);
    h.resumes[0]!.settle.resolve();
    h.machine.transportState('recv', 'connected');
    expect(h.machine.current).toEqual({ state: 'connected' });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.attempts).toHaveLength(0);
    expect(h.teardowns()).toBe(0);
  });

  test('both transports failing are both restarted; connected only when both are back', () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('send', 'failed');
    h.machine.transportState('recv', 'failed');
    h.machine.transportState('recv', 'failed');
    expect(h.resumes.map((resume) => resume.transportId)).toEqual(['send', 'recv']);
    h.machine.transportState('send', 'connected');
    expect(h.machine.current).toEqual({ state: 'resuming', transports: ['recv'] });
    h.machine.transportState('recv', 'connected');
    expect(h.machine.current).toEqual({ state: 'connected' });
  });

  test('a refused ICE restart becomes a rejoin at once', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('send', 'failed');
    h.resumes[0]!.settle.reject(new Error('not_found'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.attempts).toHaveLength(1);
    expect(h.machine.current).toEqual({ state: 'rejoining', attempt: 0 });
  });

  test('a transport not back within the resume timeout becomes a rejoin', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('send', 'failed');
    h.resumes[0]!.settle.resolve();
    await vi.advanceTimersByTimeAsync(DEFAULT_RECONNECT_OPTIONS.resumeTimeoutMs - 1);
    expect(h.attempts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.attempts).toHaveLength(1);
  });

  test('the socket lost during a resume leads to a rejoin, and the resume settling late is ignored', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('send', 'failed');
    h.machine.socketClosed();
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 0 });
    h.resumes[0]!.settle.reject(new Error('the WebSocket closed'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.attempts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1250);
    expect(h.attempts).toHaveLength(1);
    await h.succeedLatest();
    expect(h.machine.current).toEqual({ state: 'connected' });
    // The old resume timer does not fire a rejoin into the new connection.
    await vi.advanceTimersByTimeAsync(600_000);
    expect(h.attempts).toHaveLength(1);
  });

  test('Retry now during a resume gives up on it and rejoins', () => {
    const h = harness();
    h.machine.connected();
    h.machine.transportState('send', 'failed');
    h.machine.retryNow();
    expect(h.attempts).toHaveLength(1);
  });
});

test('every change is reported to the view, in order', async () => {
  const h = harness([0.5]);
  h.machine.connected();
  h.machine.transportState('send', 'failed');
  h.machine.socketClosed();
  await vi.advanceTimersByTimeAsync(500);
  await h.succeedLatest();
  expect(h.views.map((view) => view.state)).toEqual([
    'connected',
    'resuming',
    'waiting',
    'rejoining',
    'connected',
  ]);
});

describe('lobby', () => {
  test('a rejoin waiting in the lobby is not abandoned by the attempt timer, and ends connected when let in', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.machine.current).toEqual({ state: 'rejoining', attempt: 0 });
    h.machine.waitingInLobby();
    expect(h.machine.current).toEqual({ state: 'lobby', attempt: 0 });
    // An admin may take minutes.
    await vi.advanceTimersByTimeAsync(10 * DEFAULT_RECONNECT_OPTIONS.attemptTimeoutMs);
    expect(h.attempts).toHaveLength(1);
    expect(h.machine.current.state).toBe('lobby');
    await h.succeedLatest();
    expect(h.machine.current).toEqual({ state: 'connected' });
  });

  test('the socket lost while waiting in the lobby knocks again after the usual wait, not an error', async () => {
    const h = harness();
    // The first join knocks (the machine was idle) and its socket drops.
    h.machine.waitingInLobby();
    expect(h.machine.current).toEqual({ state: 'lobby', attempt: 0 });
    h.machine.socketClosed();
    expect(h.teardowns()).toBe(1);
    expect(h.machine.current).toMatchObject({ state: 'waiting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(1250);
    expect(h.attempts).toHaveLength(1);
    // That attempt knocks again, and is let in.
    h.machine.waitingInLobby();
    expect(h.machine.current).toEqual({ state: 'lobby', attempt: 1 });
    await h.succeedLatest();
    expect(h.machine.current).toEqual({ state: 'connected' });
  });

  test('a decline (fatal) while a rejoin waits in the lobby ends it; leaving stops it', async () => {
    const h = harness();
    h.machine.connected();
    h.machine.socketClosed();
    await vi.advanceTimersByTimeAsync(1000);
    h.machine.waitingInLobby();
    h.attempts[0]!.reject(new FatalError('declined'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.machine.current).toEqual({ state: 'ended', reason: 'refused' });

    const left = harness();
    left.machine.waitingInLobby();
    left.machine.stop();
    left.machine.socketClosed();
    expect(left.machine.current).toEqual({ state: 'idle' });
    expect(left.teardowns()).toBe(0);
  });

  test('only a join in flight can wait in the lobby', () => {
    const h = harness();
    h.machine.connected();
    h.machine.waitingInLobby();
    expect(h.machine.current).toEqual({ state: 'connected' });
  });
});
