import { ROOM_CLOSED_REASONS, type RoomClosedReason } from '../../shared/protocol/messages';

/*
 * The one reconnect state machine of the client: pure, with its clock, timers
 * and random number source injected, so tests drive it with fake timers. It
 * decides what to do; the connection (connection.ts) does it and tells the
 * machine what happened. What the UI shows is derived from its `view`.
 *
 * LiveKit's split:
 *   resume   only the media path broke: a transport's ICE went 'failed' while
 *            the socket is fine → restart ICE on that transport. ICE
 *            'disconnected' alone waits (it often recovers by itself).
 *   rejoin   the socket or the room is gone (socket closed, room closed with a
 *            rejoin reason, a request timed out, the resume failed or did not
 *            recover in time) → tear everything down and walk the whole join
 *            flow again, with jittered exponential backoff, for as long as the
 *            person stays on the page.
 *   end      the meeting ended on purpose (room closed with an ending reason,
 *            or the host refused us for good): never retried by itself.
 *
 *   idle ──connected()──▶ connected ──ICE failed──▶ resuming ──ICE back──▶ connected
 *                            │  ▲                       │ restart failed / timeout / socket lost
 *                            │  └──── attempt ok ─────┐ ▼
 *                            └─socket lost─▶ waiting ─▶ rejoining ─attempt failed─▶ waiting …
 *   any state ──ending reason / refused──▶ ended;   stop() ──▶ idle
 *
 *   lobby    the host made the join (the first one, or a rejoin attempt) wait
 *            for an admin: that can take minutes, so the attempt's timer stops.
 *            Admitted, the join goes on and ends in connected; a socket lost
 *            meanwhile took the knock with it, so it counts as a failed attempt
 *            and the next one knocks again.
 *
 *   idle / rejoining ──waitingInLobby()──▶ lobby ──admitted, in──▶ connected
 *                                            └──socket lost──▶ waiting ─▶ rejoining (knocks again)
 */

/** Room-closed reasons that end the meeting for this client (ROOM_CLOSED_REASONS says 'end'). */
export type EndingRoomReason = {
  [R in RoomClosedReason]: (typeof ROOM_CLOSED_REASONS)[R] extends 'end' ? R : never;
}[RoomClosedReason];
/** Why the meeting is over for this client: an ending room-closed reason, or the host refusing a rejoin for good. */
export type EndReason = EndingRoomReason | 'refused';

export type ReconnectView =
  | { state: 'idle' }
  | { state: 'connected' }
  | { state: 'resuming'; transports: string[] }
  | { state: 'waiting'; attempt: number; nextAttemptAt: number }
  | { state: 'rejoining'; attempt: number }
  | { state: 'lobby'; attempt: number }
  | { state: 'ended'; reason: EndReason };

/** What the machine asks the connection to do. */
export interface ReconnectEffects {
  /** One full join attempt (tearing down what is left first); rejects when it failed. */
  rejoin(): Promise<void>;
  /** ICE restart of one transport; rejects when the host or the browser refused it. */
  resume(transportId: string): Promise<void>;
  /** Close whatever the connection holds (socket, transports); local tracks stay. */
  teardown(): void;
  /** A failed attempt that retrying cannot fix (the invite was revoked, the hub is gone). */
  isFatal(error: unknown): boolean;
  /** The view changed; the connection mirrors it into the store. */
  changed(view: ReconnectView): void;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1). */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

export interface ReconnectOptions {
  /** The first backoff delay; each further attempt doubles it. */
  baseDelayMs: number;
  /** The longest wait between attempts, before jitter. */
  maxDelayMs: number;
  /** ± this share of the delay, at random, so a room full of clients does not return in one burst. */
  jitter: number;
  /** A resume that has not brought the transports back by then becomes a rejoin. */
  resumeTimeoutMs: number;
  /** An attempt still running after this long is abandoned (a hung fetch, say) and the next one scheduled. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RECONNECT_OPTIONS: ReconnectOptions = {
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  jitter: 0.25,
  resumeTimeoutMs: 10_000,
  attemptTimeoutMs: 30_000,
};

/** The wait before attempt `attempt` (0-based) of a rejoin, jittered by `random` in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: number,
  options: Pick<
    ReconnectOptions,
    'baseDelayMs' | 'maxDelayMs' | 'jitter'
  > = DEFAULT_RECONNECT_OPTIONS,
): number {
  const capped = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(capped * (1 + options.jitter * (2 * random - 1)));
}

export function isEndingReason(reason: RoomClosedReason): reason is EndingRoomReason {
  return ROOM_CLOSED_REASONS[reason] === 'end';
}

export class Reconnector {
  private view: ReconnectView = { state: 'idle' };
  private readonly options: ReconnectOptions;
  /** Bumped whenever an attempt or a resume is abandoned: late results of older runs are ignored. */
  private run = 0;
  private timer: unknown;
  private readonly failedTransports = new Set<string>();

  constructor(
    private readonly effects: ReconnectEffects,
    options: Partial<ReconnectOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.options = { ...DEFAULT_RECONNECT_OPTIONS, ...options };
  }

