import { randomUUID } from 'node:crypto';
import type { Constraints, RestRequest } from '../../shared/protocol/rest';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { HostError } from '../host/host-error';
import { newId } from '../storage/hub-store';
import { publishOffer } from '../sfu/sdp-publisher';
import type { FastifyReply } from 'fastify';
import { RestEvents } from './events';
import { RestUsers, type RestUser } from './rest-users';
import { RoomQueue } from './room-queue';
import { acceptAnswer, offerTo } from './subscriptions';
import { transportStats } from './transport-stats';
import { settleAll, undoing, type Undo } from './undo';

// The REST door's requests, one method per route (routes.ts calls them); the
// queue, the user registry, the subscriptions and the undo bookkeeping they
// use each have a file of their own beside this one.

const NOTHING_SENT: Constraints = { audio: false, video: false };

/**
 * The seed-002 door: the media-server REST API over the same rooms as the
 * client door. A REST user is a Peer of the room, so React clients see and
 * hear it, and it can receive them. Each REST subscription (one user's
 * streams to another) is its own WebRTC connection, as the seed's SDP
 * offer/answer per pair implies.
 *
 * Every request is all-or-nothing: requests for one room run one at a time
 * (so two of them never interleave half-done), inputs are checked before
 * anything is created, and a request that fails later undoes what it made.
 * What the client door does meanwhile (a React client stopping its camera, a
 * room closing because its worker died) can still change the room under a
 * request: such a request is retried or answered 4xx, never 5xx.
 */
