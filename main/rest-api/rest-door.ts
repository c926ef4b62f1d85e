import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { Constraints, RestRequest, RestUserSummary } from '../../shared/protocol/rest';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { HostError } from '../host/host-error';
import { newId } from '../storage/hub-store';
import { parseAnswer, parseOffer } from '../sfu/sdp/parse';
import { buildAnswer } from '../sfu/sdp/publisher-answer';
import { buildConsumerOffer } from '../sfu/sdp/subscriber-offer';

/**
 * What a REST user receives from one other user: a transport of its own and
 * every consumer ever offered on it, in m-section order. Consumers that closed
 * (their broadcaster stopped) stay as inactive m-sections, so a later offer on
 * the same connection keeps the m-lines the receiver already has.
 */
interface Subscription {
  transport: types.WebRtcTransport;
  sections: types.Consumer[];
  /** Whether an answer connected the transport (renegotiations do not connect again). */
  connected: boolean;
}

interface RestUser {
  peer: Peer;
  userInfo: Record<string, unknown>;
  /** The transport this user publishes on (POST .../produce). */
  publishing: types.WebRtcTransport | undefined;
  /** By the producing user's id. */
  subscriptions: Map<string, Subscription>;
}

/** A request's way back: run in reverse when it fails, so a failed request changes nothing. */
type Undo = (() => void)[];

const NOTHING_SENT: Constraints = { audio: false, video: false };

/** Requests for one room waiting or running at once; past this the room answers 429. */
export const MAX_PENDING_PER_ROOM = 32;

