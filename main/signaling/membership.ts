import type { types } from 'mediasoup';
import type {
  RoomClosedReason,
  TransportOptions,
  UpstreamMessage,
} from '../../shared/protocol/messages';
import { PRIVILEGE, type RoomType } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import type { Presence } from '../presence/presence';
import { distinctName } from '../sfu/display-names';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { newId, type HubStore } from '../storage/hub-store';
import { CLOSED_MESSAGES } from './room-events';
import type { RoomModeration } from './room-moderation';
import type { ClientSession, SessionRegistry } from './session';

/** How long the host keeps a person's place when their connection drops, and waits for them to enter. */
export interface MembershipTimings {
  /** A peer whose socket dropped stays (tile kept, marked reconnecting) this long for its client to come back. */
  resumeGraceMs: number;
  /** Access granted but no upstream-peer-enter within this time: the peer is removed (join_timeout). */
  joinTimeoutMs: number;
}

export const DEFAULT_MEMBERSHIP_TIMINGS: MembershipTimings = {
  resumeGraceMs: 3_000,
  joinTimeoutMs: 20_000,
};

export interface MembershipDeps {
  store: HubStore;
  rooms: RoomRegistry;
  sessions: SessionRegistry;
  presence: Presence;
  /** Each room's lock, lobby and removals. */
  moderationOf(room: Room): RoomModeration;
}

/** A peer whose client lost its socket, kept for a grace period. */
interface HeldPeer {
  room: Room;
  peer: Peer;
  timer: NodeJS.Timeout;
}

function transportOptions(transport: types.WebRtcTransport): TransportOptions {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
  };
}

/**
 * Who is in which room through the client door: access, entering, leaving,
 * and what happens when a connection drops. One person has one peer per
 * room: coming back (a reconnect within the grace period, or the same person
 * in a second tab) takes over that peer, keeping its id, and an older socket
 * still holding it is told it was replaced.
 */
export class Membership {
  private readonly held = new Map<string, HeldPeer>();

  constructor(
    private readonly deps: MembershipDeps,
    private readonly timings: MembershipTimings,
  ) {
    deps.rooms.onRoomCreated((room) =>
      room.once('closed', () => {
        for (const [id, entry] of this.held) if (entry.room === room) this.release(id);
      }),
    );
  }

  /**
   * Lets the socket's person into the room (downstream-access-granted), or
   * into its lobby (downstream-lobby-waiting) when the meeting is locked or
   * they came without an invite. Returns whether they got in.
   */
  async requestAccess(
    session: ClientSession,
    message: UpstreamMessage<'upstream-request-access'>,
    roomType: RoomType,
  ): Promise<boolean> {
    const user = session.user!;
    if (session.room)
      throw new HostError('out_of_order', 'this socket is already in a room; leave it first');
    const privilege = this.deps.store.privilegeOf(message.hub_id, user.id);
    if (privilege === undefined) {
      throw new HostError('forbidden', `not a member of hub ${message.hub_id}`);
    }
    if (this.deps.store.roomIdFor(message.hub_id, roomType) !== message.room_id) {
      throw new HostError(
        'not_found',
        `no ${roomType} room ${message.room_id} in hub ${message.hub_id}`,
      );
    }
    const room = await this.deps.rooms.open(message.room_id, message.hub_id);
    const moderation = this.deps.moderationOf(room);
    try {
      moderation.assertNotBanned(user.id, session.deviceId);
      if (!moderation.entersDirectly(user.id, privilege)) {
        const shown = [...room.peers.values()].map((peer) => peer.displayName);
        const invited = privilege >= PRIVILEGE.member;
        const knock = moderation.lobby.knock(
          session,
          roomType,
          distinctName(user.fullname, shown),
          invited,
        );
        session.send(roomType, 'downstream-lobby-waiting', {
          cid: message.cid,
          room_id: room.id,
          knock_id: knock.knock_id,
        });
        return false;
      }
    } catch (error) {
      this.closeIfEmpty(room);
      throw error;
    }
    moderation.lobby.cancel(session);
    moderation.admit(user.id);
    // Counted in the meeting before a takeover releases the old peer, so presence does not flicker.
    this.deps.presence.enteredMeeting(user.id);
    let peer: Peer;
    try {
      peer =
        this.takeOver(session, room) ??
        (await room.addPeer(newId(), user.id, user.fullname, privilege));
    } catch (error) {
      this.deps.presence.leftMeeting(user.id);
      throw error;
    }
    // The hub's word on the privilege is the stored one (it may have changed since the peer was made).
    peer.privilege = privilege;
    moderation.applyUnmutePolicy(peer);
    session.room = room;
    session.roomType = roomType;
    session.peer = peer;
    session.joinTimer = setTimeout(
      () => void session.enqueue(() => this.expire(session, peer)),
      this.timings.joinTimeoutMs,
    );
    session.joinTimer.unref();
    let send: types.WebRtcTransport, recv: types.WebRtcTransport;
    try {
      [send, recv] = await Promise.all([
        room.createTransport(peer, 'send'),
        room.createTransport(peer, 'recv'),
      ]);
    } catch (error) {
      // All or nothing: a client that got no transports is not in the room.
      this.leave(session);
      throw error;
    }
    session.send(roomType, 'downstream-access-granted', {
      cid: message.cid,
      room_id: room.id,
      peer_id: peer.id,
      display_name: peer.displayName,
      privilege: peer.privilege,
      peers: room.peerInfos(peer),
      routerRtpCapabilities: room.router.rtpCapabilities,
      sendTransport: transportOptions(send),
      recvTransport: transportOptions(recv),
    });
    return true;
  }