export class RestDoor {
  private readonly users: RestUsers;
  private readonly queue = new RoomQueue();
  private readonly events: RestEvents;

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly hubId: string,
  ) {
    this.users = new RestUsers(rooms);
    this.events = new RestEvents(rooms, this.users, this.queue);
  }

  createRoom(roomId: string | undefined, body: RestRequest<'createRoom'>) {
    const id = roomId ?? randomUUID();
    return this.queue.run(id, async () => {
      const existed = this.rooms.get(id) !== undefined;
      const room = await this.rooms.open(id, this.hubId);
      if (body.userId === undefined) return { roomId: room.id, users: [] };
      try {
        return {
          roomId: room.id,
          ...(await this.guarded(room, () => this.join(room, body.userId!, body))),
        };
      } catch (error) {
        // All or nothing: a room this request opened goes again if its user could not be added.
        if (!existed && room.peers.size === 0) room.close(undefined);
        throw error;
      }
    });
  }

  addUser(roomId: string, userId: string, body: RestRequest<'addUser'>) {
    return this.inOpenRoom(roomId, (room) => this.join(room, userId, body));
  }

  private async join(room: Room, userId: string, body: RestRequest<'addUser'>) {
    if ([...room.peers.values()].some((peer) => peer.userId === userId)) {
      throw new HostError('conflict', `user ${userId} is already in room ${room.id}`);
    }
    const userInfo = body.userInfo ?? {};
    const name = ['name', 'fullname', 'displayName']
      .map((key) => userInfo[key])
      .find((v) => typeof v === 'string');
    const peer = await room.addPeer(
      newId(),
      userId,
      (name as string | undefined) ?? `User ${userId}`,
    );
    const user: RestUser = { peer, userInfo, publishing: undefined, subscriptions: new Map() };
    // Removing the peer closes its transports (and so every subscription made below).
    const undo: Undo = [() => room.removePeer(peer)];
    const joined = await undoing(undo, async () => {
      this.users.add(room, user);
      // REST users take what the router offers; the SDP answer confirms the codecs.
      room.enter(peer, room.router.rtpCapabilities);
      const users = await settleAll(
        others(room, peer).map(async (other) => {
          const offer = other.producers.size ? await offerTo(room, user, other, undo) : undefined;
          // The summary after the offer: what the broadcaster sends now.
          return offer
            ? { ...this.users.summary(room, other), offer }
            : this.users.summary(room, other);
        }),
      );
      return { userId, userInfo, users };
    });
    this.events.joined(room, peer, userInfo);
    return joined;
  }

  produce(roomId: string, userId: string, body: RestRequest<'produce'>) {
    return this.inOpenRoom(roomId, (room) => this.publish(room, userId, body));
  }

  private async publish(room: Room, userId: string, body: RestRequest<'produce'>) {
    const user = this.users.get(room, userId);
    if (user.publishing)
      throw new HostError(
        'conflict',
        `user ${userId} is already broadcasting; DELETE .../produce first`,
      );
    // publishOffer reads the whole offer before it makes anything, and undoes what it made if it fails.
    const published = await publishOffer(room, user.peer, `rest-${user.peer.id}`, body.offer.sdp, {
      muted: { audio: body.constraints?.audio === false, video: body.constraints?.video === false },
      sources: (kind) => (kind === 'audio' ? 'microphone' : 'camera'),
    });
    const link = published.link;
    user.publishing = link;
    // Closing the link closes its producers, and with them every consumer made of them.
    const undo: Undo = [
      () => {
        link.close();
        if (user.publishing === link) user.publishing = undefined;
      },
    ];
    const result = await undoing(undo, async () => {
      const constraints = body.constraints ?? {
        audio: published.streams.some((stream) => stream.kind === 'audio'),
        video: published.streams.some((stream) => stream.kind === 'video'),
      };
      const outbound = await settleAll(
        this.users.othersThan(room, user).map(async (other) => {
          const toOther = await offerTo(room, other, user.peer, undo);
          return {
            userId: other.peer.userId,
            userInfo: other.userInfo,
            ...(toOther ? { offer: toOther } : {}),
          };
        }),
      );
      return {
        answer: { type: 'answer' as const, sdp: published.answer },
        userId,
        userInfo: user.userInfo,
        constraints,
        outbound,
      };
    });
    this.events.published(room, user.peer, result.constraints, result.outbound);
    return result;
  }

  consume(roomId: string, userId: string, body: RestRequest<'consume'>) {
    return this.inOpenRoom(roomId, (room) => acceptAnswer(this.users.get(room, userId), body));
  }

  stopProducing(roomId: string, userId: string) {
    return this.queue.run(roomId, () => {
      const room = this.room(roomId);
      const user = this.users.get(room, userId);
      user.publishing?.close();
      user.publishing = undefined;
      return {
        userId,
        userInfo: user.userInfo,
        constraints: NOTHING_SENT,
        outbound: others(room, user.peer).map((p) => this.users.summary(room, p)),
      };
    });
  }

  removeUser(roomId: string, userId: string) {
    return this.queue.run(roomId, () => {
      const room = this.room(roomId);
      const user = this.users.get(room, userId);
      const outbound = others(room, user.peer).map((peer) => this.users.summary(room, peer));
      room.removePeer(user.peer);
      return { userId, userInfo: user.userInfo, outbound };
    });
  }

  deleteRoom(roomId: string) {
    return this.queue.run(roomId, () => {
      const room = this.room(roomId);
      const count = room.peers.size;
      room.close('room_deleted');
      return { count };
    });
  }

  /** `GET /rooms/:room_id/events`: `reply` becomes the room's event stream. */
  openEvents(roomId: string, reply: FastifyReply): void {
    this.events.openStream(this.room(roomId), reply);
  }

  /** Ends every event stream: the host is stopping (and waits for open connections). */
  endEventStreams(): void {
    this.events.streams.endAll();
  }

  /** Bytes moving per user, from mediasoup's transport counters. */
  stats(roomId: string) {
    return this.inOpenRoom(roomId, transportStats);
  }

  /** Runs `request` in the room's turn, on the room as it is then, guarded against its closing. */
  private inOpenRoom<T>(roomId: string, request: (room: Room) => Promise<T>): Promise<T> {
    return this.queue.run(roomId, () => {
      const room = this.room(roomId);
      return this.guarded(room, () => request(room));
    });
  }

  /**
   * Runs a request on `room`, saying so when the room closed under it (deleted
   * through the client door, or its media worker died): mediasoup's errors
   * about closed routers and transports are that, not a host failure.
   */
  private async guarded<T>(room: Room, request: () => Promise<T>): Promise<T> {
    const closed = () => room.isClosed || this.rooms.get(room.id) !== room;
    try {
      const result = await request();
      // Done on a room that closed meanwhile: its users and media are gone with it.
      if (closed()) throw new HostError('not_found', `room ${room.id} closed during the request`);
      return result;
    } catch (error) {
      const aboutInput =
        error instanceof HostError &&
        (error.reason === 'invalid_request' || error.reason === 'invalid_sdp');
      if (!aboutInput && closed())
        throw new HostError('not_found', `room ${room.id} closed during the request`);
      throw error;
    }
  }

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new HostError('not_found', `no room ${roomId}`);
    return room;
  }
}

/** Every peer of `room` but `self`: REST users and React clients alike. */
function others(room: Room, self: Peer): Peer[] {
  return [...room.peers.values()].filter((peer) => peer !== self);
}