/** How often an offer is rebuilt when the broadcaster's tracks change while it is built. */
const CONSUME_ATTEMPTS = 3;

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
  /**
   * REST users by room, then user id. Keyed by the Room itself, not its id: a
   * room that closes and opens again under the same id starts with no users.
   */
  private readonly users = new WeakMap<Room, Map<string, RestUser>>();
  /** Per room: the end of its request queue and how many requests are in it. */
  private readonly queues = new Map<string, { tail: Promise<void>; pending: number }>();

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly hubId: string,
  ) {
    rooms.onRoomCreated((room) => {
      room.on('peer-left', (peer) => {
        const users = this.users.get(room);
        if (users?.get(peer.userId)?.peer === peer) users.delete(peer.userId);
        // Nobody of that user id left to receive from: its connections to REST users go.
        if ([...room.peers.values()].some((other) => other.userId === peer.userId)) return;
        for (const user of users?.values() ?? []) {
          user.subscriptions.get(peer.userId)?.transport.close();
          user.subscriptions.delete(peer.userId);
        }
      });
      room.on('closed', () => this.users.delete(room));
    });
  }

  createRoom(roomId: string | undefined, body: RestRequest<'createRoom'>) {
    const id = roomId ?? randomUUID();
    return this.inRoomOrder(id, async () => {
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
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      return this.guarded(room, () => this.join(room, userId, body));
    });
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
    return this.undoing(undo, async () => {
      this.roomUsers(room).set(userId, user);
      // REST users take what the router offers; the SDP answer confirms the codecs.
      room.enter(peer, room.router.rtpCapabilities);
      const users = await settleAll(
        this.others(room, peer).map(async (other) => {
          const offer = other.producers.size
            ? await this.offerTo(room, user, other, undo)
            : undefined;
          // The summary after the offer: what the broadcaster sends now.
          return offer ? { ...this.summary(room, other), offer } : this.summary(room, other);
        }),
      );
      return { userId, userInfo, users };
    });
  }

  produce(roomId: string, userId: string, body: RestRequest<'produce'>) {
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      return this.guarded(room, () => this.publish(room, userId, body));
    });
  }

  private async publish(room: Room, userId: string, body: RestRequest<'produce'>) {
    const user = this.user(room, userId);
    if (user.publishing)
      throw new HostError(
        'conflict',
        `user ${userId} is already broadcasting; DELETE .../produce first`,
      );
    // Everything about the offer is checked before anything is made.
    const offer = parseOffer(body.offer.sdp, room.router.rtpCapabilities);
    const transport = await room.createTransport(user.peer, 'send');
    user.publishing = transport;
    // Closing the transport closes its producers, and with them every consumer made of them.
    const undo: Undo = [
      () => {
        transport.close();
        if (user.publishing === transport) user.publishing = undefined;
      },
    ];
    return this.undoing(undo, async () => {
      await room.connectTransport(user.peer, transport.id, offer.dtlsParameters);
      const offered: Constraints = {
        audio: offer.tracks.some((track) => track.kind === 'audio'),
        video: offer.tracks.some((track) => track.kind === 'video'),
      };
      const constraints = body.constraints ?? offered;
      const accepted = new Map<string, types.RtpParameters>();
      for (const track of offer.tracks) {
        try {
          await room.produce(user.peer, transport.id, {
            kind: track.kind,
            rtpParameters: track.rtpParameters,
            source: track.kind === 'audio' ? 'microphone' : 'camera',
            paused: !constraints[track.kind],
          });
        } catch (error) {
          if (error instanceof HostError || room.isClosed || transport.closed) throw error;
          // The worker refused parameters the offer gave (the bridge checks what it knows of).
          throw new HostError(
            'invalid_sdp',
            `the media server refused the ${track.kind} of a=mid:${track.mid}: ${(error as Error).message}`,
          );
        }
        accepted.set(track.mid, track.rtpParameters);
      }
      const answer = buildAnswer(offer, transport, accepted);
      const outbound = await settleAll(
        this.restOthers(room, user).map(async (other) => {
          const toOther = await this.offerTo(room, other, user.peer, undo);
          return {
            userId: other.peer.userId,
            userInfo: other.userInfo,
            ...(toOther ? { offer: toOther } : {}),
          };
        }),
      );
      return {
        answer: { type: 'answer' as const, sdp: answer },
        userId,
        userInfo: user.userInfo,
        constraints,
        outbound,
      };
    });
  }

  consume(roomId: string, userId: string, body: RestRequest<'consume'>) {
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      return this.guarded(room, () => this.receive(room, userId, body));
    });
  }

  private async receive(room: Room, userId: string, body: RestRequest<'consume'>) {
    const user = this.user(room, userId);
    const subscription = user.subscriptions.get(body.producerUserId);
    if (!subscription) {
      throw new HostError(
        'conflict',
        `no offer was made to ${userId} for user ${body.producerUserId}: it must broadcast first`,
      );
    }
    const live = subscription.sections.filter((consumer) => !consumer.closed);
    if (!live.length) {
      throw new HostError(
        'conflict',
        `user ${body.producerUserId} stopped broadcasting; its next broadcast comes with a new offer`,
      );
    }
    const answer = parseAnswer(body.answer.sdp);
    const unanswered = live.find((consumer) => !answer.mids.has(consumer.rtpParameters.mid!));
    if (unanswered) {
      throw new HostError(
        'invalid_sdp',
        `the answer has no a=mid:${unanswered.rtpParameters.mid!}: answer the latest offer for user ${body.producerUserId}`,
      );
    }
    // Not dtlsState: once ICE is up mediasoup may already run DTLS as server, but it
    // still needs connect() for the subscriber's fingerprint.
    if (!subscription.connected) {
      await subscription.transport.connect({ dtlsParameters: answer.dtlsParameters });
      subscription.connected = true;
    }
    await Promise.all(
      live.map((consumer) =>
        consumer.resume().catch((error: unknown) => {
          // Its broadcaster stopped meanwhile (the client door): nothing left to resume.
          if (!consumer.closed) throw error;
        }),
      ),
    );
    return { status: 'connected' as const };
  }

  stopProducing(roomId: string, userId: string) {
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      const user = this.user(room, userId);
      user.publishing?.close();
      user.publishing = undefined;
      return {
        userId,
        userInfo: user.userInfo,
        constraints: NOTHING_SENT,
        outbound: this.others(room, user.peer).map((p) => this.summary(room, p)),
      };
    });
  }

  removeUser(roomId: string, userId: string) {
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      const user = this.user(room, userId);
      const outbound = this.others(room, user.peer).map((peer) => this.summary(room, peer));
      room.removePeer(user.peer);
      return { userId, userInfo: user.userInfo, outbound };
    });
  }

  deleteRoom(roomId: string) {
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      const count = room.peers.size;
      room.close('room_deleted');
      return { count };
    });
  }

  /** Bytes moving per user, from mediasoup's transport counters. */
  stats(roomId: string) {
    return this.inRoomOrder(roomId, () => {
      const room = this.room(roomId);
      return this.guarded(room, () => this.transportStats(room));
    });
  }

  private async transportStats(room: Room) {
    const transportBytes = async (peer: Peer, direction: 'send' | 'recv') => {
      const transports = [...peer.transports.values()].filter(
        (t) => t.appData.direction === direction,
      );
      const stats = (
        await Promise.all(
          transports.map((t) =>
            t.getStats().catch((error: unknown) => {
              // Closed meanwhile (a React client left): it moves no more bytes.
              if (t.closed) return [];
              throw error;
            }),
          ),
        )
      ).flat();
      const bytes = stats.reduce(
        (sum, s) => sum + (direction === 'send' ? s.bytesReceived : s.bytesSent),
        0,
      );
      return { count: transports.length, bytes };
    };
    const users = await Promise.all(
      [...room.peers.values()].map(async (peer) => {
        const [sent, received] = await Promise.all([
          transportBytes(peer, 'send'),
          transportBytes(peer, 'recv'),
        ]);
        return {
          userId: peer.userId,
          produce: peer.producers.size
            ? { producerCount: peer.producers.size, bytesReceived: sent.bytes }
            : (false as const),
          consume: { consumeTransportCount: received.count, bytesSent: received.bytes },
        };
      }),
    );
    return { users };
  }

  /**
   * Runs `request` after the room's earlier requests have finished, so two
   * requests never interleave half-done. The room is looked up inside
   * `request`: one queued behind its room's deletion finds no room.
   */
  private inRoomOrder<T>(roomId: string, request: () => Promise<T> | T): Promise<T> {
    let queue = this.queues.get(roomId);
    if (!queue) this.queues.set(roomId, (queue = { tail: Promise.resolve(), pending: 0 }));
    if (queue.pending >= MAX_PENDING_PER_ROOM) {
      return Promise.reject(
        new HostError('rate_limited', `too many requests for room ${roomId} at once; try again`),
      );
    }
    const own = queue;
    own.pending++;
    const result = own.tail.then(request);
    own.tail = result.then(
      () => undefined,
      () => undefined,
    );
    void own.tail.then(() => {
      if (--own.pending === 0 && this.queues.get(roomId) === own) this.queues.delete(roomId);
    });
    return result;
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

  /**
   * Runs `request`; when it fails, undoes what it did (last made, first
   * undone, every step even if one throws) and fails with the first error.
   */
  private async undoing<T>(undo: Undo, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      for (const step of undo.reverse()) {
        try {
          step();
        } catch {
          // Closing what is already closed; the request's own error says what went wrong.
        }
      }
      throw error;
    }
  }

  /**
   * An offer that lets `user` receive `producerPeer`: its subscription's
   * transport with a consumer per track (new tracks added, the offer always
   * covering every m-section so the subscriber can renegotiate). Undefined
   * when there is nothing to receive. What it makes goes into `undo`.
   */
  private async offerTo(
    room: Room,
    user: RestUser,
    producerPeer: Peer,
    undo: Undo,
  ): Promise<{ type: 'offer'; sdp: string } | undefined> {
    const key = producerPeer.userId;
    let subscription = user.subscriptions.get(key);
    if (subscription?.transport.closed) {
      user.subscriptions.delete(key);
      subscription = undefined;
    }
    if (!subscription) {
      const transport = await room.createTransport(user.peer, 'recv');
      const created: Subscription = { transport, sections: [], connected: false };
      user.subscriptions.set(key, created);
      undo.push(() => {
        transport.close();
        if (user.subscriptions.get(key) === created) user.subscriptions.delete(key);
      });
      subscription = created;
    }
    const own = subscription;
    const added = await this.consumeTracks(room, user.peer, producerPeer, own.transport, undo);
    own.sections.push(...added);
    undo.push(() => {
      own.sections = own.sections.filter((consumer) => !added.includes(consumer));
    });
    // Its broadcaster left meanwhile, which closes the connections to it.
    if (own.transport.closed) return undefined;
    if (!own.sections.some((consumer) => !consumer.closed)) {
      // Nothing it can receive (the broadcaster stopped meanwhile, or no codec fits).
      if (!own.sections.length) {
        own.transport.close();
        user.subscriptions.delete(key);
      }
      return undefined;
    }
    return {
      type: 'offer',
      sdp: buildConsumerOffer(own.transport, own.sections, `user-${producerPeer.userId}`),
    };
  }

  /**
   * Consumers of every track of `producerPeer` on `transport`. The client
   * door may close one of those tracks while this runs (mediasoup then
   * refuses to consume it): the consumers are built again for what is left.
   */
  private async consumeTracks(
    room: Room,
    consumerPeer: Peer,
    producerPeer: Peer,
    transport: types.WebRtcTransport,
    undo: Undo,
  ): Promise<types.Consumer[]> {
    const added: types.Consumer[] = [];
    const collect = (consumer: types.Consumer) => added.push(consumer);
    undo.push(() => {
      for (const consumer of added) consumer.close();
    });
    transport.observer.on('newconsumer', collect);
    try {
      for (let attempt = 1; ; attempt++) {
        const producers = [...producerPeer.producers.keys()];
        try {
          await room.consumePeer(consumerPeer, producerPeer, transport);
          return added;
        } catch (error) {
          if (error instanceof HostError) throw error;
          // It left meanwhile: nothing more to receive from it.
          if (room.peers.get(producerPeer.id) !== producerPeer) return added;
          if (producers.every((id) => producerPeer.producers.has(id))) throw error;
          if (attempt === CONSUME_ATTEMPTS) {
            throw new HostError(
              'conflict',
              `user ${producerPeer.userId} kept changing what it broadcasts; try again`,
            );
          }
        }
      }
    } finally {
      transport.observer.off('newconsumer', collect);
    }
  }

  private summary(room: Room, peer: Peer): RestUserSummary {
    const rest = this.users.get(room)?.get(peer.userId);
    const summary: RestUserSummary = {
      userId: peer.userId,
      userInfo: rest?.userInfo ?? { fullname: peer.fullname },
    };
    if (peer.producers.size) {
      const kinds = [...peer.producers.values()]
        .filter((producer) => !producer.paused)
        .map((producer) => producer.kind);
      summary.constraints = { audio: kinds.includes('audio'), video: kinds.includes('video') };
    }
    return summary;
  }

  private others(room: Room, self: Peer): Peer[] {
    return [...room.peers.values()].filter((peer) => peer !== self);
  }

  private restOthers(room: Room, self: RestUser): RestUser[] {
    return [...(this.users.get(room)?.values() ?? [])].filter((user) => user !== self);
  }

  private roomUsers(room: Room): Map<string, RestUser> {
    let users = this.users.get(room);
    if (!users) this.users.set(room, (users = new Map()));
    return users;
  }

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new HostError('not_found', `no room ${roomId}`);
    return room;
  }

  private user(room: Room, userId: string): RestUser {
    const user = this.users.get(room)?.get(userId);
    if (!user) throw new HostError('not_found', `no user ${userId} in room ${room.id}`);
    return user;
  }
}

/**
 * Promise.all that waits for every promise before failing: a request undoes
 * its work only once nothing of it is still running (else a late step would
 * add to what was already undone).
 */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
