import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { encodeMessage } from '../../shared/protocol/frames';
import {
  type DownstreamName,
  type DownstreamPayloads,
  type MessagePrefix,
  type WsErrorReason,
} from '../../shared/protocol/messages';
import type { RoomType } from '../../shared/protocol/services';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import type { User } from '../storage/hub-store';
import { SocketGuard, type SocketLimits } from './socket-guard';

/**
 * One client WebSocket: who it is bound to (yp.bind_socket) and where it is.
 * Its messages are handled one at a time, in order, so a handler never sees
 * the session change under it.
 */
export class ClientSession {
  /** The seed's socket id (ssid): 16 random bytes, base64. */
  readonly id = randomBytes(16).toString('base64');
  user: User | undefined;
  deviceId: string | undefined;
  /** Hubs the bound user belongs to: presence of their members is pushed here. */
  hubIds = new Set<string>();
  room: Room | undefined;
  roomType: RoomType | undefined;
  peer: Peer | undefined;
  /** Waiting in a room's lobby: the room and the knock's id (lobby.ts). */
  knock: { room: Room; id: string } | undefined;
  /** Where the connection comes from, as people read it ("Chrome on Android"): see device-label.ts. */
  device = 'an unknown device';
  /** Until the client enters (upstream-peer-enter) after access: on expiry it is sent away (join_timeout). */
  joinTimer: NodeJS.Timeout | undefined;
  readonly guard: SocketGuard;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    limits: SocketLimits,
  ) {
    this.guard = new SocketGuard(socket, limits);
  }

  send<N extends DownstreamName>(
    prefix: MessagePrefix,
    name: N,
    payload: DownstreamPayloads[N],
  ): void {
    this.sendEncoded(encodeMessage(prefix, name, payload));
  }

  sendEncoded(frame: string): void {
    if (this.guard.canSend()) this.socket.send(frame);
  }

  sendError(
    prefix: MessagePrefix,
    cid: string | null,
    reason: WsErrorReason,
    message: string,
  ): void {
    this.send(prefix, 'downstream-error', { cid, reason, message });
  }

  /** Runs `task` after every task queued before it. */
  enqueue(task: () => Promise<void> | void): Promise<void> {
    this.queue = this.queue.then(task, task);
    return this.queue;
  }
}

export class SessionRegistry {
  private readonly sessions = new Map<string, ClientSession>();

  add(session: ClientSession): void {
    this.sessions.set(session.id, session);
  }

  remove(session: ClientSession): void {
    this.sessions.delete(session.id);
  }

  get(socketId: string): ClientSession | undefined {
    return this.sessions.get(socketId);
  }

  inRoom(room: Room): ClientSession[] {
    return [...this.sessions.values()].filter((session) => session.room === room);
  }

  inHub(hubId: string): ClientSession[] {
    return [...this.sessions.values()].filter((session) => session.hubIds.has(hubId));
  }

  all(): ClientSession[] {
    return [...this.sessions.values()];
  }

  /** Sockets that have not been bound to a user yet. */
  unboundCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) if (!session.user) count++;
    return count;
  }
}