  get current(): ReconnectView {
    return this.view;
  }

  /** The (first) join succeeded: from now on losses are repaired. */
  connected(): void {
    this.cancel();
    this.set({ state: 'connected' });
  }

  /** The socket closed without a room-closed first (host gone, network gone, heartbeat). */
  socketClosed(): void {
    const state = this.view.state;
    if (state === 'connected' || state === 'resuming') this.beginRejoin(false, 0);
    // The attempt's own socket died (with our knock, in the lobby): the next one waits its turn.
    else if (state === 'rejoining' || state === 'lobby') this.attemptFailed(this.view.attempt);
  }

  /**
   * The join in flight (the first one, or a rejoin attempt) waits in the
   * lobby: no timer may abandon it, since an admin may take minutes to answer.
   */
  waitingInLobby(): void {
    const view = this.view;
    if (view.state !== 'idle' && view.state !== 'rejoining' && view.state !== 'lobby') return;
    // Only the timer: the attempt itself (its run) stays, and ends in connected when let in.
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.set({ state: 'lobby', attempt: view.state === 'idle' ? 0 : view.attempt });
  }

  roomClosed(reason: RoomClosedReason): void {
    if (this.view.state === 'idle' || this.view.state === 'ended') return;
    if (isEndingReason(reason)) return this.end(reason);
    // The host asks us back at once (the room was rebuilt, or we took too long to enter).
    this.beginRejoin(true, 0);
  }

  /** A request went unanswered: the link is as good as gone. */
  requestTimedOut(): void {
    if (this.view.state === 'connected' || this.view.state === 'resuming')
      this.beginRejoin(true, 0);
  }

  /**
   * A transport's ICE state (mediasoup-client's connectionstatechange):
   * 'failed' starts a resume, 'connected' ends one; 'disconnected' just waits,
   * since it often recovers by itself and a socket loss or 'failed' follows if not.
   */
  transportState(transportId: string, state: string): void {
    if (state === 'failed') this.transportFailed(transportId);
    else if (state === 'connected') this.transportConnected(transportId);
  }

  private transportFailed(transportId: string): void {
    const state = this.view.state;
    if (state !== 'connected' && state !== 'resuming') return;
    if (this.failedTransports.has(transportId)) return;
    this.failedTransports.add(transportId);
    if (state === 'connected') {
      this.run++;
      this.schedule(this.options.resumeTimeoutMs, () => this.beginRejoin(true, 0));
    }
    this.set({ state: 'resuming', transports: [...this.failedTransports] });
    const run = this.run;
    this.effects.resume(transportId).catch(() => {
      if (run === this.run && this.view.state === 'resuming') this.beginRejoin(true, 0);
    });
  }

  private transportConnected(transportId: string): void {
    if (this.view.state !== 'resuming' || !this.failedTransports.delete(transportId)) return;
    if (this.failedTransports.size > 0) {
      this.set({ state: 'resuming', transports: [...this.failedTransports] });
      return;
    }
    this.cancel();
    this.set({ state: 'connected' });
  }

  /** "Retry now": skip the wait (or stop waiting for a resume). */
  retryNow(): void {
    if (this.view.state === 'waiting') this.attempt(this.view.attempt);
    else if (this.view.state === 'resuming') this.beginRejoin(true, 0);
  }

  /** The person left: nothing more happens. */
  stop(): void {
    this.cancel();
    this.set({ state: 'idle' });
  }

  /** Ends the meeting for this client; never retried by itself. */
  end(reason: EndReason): void {
    this.cancel();
    this.effects.teardown();
    this.set({ state: 'ended', reason });
  }

  private beginRejoin(immediate: boolean, attempt: number): void {
    this.cancel();
    this.effects.teardown();
    if (immediate) this.attempt(attempt);
    else this.wait(attempt);
  }

  private wait(attempt: number): void {
    const delay = backoffDelay(attempt, this.clock.random(), this.options);
    this.schedule(delay, () => this.attempt(attempt));
    this.set({ state: 'waiting', attempt, nextAttemptAt: this.clock.now() + delay });
  }

  private attempt(attempt: number): void {
    this.cancel();
    const run = this.run;
    this.set({ state: 'rejoining', attempt });
    this.schedule(this.options.attemptTimeoutMs, () => this.attemptFailed(attempt));
    this.effects.rejoin().then(
      () => {
        if (run !== this.run) return;
        this.cancel();
        this.set({ state: 'connected' });
      },
      (error: unknown) => {
        if (run !== this.run) return;
        if (this.effects.isFatal(error)) this.end('refused');
        else this.attemptFailed(attempt);
      },
    );
  }

  private attemptFailed(attempt: number): void {
    this.cancel();
    this.effects.teardown();
    this.wait(attempt + 1);
  }

  /** Abandons whatever runs now: its timer, its late results, the transports it was resuming. */
  private cancel(): void {
    this.run++;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.failedTransports.clear();
  }

  private schedule(ms: number, callback: () => void): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      callback();
    }, ms);
  }

  private set(view: ReconnectView): void {
    this.view = view;
    this.effects.changed(view);
  }
}