  /** The person's own earlier peer in `room` (held after a drop, or another socket's), replaced by a fresh one with its id. */
  private takeOver(session: ClientSession, room: Room): Peer | undefined {
    const userId = session.user!.id;
    const held = [...this.held.entries()].find(
      ([, entry]) => entry.room === room && entry.peer.userId === userId,
    );
    if (held) {
      const [id, entry] = held;
      this.release(id);
      return room.replacePeer(entry.peer);
    }
    const other = this.deps.sessions
      .inRoom(room)
      .find((candidate) => candidate !== session && candidate.user?.id === userId);
    if (!other?.peer) return undefined;
    const old = other.peer;
    this.sendAway(other, 'replaced', CLOSED_MESSAGES.replaced);
    return room.replacePeer(old);
  }

  /** upstream-peer-enter: the client is set up; it stays. */
  entered(session: ClientSession): void {
    clearTimeout(session.joinTimer);
    session.joinTimer = undefined;
  }

  /** upstream-leave, or a socket closed on purpose: the peer goes now (or the knock, from a lobby). */
  leave(session: ClientSession): void {
    this.stopKnocking(session);
    const { room, peer } = session;
    if (!room || !peer) return;
    this.forget(session);
    room.removePeer(peer);
  }

  /**
   * Takes `peer` out of `room` on an admin's word (removed, revoked): its
   * socket is told why, a place held for it is given up, and it leaves.
   */
  remove(room: Room, peer: Peer, reason: RoomClosedReason, message: string): void {
    const session = this.deps.sessions.inRoom(room).find((candidate) => candidate.peer === peer);
    if (session) this.sendAway(session, reason, message);
    else this.release(peer.id);
    room.removePeer(peer);
  }

  /** Takes every peer and knock of a user whose membership an admin revoked out of their rooms. */
  expel(userId: string, message: string): void {
    for (const session of this.deps.sessions.all()) {
      if (session.user?.id !== userId) continue;
      this.stopKnocking(session);
      if (session.room && session.peer) this.remove(session.room, session.peer, 'revoked', message);
    }
    for (const entry of [...this.held.values()])
      if (entry.peer.userId === userId) this.remove(entry.room, entry.peer, 'revoked', message);
  }

  /** A socket waiting in a lobby stops waiting; a room opened only for its knock closes again. */
  private stopKnocking(session: ClientSession): void {
    const room = session.knock?.room;
    if (!room) return;
    this.deps.moderationOf(room).lobby.cancel(session);
    this.closeIfEmpty(room);
  }

  /** A room that has nobody in it and nobody waiting is closed, as when its last peer leaves. */
  closeIfEmpty(room: Room): void {
    if (room.peers.size === 0 && this.deps.moderationOf(room).lobby.size === 0)
      room.close(undefined);
  }

  /**
   * The socket dropped without a leave: the peer keeps its place, marked as
   * reconnecting, until its client comes back or the grace period ends.
   * A client that never entered has nothing worth keeping.
   */
  hold(session: ClientSession): void {
    this.stopKnocking(session);
    const { room, peer } = session;
    if (!room || !peer) return;
    if (session.joinTimer || room.isClosed) return this.leave(session);
    // Still in the meeting for presence: the hold owes its leftMeeting (release()).
    this.detach(session);
    const timer = setTimeout(() => {
      this.release(peer.id);
      room.removePeer(peer);
    }, this.timings.resumeGraceMs);
    timer.unref();
    this.held.set(peer.id, { room, peer, timer });
    room.setReconnecting(peer, true);
  }

  /** Tells a socket it is no longer in its room, and why. */
  sendAway(session: ClientSession, reason: RoomClosedReason, message: string): void {
    const { room, roomType } = session;
    if (!room || !roomType) return;
    this.forget(session);
    session.send(roomType, 'downstream-room-closed', { room_id: room.id, reason, message });
  }

  /** Ends every hold now (the host is stopping). */
  releaseAll(): void {
    for (const id of [...this.held.keys()]) this.release(id);
  }

  private expire(session: ClientSession, peer: Peer): void {
    if (session.peer !== peer || !session.joinTimer) return;
    const room = session.room!;
    this.sendAway(session, 'join_timeout', CLOSED_MESSAGES.join_timeout);
    room.removePeer(peer);
  }

  private release(peerId: string): void {
    const entry = this.held.get(peerId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.held.delete(peerId);
    this.deps.presence.leftMeeting(entry.peer.userId);
  }

  /** The socket is out of the room: presence counts one meeting less for its user. */
  private forget(session: ClientSession): void {
    this.detach(session);
    this.deps.presence.leftMeeting(session.user!.id);
  }

  /** The socket no longer speaks for its peer. */
  private detach(session: ClientSession): void {
    clearTimeout(session.joinTimer);
    session.joinTimer = undefined;
    session.room = session.peer = session.roomType = undefined;
  }
}
