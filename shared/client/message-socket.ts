import {
  type DownstreamName,
  type DownstreamPayloads,
  type UpstreamName,
  type UpstreamPayload,
  type WsErrorReason,
} from '../protocol/messages';
import type { RoomType } from '../protocol/services';

/** What the host answers an upstream message with, by name. */
export interface ReplyTo {
  /** In a locked meeting (or without an invite) the answer is a wait in the lobby. */
  'upstream-request-access': 'downstream-access-granted' | 'downstream-lobby-waiting';
  'upstream-offer': 'downstream-offer-acknowledged';
  'downstream-offer': 'downstream-response';
  'upstream-restart-ice': 'downstream-ice-restarted';
}
export type ReplyOf<N extends UpstreamName> = N extends keyof ReplyTo
  ? ReplyTo[N]
  : 'downstream-ack';
/** The reply's payload for one request: the seed's SDP form (with `sdpOffer`) is answered with an `sdpAnswer`. */
export type ReplyFor<N extends UpstreamName, P> = P extends { sdpOffer: string }
  ? Extract<DownstreamPayloads[ReplyOf<N>], { sdpAnswer: string }>
  : Exclude<DownstreamPayloads[ReplyOf<N>], { sdpAnswer: string }>;

/** A downstream-error answering one of our messages. */
export class MessageRejectedError extends Error {
  override readonly name = 'MessageRejectedError';
  constructor(
    readonly reason: WsErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** The host did not answer a request in time; the socket may be dead or the host stuck. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly request: string,
    readonly timeoutMs: number,
  ) {
    super(`the host did not answer ${request} within ${timeoutMs} ms (WebSocket)`);
  }
}

/** The WebSocket is not open (any more): the request was never answered, or never sent. */
export class SocketClosedError extends Error {
  override readonly name = 'SocketClosedError';
  constructor(message = 'the WebSocket closed') {
    super(message);
  }
}

export interface Identity {
  user_id: string;
  hub_id: string;
  room_id: string;
}

/** How the socket ended: closed by the host or the network, by us, or declared dead by the heartbeat. */
export interface CloseInfo {
  cause: 'remote' | 'local' | 'heartbeat';
  code: number;
  reason: string;
}

