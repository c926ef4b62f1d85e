import type { WebSocket } from 'ws';

/**
 * What one client socket may cost the host. A socket past a limit is closed
 * with a clear code (1008 policy violation), so no client, bound or not, can
 * grow host memory without bound or keep a dead connection open.
 */
export interface SocketLimits {
  /** Sustained client frames per second, and the burst allowed above it. */
  framesPerSecond: number;
  frameBurst: number;
  /** Frames received but not handled yet: reading pauses above `pauseAt` and the socket closes at `maxQueued`. */
  pauseAt: number;
  maxQueued: number;
  /** Bytes waiting to go out to a client that does not read; past this it is dropped. */
  maxBufferedBytes: number;
  /** The host pings every `heartbeatMs` and drops a socket silent for `idleTimeoutMs`. */
  heartbeatMs: number;
  idleTimeoutMs: number;
  /** A socket must be bound (yp.bind_socket) within this time. */
  bindTimeoutMs: number;
  /** Sockets not bound yet, over all clients: more are refused (1013, try again later). */
  maxUnboundSockets: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  framesPerSecond: 100,
  frameBurst: 400,
  pauseAt: 16,
  maxQueued: 256,
  maxBufferedBytes: 4 * 1024 * 1024,
  heartbeatMs: 1_000,
  idleTimeoutMs: 5_000,
  bindTimeoutMs: 30_000,
  maxUnboundSockets: 256,
};

/** WebSocket close codes the host uses (docs/protocol.md lists them). */
export const CLOSE = {
  goingAway: 1001,
  policy: 1008,
  serviceRestart: 1012,
  tryAgainLater: 1013,
} as const;

/**
 * Watches one socket: a token bucket on incoming frames, a bound on frames
 * queued for handling (with read backpressure), a bound on unread outgoing
 * bytes, and liveness (WebSocket pings; any frame counts as alive).
 */
export class SocketGuard {
  private tokens: number;
  private refilledAt = Date.now();
  private lastSeen = Date.now();
  private queued = 0;
  private paused = false;
  private readonly heartbeat: NodeJS.Timeout;
  /** Set once the guard closed the socket: later frames are dropped unread. */
  closedBy: string | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: SocketLimits,
  ) {
    this.tokens = limits.frameBurst;
    socket.on('pong', () => (this.lastSeen = Date.now()));
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastSeen > limits.idleTimeoutMs) {
        // A laptop that froze or left the network never closes its socket.
        this.closedBy = 'idle';
        socket.terminate();
        return;
      }
      if (socket.readyState === socket.OPEN) socket.ping();
    }, limits.heartbeatMs);
  }

  /** Takes one incoming frame into account; false when the socket was closed for it. */
  admit(): boolean {
    if (this.closedBy) return false;
    const now = Date.now();
    this.lastSeen = now;
    this.tokens = Math.min(
      this.limits.frameBurst,
      this.tokens + ((now - this.refilledAt) / 1000) * this.limits.framesPerSecond,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return this.refuse('message rate exceeded');
    this.tokens--;
    if (this.queued >= this.limits.maxQueued) return this.refuse('too many messages in flight');
    this.queued++;
    if (this.queued > this.limits.pauseAt && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    return true;
  }

  /** One admitted frame was handled. */
  done(): void {
    this.queued--;
    if (this.paused && this.queued <= this.limits.pauseAt / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Whether a frame may be sent; a client that stopped reading is dropped instead. */
  canSend(): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount <= this.limits.maxBufferedBytes) return true;
    this.closedBy = 'not reading';
    this.socket.terminate();
    return false;
  }

  private refuse(why: string): false {
    this.closedBy = why;
    this.socket.close(CLOSE.policy, why);
    // A client flooding us may not answer the close handshake either.
    setTimeout(() => this.socket.terminate(), 1_000).unref();
    return false;
  }

  stop(): void {
    clearInterval(this.heartbeat);
  }
}
