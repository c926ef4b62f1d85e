import type { WebSocket } from 'ws';
import { encodeMessage, parseUpstream } from '../../shared/protocol/frames';
import {
  HUB_PREFIX,
  MAX_FRAME_BYTES,
  SOCKET_PREFIX,
  type UpstreamMessage,
  type UpstreamName,
} from '../../shared/protocol/messages';
import { asHostError, HostError, isHostFault, WS_REASON } from '../host/host-error';
import type { Logger } from '../host/logger';
import type { Presence } from '../presence/presence';
import type { Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import type { HubStore } from '../storage/hub-store';
import type { Knock } from '../../shared/protocol/moderation';
import { PRIVILEGE, type RoomType } from '../../shared/protocol/services';
import { DEFAULT_MEMBERSHIP_TIMINGS, Membership, type MembershipTimings } from './membership';
import { CLOSED_MESSAGES, fanOutRoomEvents } from './room-events';
import { mediaMessageHandlers, type HandlerContext, type SessionInRoom } from './room-messages';
import { moderationHandlers } from './moderation-messages';
import { fanOutRecordingEvents, recordingHandlers } from './recording-messages';
import type { Recordings } from '../recording/recordings';
import { roomToolHandlers } from './room-tool-messages';
import { RoomModeration } from './room-moderation';
import { RoomTools } from './room-tools';
import { deviceLabel } from './device-label';
import { ClientSession, SessionRegistry } from './session';
import { CLOSE, DEFAULT_SOCKET_LIMITS, type SocketLimits } from './socket-guard';

export interface ClientDoorDeps {
  store: HubStore;
  rooms: RoomRegistry;
  sessions: SessionRegistry;
  presence: Presence;
  log: Logger;
  recordings: Recordings;
  limits?: Partial<SocketLimits>;
  timings?: Partial<MembershipTimings>;
  /** Someone knocked at a room's lobby. */
  onKnock?(knock: Knock): void;
}

/** How the client should pace its own heartbeat: a little slower than the host's, well inside its timeout. */
const CLIENT_HEARTBEAT_FACTOR = 2;

/**
 * The seed-000 WebSocket door: one loop per socket that turns
 * `{room_type}.upstream-*` messages into room operations (room-messages.ts,
 * membership.ts), under the socket's limits (socket-guard.ts); room events
 * come back as `downstream-*` messages (room-events.ts).
 */
export class ClientDoor {
  private readonly limits: SocketLimits;
  private readonly membership: Membership;
  /** Each room's chat, hands and reactions, and its moderation (lock, lobby, removals). */
  private readonly tools = new WeakMap<Room, RoomTools>();
  private readonly moderation = new WeakMap<Room, RoomModeration>();
  private readonly context: HandlerContext;
  /** Set once the host stops: how a socket that arrives meanwhile is turned away. */
  private stopping: { code: number; reason: string } | undefined;

  constructor(private readonly deps: ClientDoorDeps) {
    this.limits = { ...DEFAULT_SOCKET_LIMITS, ...deps.limits };
    const moderationOf = (room: Room) => this.moderation.get(room)!;
    this.membership = new Membership(
      { ...deps, moderationOf },
      { ...DEFAULT_MEMBERSHIP_TIMINGS, ...deps.timings },
    );
    deps.rooms.onRoomCreated((room) => {
      fanOutRoomEvents(room, deps.sessions, this.membership);
      const tools = new RoomTools(room, (name, payload) => {
        for (const session of deps.sessions.inRoom(room))
          if (session.roomType) session.send(session.roomType, name, payload as never);
      });
      this.tools.set(room, tools);
      const moderation = new RoomModeration(room, deps.sessions, (knock) => deps.onKnock?.(knock));
      this.moderation.set(room, moderation);
      room.on('kept-muted', (peer) =>
        moderation.toPeer(peer, 'downstream-muted', {
          room_id: room.id,
          source: 'microphone',
          by: null,
        }),
      );
    });
    this.context = {
      membership: this.membership,
      toolsOf: (room) => this.tools.get(room)!,
      moderationOf,
      store: deps.store,
      recordings: deps.recordings,
    };
    fanOutRecordingEvents(deps.recordings, deps.sessions, (roomId) => deps.rooms.get(roomId));
  }

  /**
   * Takes over a new WebSocket: greets it with its socket id and handles its
   * frames in order. `userAgent` names the device to admins when it knocks.
   */
  accept(socket: WebSocket, userAgent?: string): ClientSession | undefined {
    // A socket that was still connecting when the host began to stop would keep it from stopping.
    if (this.stopping) {
      socket.close(this.stopping.code, this.stopping.reason);
      return undefined;
    }
    if (this.deps.sessions.unboundCount() >= this.limits.maxUnboundSockets) {
      socket.close(CLOSE.tryAgainLater, 'too many sockets waiting to be bound');
      return undefined;
    }
    const session = new ClientSession(socket, this.limits);
    session.device = deviceLabel(userAgent);
    this.deps.sessions.add(session);
    const bindTimer = setTimeout(() => {
      if (!session.user) socket.close(CLOSE.policy, 'bind this socket (yp.bind_socket) in time');
    }, this.limits.bindTimeoutMs);
    socket.on('message', (data, isBinary) => {
      if (!session.guard.admit()) return;
      const frame = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      void session.enqueue(async () => {
        try {
          await this.handleFrame(session, frame, isBinary);
        } finally {
          session.guard.done();
        }
      });
    });
    socket.on('close', (code) => {
      clearTimeout(bindTimer);
      session.guard.stop();
      // "Going away" is a page closing: the person left. Anything else may be a network drop.
      void session.enqueue(() => this.disconnect(session, code !== CLOSE.goingAway));
    });
    session.send(SOCKET_PREFIX, 'downstream-hello', {
      socket_id: session.id,
      max_frame_bytes: MAX_FRAME_BYTES,
      heartbeat_ms: this.limits.heartbeatMs * CLIENT_HEARTBEAT_FACTOR,
      idle_timeout_ms: this.limits.idleTimeoutMs,
    });
    return session;
  }

  private async handleFrame(
    session: ClientSession,
    frame: Buffer,
    isBinary: boolean,
  ): Promise<void> {
    if (isBinary)
      return session.sendError(SOCKET_PREFIX, null, 'invalid_message', 'frames are JSON text');
    if (frame.length > MAX_FRAME_BYTES) {
      return session.sendError(
        SOCKET_PREFIX,
        null,
        'frame_too_large',
        `frames are limited to ${MAX_FRAME_BYTES} bytes`,
      );
    }
    const parsed = parseUpstream(frame.toString('utf8'));
    if (!parsed.ok)
      return session.sendError(parsed.prefix, parsed.cid, parsed.reason, parsed.message);
    if (parsed.ping) return session.send(SOCKET_PREFIX, 'downstream-pong', { cid: parsed.cid });
    const { roomType, name, payload } = parsed;
    try {
      this.authorize(session, payload);
      if (name === 'upstream-request-access') {
        const entered = await this.membership.requestAccess(
          session,
          payload as UpstreamMessage<'upstream-request-access'>,
          roomType,
        );
        if (entered) this.greet(session as SessionInRoom, roomType);
        return;
      }
      if (name === 'upstream-leave' && session.knock?.room.id === payload.room_id) {
        // Waiting in the lobby and giving up: the knock goes.
        this.membership.leave(session);
        return session.send(roomType, 'downstream-ack', { cid: payload.cid });
      }
      if (!session.room || !session.peer || session.room.id !== payload.room_id) {
        throw new HostError(
          'out_of_order',
          `${name} needs access to room ${payload.room_id} first (upstream-request-access)`,
        );
      }
      const handlers = {
        ...mediaMessageHandlers,
        ...roomToolHandlers,
        ...moderationHandlers,
        ...recordingHandlers,
      };
      const handler = handlers[name as Exclude<UpstreamName, 'upstream-request-access'>] as (
        ...args: unknown[]
      ) => Promise<void> | void;
      await handler(session as SessionInRoom, payload, roomType, this.context);
    } catch (error) {
      const hostError = asHostError(error);
      if (isHostFault(hostError))
        this.deps.log.warn({ err: error, message: name }, 'message failed');
      session.sendError(roomType, payload.cid, WS_REASON[hostError.reason], hostError.message);
    }
  }

  /**
   * What someone just let in is told after access: what was said and raised
   * so far (a rejoining client gets it again), who speaks now, the meeting's
   * settings, and, for admins, who waits in the lobby.
   */
  private greet(session: SessionInRoom, roomType: RoomType): void {
    const { room, peer } = session;
    const [chat, hands] = this.tools.get(room)!.history();
    session.send(roomType, 'downstream-chat-history', chat);
    session.send(roomType, 'downstream-hands', hands);
    if (room.activeSpeakerId)
      session.send(roomType, 'downstream-active-speaker', {
        room_id: room.id,
        peer_id: room.activeSpeakerId,
      });
    const moderation = this.moderation.get(room)!;
    session.send(roomType, 'downstream-room-settings', {
      room_id: room.id,
      by: null,
      ...moderation.settings,
    });
    session.send(roomType, 'downstream-recording', {
      room_id: room.id,
      by: null,
      message: null,
      ...this.deps.recordings.status(room.id),
    });
    if (peer.privilege >= PRIVILEGE.admin)
      session.send(roomType, 'downstream-knocks', {
        room_id: room.id,
        knocks: moderation.lobby.knocks,
      });
  }

  /** Only a bound socket may act, and only in its own name. */
  private authorize(session: ClientSession, payload: { user_id: string; ssid: string }): void {
    if (!session.user) throw new HostError('not_bound', 'bind this socket first (yp.bind_socket)');
    if (payload.user_id !== session.user.id || payload.ssid !== session.id) {
      throw new HostError('forbidden', 'user_id and ssid must be those this socket is bound to');
    }
  }

  /** Runs once per session, on close or on shutdown: the peer is held for a reconnect, or leaves. */
  private disconnect(session: ClientSession, mayReconnect: boolean): void {
    if (!this.deps.sessions.get(session.id)) return;
    if (mayReconnect) this.membership.hold(session);
    else this.membership.leave(session);
    this.deps.sessions.remove(session);
    if (session.user) this.deps.presence.socketClosed(session.user.id);
  }

  /** An admin revoked `userId`'s membership: out of every meeting now, their sockets closed. */
  revoke(userId: string, message: string): void {
    this.membership.expel(userId, message);
    for (const session of this.deps.sessions.all())
      if (session.user?.id === userId) session.socket.close(CLOSE.policy, 'membership revoked');
  }

  /** Pushes a member's presence to every socket bound to someone in the hub. */
  publishPresence(hubId: string, userId: string, online: '0' | '1' | '2'): void {
    const frame = encodeMessage(HUB_PREFIX, 'downstream-presence', {
      hub_id: hubId,
      user_id: userId,
      online,
    });
    for (const session of this.deps.sessions.inHub(hubId)) session.sendEncoded(frame);
  }

  /**
   * The host stops. On purpose (`announce`), everyone in a room is told the
   * meeting ended, so clients do not retry, and sockets close as "going
   * away". Otherwise (the host restarts itself) sockets close with 1012
   * (service restart) and no word: clients rejoin once it is back.
   */
  async closeAll(announce: boolean): Promise<void> {
    const stopping = announce
      ? { code: CLOSE.goingAway, reason: 'host shutting down' }
      : { code: CLOSE.serviceRestart, reason: 'host restarting' };
    this.stopping = stopping;
    this.membership.releaseAll();
    await Promise.all(
      this.deps.sessions.all().map(async (session) => {
        await session.enqueue(() => {
          if (announce) this.membership.sendAway(session, 'host_ended', CLOSED_MESSAGES.host_ended);
          this.disconnect(session, false);
        });
        session.socket.close(stopping.code, stopping.reason);
      }),
    );
  }
}