export interface MessageSocketOptions {
  /** A request without an answer after this long is rejected with RequestTimeoutError. */
  requestTimeoutMs?: number;
  /** `connect` gives up when the socket has not said hello after this long. */
  connectTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Close code (application range) we use when the heartbeat declares the socket dead. */
export const HEARTBEAT_CLOSE_CODE = 4000;

const OPEN = 1;

type PushListener = (payload: never) => void;
type Timer = ReturnType<typeof setTimeout>;

/**
 * The client end of the host's WebSocket: learns its socket id (and the
 * heartbeat the host expects) from the hello, sends upstream messages with the
 * seed's envelope and a fresh cid, matches replies by cid, and hands pushed
 * messages to listeners by name.
 *
 * Failures always arrive as rejected promises: a request on a socket that is
 * not open rejects at once (SocketClosedError), one the host leaves
 * unanswered rejects after `requestTimeoutMs` (RequestTimeoutError). After the
 * hello it pings every `heartbeat_ms` and declares the socket dead after
 * `idle_timeout_ms` without any frame from the host: a laptop whose network
 * vanished gets no close event for minutes otherwise. Works in browsers and in
 * Node (global WebSocket).
 */
export class MessageSocket {
  socketId = '';
  identity: Identity | undefined;
  private nextCid = 1;
  private readonly pending = new Map<
    string,
    { resolve: (payload: unknown) => void; reject: (error: Error) => void; timer: Timer }
  >();
  private readonly listeners = new Map<string, Set<PushListener>>();
  private readonly opened: Promise<void>;
  private readonly closeListeners: ((info: CloseInfo) => void)[] = [];
  private readonly requestTimeoutMs: number;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private idleTimer: Timer | undefined;
  private idleTimeoutMs = 0;
  private lastHeardAt = Date.now();
  private closedWith: CloseInfo | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly roomType: RoomType = 'meeting',
    options: MessageSocketOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.opened = new Promise((resolve, reject) => {
      const onHello = (payload: DownstreamPayloads['downstream-hello']) => {
        this.socketId = payload.socket_id;
        this.off('downstream-hello', onHello);
        this.startHeartbeat(payload.heartbeat_ms, payload.idle_timeout_ms);
        resolve();
      };
      this.on('downstream-hello', onHello);
      socket.addEventListener('error', () => reject(new Error('the WebSocket could not connect')), {
        once: true,
      });
      this.onClose(() => reject(new SocketClosedError('the WebSocket closed before its hello')));
    });
    // Nobody may be waiting for `opened` (a socket built by hand): no unhandled rejection.
    this.opened.catch(() => undefined);
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) =>
      this.finish({ cause: 'remote', code: event.code, reason: event.reason }),
    );
  }

  /** Opens a socket and waits for the host's hello; rejects if none comes within `connectTimeoutMs`. */
  static async connect(
    url: string | URL,
    roomType: RoomType = 'meeting',
    options: MessageSocketOptions = {},
  ): Promise<MessageSocket> {
    const messages = new MessageSocket(new WebSocket(url), roomType, options);
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new RequestTimeoutError('the WebSocket hello', timeoutMs));
        messages.close();
      }, timeoutMs);
    });
    try {
      await Promise.race([messages.opened, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return messages;
  }

  /** True once the socket closed or was declared dead; requests then reject at once. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /**
   * Sends `name` with the envelope filled in and resolves with the host's
   * reply to it. Never throws: every failure is a rejection.
   */
  request<N extends UpstreamName, P extends UpstreamPayload<N>>(
    name: N,
    payload: P,
  ): Promise<ReplyFor<N, P>> {
    if (!this.identity)
      return Promise.reject(
        new Error('set identity (user, hub, room) before sending room messages'),
      );
    if (this.closedWith || this.socket.readyState !== OPEN)
      return Promise.reject(new SocketClosedError(`the WebSocket is not open (${name} not sent)`));
    const cid = `c${this.nextCid++}`;
    const reply = new Promise<ReplyFor<N, P>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cid);
        reject(new RequestTimeoutError(name, this.requestTimeoutMs));
      }, this.requestTimeoutMs);
      this.pending.set(cid, { resolve: resolve as (payload: unknown) => void, reject, timer });
    });
    try {
      this.sendRaw(
        JSON.stringify([
          `${this.roomType}.${name}`,
          { cid, ...this.identity, ssid: this.socketId, ...payload },
        ]),
      );
    } catch (error) {
      this.settle(cid)?.reject(error instanceof Error ? error : new SocketClosedError());
    }
    return reply;
  }

  sendRaw(frame: string): void {
    this.socket.send(frame);
  }

  on<N extends DownstreamName>(
    name: N,
    listener: (payload: DownstreamPayloads[N]) => void,
  ): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as PushListener);
    return () => this.off(name, listener);
  }

  off<N extends DownstreamName>(name: N, listener: (payload: DownstreamPayloads[N]) => void): void {
    this.listeners.get(name)?.delete(listener as PushListener);
  }

  /**
   * Called once when the socket ends, whoever ended it: the host or the
   * network (a close event), `close()`, or the heartbeat finding it silent.
   * Added after the end, the listener is called at once.
   */
  onClose(listener: (info: CloseInfo) => void): void {
    if (this.closedWith) listener(this.closedWith);
    else this.closeListeners.push(listener);
  }

  /** Closes the socket; pending requests reject and close listeners run now, not at the close event. */
  close(code = 1000, reason = ''): void {
    this.finish({ cause: 'local', code, reason });
    this.shut(code, reason);
  }

  private shut(code: number, reason: string): void {
    try {
      this.socket.close(code, reason);
    } catch {
      // Already closing, or a code the implementation refuses: the socket is going anyway.
    }
  }

  private startHeartbeat(heartbeatMs: number | undefined, idleTimeoutMs: number | undefined): void {
    if (this.closedWith) return;
    // A host older than the heartbeat sends neither: then the socket relies on close events alone.
    if (heartbeatMs && heartbeatMs > 0) {
      this.heartbeat = setInterval(() => {
        if (this.socket.readyState !== OPEN) return;
        try {
          this.sendRaw(JSON.stringify(['socket.upstream-ping', { cid: `p${this.nextCid++}` }]));
        } catch {
          // The close event follows.
        }
      }, heartbeatMs);
    }
    if (idleTimeoutMs && idleTimeoutMs > 0) {
      this.idleTimeoutMs = idleTimeoutMs;
      this.lastHeardAt = Date.now();
      this.watchIdle(idleTimeoutMs);
    }
  }

  /** Checks when the idle timeout could have run out; any frame heard meanwhile moves the check on. */
  private watchIdle(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      const silentFor = Date.now() - this.lastHeardAt;
      if (silentFor < this.idleTimeoutMs) return this.watchIdle(this.idleTimeoutMs - silentFor);
      const reason = `no frame from the host for ${this.idleTimeoutMs} ms`;
      this.finish({ cause: 'heartbeat', code: HEARTBEAT_CLOSE_CODE, reason });
      this.shut(HEARTBEAT_CLOSE_CODE, reason);
    }, delayMs);
  }

  /** The one end of the socket: timers stop, requests reject, close listeners run, once. */
  private finish(info: CloseInfo): void {
    if (this.closedWith) return;
    this.closedWith = info;
    clearInterval(this.heartbeat);
    clearTimeout(this.idleTimer);
    const error = new SocketClosedError(
      info.cause === 'heartbeat' ? `the WebSocket went silent (${info.reason})` : undefined,
    );
    for (const cid of [...this.pending.keys()]) this.settle(cid)?.reject(error);
    for (const listener of this.closeListeners.splice(0)) listener(info);
  }

  private settle(cid: string) {
    const waiting = this.pending.get(cid);
    if (!waiting) return undefined;
    this.pending.delete(cid);
    clearTimeout(waiting.timer);
    return waiting;
  }

  private receive(frame: string): void {
    this.lastHeardAt = Date.now();
    let fullName: string;
    let payload: Record<string, unknown>;
    try {
      [fullName, payload] = JSON.parse(frame) as [string, Record<string, unknown>];
      if (typeof fullName !== 'string' || typeof payload !== 'object' || payload === null) return;
    } catch {
      return;
    }
    const name = fullName.slice(fullName.indexOf('.') + 1) as DownstreamName;
    const waiting = typeof payload.cid === 'string' ? this.settle(payload.cid) : undefined;
    if (waiting) {
      if (name === 'downstream-error') {
        waiting.reject(
          new MessageRejectedError(payload.reason as WsErrorReason, String(payload.message)),
        );
      } else {
        waiting.resolve(payload);
      }
      return;
    }
    for (const listener of this.listeners.get(name) ?? [])
      (listener as (payload: unknown) => void)(payload);
  }
}
