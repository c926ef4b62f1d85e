import type { FastifyReply } from 'fastify';
import type { Constraints, RestEventData } from '../../shared/protocol/rest';
import type { RoomClosedReason } from '../../shared/protocol/messages';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { EventStreams } from './event-streams';
import type { RestUsers } from './rest-users';
import type { RoomQueue } from './room-queue';
import { offerTo } from './subscriptions';
import { undoing, type Undo } from './undo';

// What REST users learn later, through `GET /rooms/:room_id/events`: who
// joined, started or stopped broadcasting, or left, whichever door they came
// through. A broadcast is told with an offer for each REST user of the room,
// made in the room's turn like any REST request, so a REST user receives a
// React client who starts publishing after it joined.

/** Every room-closed reason of the media core has its name in the REST events. */
const REASONS: Record<RoomClosedReason, RestEventData<'room-closed'>['reason']> = {
  host_ended: 'host_ended',
  room_deleted: 'room_deleted',
  replaced: 'replaced',
  media_restarted: 'media_restarted',
  join_timeout: 'join_timeout',
  ended: 'ended',
  removed: 'removed',
  revoked: 'revoked',
};

/** A user the streams of its room were told about, by peer id. */
interface Announced {
  userId: string;
  userInfo: Record<string, unknown>;
  /** Whether `user-published` was told, and not `user-unpublished` since. */
  published: boolean;
  /** The producers that `user-published` covered. */
  producers: Set<string>;
}

export class RestEvents {
  readonly streams = new EventStreams();
  private readonly announced = new WeakMap<Room, Map<string, Announced>>();
  /** Peers whose broadcast is waiting for its turn in the room's queue. */
  private readonly pending = new WeakSet<Peer>();

  constructor(
    rooms: RoomRegistry,
    private readonly users: RestUsers,
    private readonly queue: RoomQueue,
  ) {
    rooms.onRoomCreated((room) => {
      this.announced.set(room, new Map());
      room.on('peer-updated', (peer) => this.updated(room, peer));
      room.on('producer-closed', (peer, producerId) => this.producerClosed(room, peer, producerId));
      room.on('peer-left', (peer) => this.left(room, peer));
      room.on('closed', (reason) =>
        this.streams.end(room, 'room-closed', { reason: reason ? REASONS[reason] : 'empty' }),
      );
    });
  }

  openStream(room: Room, reply: FastifyReply): void {
    this.streams.open(room, reply);
  }

  /** A REST user joined (told by the door once its request succeeded: a failed join is never seen). */
  joined(room: Room, peer: Peer, userInfo: Record<string, unknown>): void {
    this.announce(room, peer, userInfo);
  }

  /** A REST user started broadcasting: the door made the offers (its `outbound`). */
  published(
    room: Room,
    peer: Peer,
    constraints: Constraints,
    outbound: { userId: string; offer?: { type: 'offer'; sdp: string } }[],
  ): void {
    const entry = this.announced.get(room)?.get(peer.id);
    if (!entry || !peer.producers.size) return;
    entry.published = true;
    entry.producers = new Set(peer.producers.keys());
    const offers = Object.fromEntries(
      outbound.flatMap((other) => (other.offer ? [[other.userId, other.offer]] : [])),
    );
    const { userId, userInfo } = entry;
    this.streams.send(room, 'user-published', { userId, userInfo, constraints, offers });
  }

  /** A client-door peer entered or added a track (REST users are told by the door itself). */
  private updated(room: Room, peer: Peer): void {
    if (this.users.isRest(room, peer)) return;
    const entry =
      this.announced.get(room)?.get(peer.id) ??
      this.announce(room, peer, this.users.summary(room, peer).userInfo);
    if (!entry || ![...peer.producers.keys()].some((id) => !entry.producers.has(id))) return;
    if (this.pending.has(peer)) return;
    this.pending.add(peer);
    this.queue
      .run(room.id, () => {
        this.pending.delete(peer);
        return this.offerBroadcast(room, peer, entry);
      })
      .catch(() => {
        // The room's queue is full: the broadcast is told without offers (POST .../users gives them).
        this.pending.delete(peer);
        void this.offerBroadcast(room, peer, entry, false);
      });
  }

  /** Tells the room's streams that `peer` broadcasts, with an offer for each REST user. */
  private async offerBroadcast(room: Room, peer: Peer, entry: Announced, withOffers = true) {
    if (room.isClosed || room.peers.get(peer.id) !== peer) return;
    if (![...peer.producers.keys()].some((id) => !entry.producers.has(id))) return;
    const offers: RestEventData<'user-published'>['offers'] = {};
    // Nobody listens: the offers would go nowhere (a REST user who joins later gets one in `users`).
    if (withOffers && this.streams.listening(room)) {
      await Promise.all(
        this.users
          .all(room)
          .filter((user) => user.peer.userId !== peer.userId)
          .map(async (user) => {
            const undo: Undo = [];
            const offer = await undoing(undo, () => offerTo(room, user, peer, undo)).catch(
              () => undefined,
            );
            if (offer) offers[user.peer.userId] = offer;
          }),
      );
    }
    // It stopped or left while the offers were made: its producer-closed said so already.
    if (room.isClosed || room.peers.get(peer.id) !== peer || !peer.producers.size) return;
    entry.published = true;
    entry.producers = new Set(peer.producers.keys());
    const constraints = this.users.summary(room, peer).constraints!;
    const { userId, userInfo } = entry;
    this.streams.send(room, 'user-published', { userId, userInfo, constraints, offers });
  }

  private announce(room: Room, peer: Peer, userInfo: Record<string, unknown>) {
    const announced = this.announced.get(room);
    if (!announced || room.isClosed) return undefined;
    const entry: Announced = {
      userId: peer.userId,
      userInfo,
      published: false,
      producers: new Set(),
    };
    announced.set(peer.id, entry);
    this.streams.send(room, 'user-joined', { userId: peer.userId, userInfo });
    return entry;
  }

  private producerClosed(room: Room, peer: Peer, producerId: string): void {
    const entry = this.announced.get(room)?.get(peer.id);
    if (!entry) return;
    entry.producers.delete(producerId);
    if (!entry.published || peer.producers.size) return;
    entry.published = false;
    entry.producers.clear();
    this.streams.send(room, 'user-unpublished', { userId: entry.userId, userInfo: entry.userInfo });
  }

  private left(room: Room, peer: Peer): void {
    const announced = this.announced.get(room);
    const entry = announced?.get(peer.id);
    if (!entry) return;
    announced!.delete(peer.id);
    this.streams.send(room, 'user-left', { userId: entry.userId, userInfo: entry.userInfo });
  }
}
