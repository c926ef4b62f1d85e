import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { Constraints, RestRequest, RestUserSummary } from '../../shared/protocol/rest';
import type { Peer, Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { HostError } from '../host/host-error';
import { newId } from '../storage/hub-store';
import { buildAnswer, buildConsumerOffer, parseAnswer, parseOffer } from './sdp-bridge';

/** What a REST user receives from one other user: a transport of its own and the consumers on it. */
interface Subscription {
  transport: types.WebRtcTransport;
  consumers: types.Consumer[];
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

const NOTHING_SENT: Constraints = { audio: false, video: false };

/**
 * The seed-002 door: the media-server REST API over the same rooms as the
 * client door. A REST user is a Peer of the room, so React clients see and
 * hear it, and it can receive them. Each REST subscription (one user's
 * streams to another) is its own WebRTC connection, as the seed's SDP
 * offer/answer per pair implies.
 */
export class RestDoor {
  /** REST users by room id, then user id. */
  private readonly users = new Map<string, Map<string, RestUser>>();

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly hubId: string,
  ) {
    rooms.onRoomCreated((room) => {
      room.on('peer-left', (peer) => {
        const users = this.users.get(room.id);
        if (users?.get(peer.userId)?.peer === peer) users.delete(peer.userId);
      });
      room.on('closed', () => this.users.delete(room.id));
    });
  }

  async createRoom(roomId: string | undefined, body: RestRequest<'createRoom'>) {
    const room = await this.rooms.open(roomId ?? randomUUID(), this.hubId);
    if (body.userId === undefined) return { roomId: room.id, users: [] };
    return { roomId: room.id, ...(await this.addUser(room.id, body.userId, body)) };
  }

  async addUser(roomId: string, userId: string, body: RestRequest<'addUser'>) {
    const room = this.room(roomId);
    if ([...room.peers.values()].some((peer) => peer.userId === userId)) {
      throw new HostError('conflict', `user ${userId} is already in room ${roomId}`);
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
    this.roomUsers(roomId).set(userId, user);
    // REST users take what the router offers; the SDP answer confirms the codecs.
    room.enter(peer, room.router.rtpCapabilities);
    const users = await Promise.all(
      this.others(room, peer).map(async (other) =>
        other.producers.size
          ? { ...this.summary(room, other), offer: await this.offerTo(room, user, other) }
          : this.summary(room, other),
      ),
    );
    return { userId, userInfo, users };
  }

  async produce(roomId: string, userId: string, body: RestRequest<'produce'>) {
    const room = this.room(roomId);
    const user = this.user(roomId, userId);
    if (user.publishing)
      throw new HostError(
        'conflict',
        `user ${userId} is already broadcasting; DELETE .../produce first`,
      );
    const offer = parseOffer(body.offer.sdp, room.router.rtpCapabilities);
    const transport = await room.createTransport(user.peer, 'send');
    user.publishing = transport;
    const accepted = new Map<string, types.RtpParameters>();
    try {
      await room.connectTransport(user.peer, transport.id, offer.dtlsParameters);
      const offered: Constraints = {
        audio: offer.tracks.some((track) => track.kind === 'audio'),
        video: offer.tracks.some((track) => track.kind === 'video'),
      };
      const constraints = body.constraints ?? offered;
      for (const track of offer.tracks) {
        await room.produce(user.peer, transport.id, {
          kind: track.kind,
          rtpParameters: track.rtpParameters,
          source: track.kind === 'audio' ? 'microphone' : 'camera',
          paused: !constraints[track.kind],
        });
        accepted.set(track.mid, track.rtpParameters);
      }
      const answer = buildAnswer(offer, transport, accepted);
      const outbound = await Promise.all(
        this.restOthers(roomId, user).map(async (other) => ({
          userId: other.peer.userId,
          userInfo: other.userInfo,
          offer: await this.offerTo(room, other, user.peer),
        })),
      );
      return {
        answer: { type: 'answer' as const, sdp: answer },
        userId,
        userInfo: user.userInfo,
        constraints,
        outbound,
      };
    } catch (error) {
      transport.close();
      user.publishing = undefined;
      throw error;
    }
  }

  async consume(roomId: string, userId: string, body: RestRequest<'consume'>) {
    const user = this.user(roomId, userId);
    const subscription = user.subscriptions.get(body.producerUserId);
    if (!subscription) {
      throw new HostError(
        'conflict',
        `no offer was made to ${userId} for user ${body.producerUserId}: it must broadcast first`,
      );
    }
    const dtlsParameters = parseAnswer(body.answer.sdp);
    // Not dtlsState: once ICE is up mediasoup may already run DTLS as server, but it
    // still needs connect() for the subscriber's fingerprint.
    if (!subscription.connected) {
      await subscription.transport.connect({ dtlsParameters });
      subscription.connected = true;
    }
    await Promise.all(subscription.consumers.map((consumer) => consumer.resume()));
    return { status: 'connected' as const };
  }

  stopProducing(roomId: string, userId: string) {
    const room = this.room(roomId);
    const user = this.user(roomId, userId);
    user.publishing?.close();
    user.publishing = undefined;
    return {
      userId,
      userInfo: user.userInfo,
      constraints: NOTHING_SENT,
      outbound: this.others(room, user.peer).map((p) => this.summary(room, p)),
    };
  }

  removeUser(roomId: string, userId: string) {
    const room = this.room(roomId);
    const user = this.user(roomId, userId);
    const outbound = this.others(room, user.peer).map((peer) => this.summary(room, peer));
    room.removePeer(user.peer);
    return { userId, userInfo: user.userInfo, outbound };
  }

  deleteRoom(roomId: string) {
    const room = this.room(roomId);
    const count = room.peers.size;
    room.close('room_deleted');
    return { count };
  }

  /** Bytes moving per user, from mediasoup's transport counters. */
  async stats(roomId: string) {
    const room = this.room(roomId);
    const transportBytes = async (peer: Peer, direction: 'send' | 'recv') => {
      const transports = [...peer.transports.values()].filter(
        (t) => t.appData.direction === direction,
      );
      const stats = (await Promise.all(transports.map((t) => t.getStats()))).flat();
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
   * An offer that lets `user` receive `producerPeer`: its subscription's
   * transport with a consumer per track (new tracks added, the offer always
   * covering all of them so the subscriber can renegotiate).
   */
  private async offerTo(
    room: Room,
    user: RestUser,
    producerPeer: Peer,
  ): Promise<{ type: 'offer'; sdp: string }> {
    let subscription = user.subscriptions.get(producerPeer.userId);
    if (!subscription || subscription.transport.closed) {
      const transport = await room.createTransport(user.peer, 'recv');
      subscription = { transport, consumers: [], connected: false };
      user.subscriptions.set(producerPeer.userId, subscription);
    }
    const added = await room.consumePeer(user.peer, producerPeer, subscription.transport);
    subscription.consumers = [
      ...subscription.consumers.filter((consumer) => !consumer.closed),
      ...added,
    ];
    return {
      type: 'offer',
      sdp: buildConsumerOffer(
        subscription.transport,
        subscription.consumers,
        `user-${producerPeer.userId}`,
      ),
    };
  }

  private summary(room: Room, peer: Peer): RestUserSummary {
    const rest = this.users.get(room.id)?.get(peer.userId);
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

  private restOthers(roomId: string, self: RestUser): RestUser[] {
    return [...this.roomUsers(roomId).values()].filter((user) => user !== self);
  }

  private roomUsers(roomId: string): Map<string, RestUser> {
    let users = this.users.get(roomId);
    if (!users) this.users.set(roomId, (users = new Map()));
    return users;
  }

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new HostError('not_found', `no room ${roomId}`);
    return room;
  }

  private user(roomId: string, userId: string): RestUser {
    const user = this.users.get(roomId)?.get(userId);
    if (!user) throw new HostError('not_found', `no user ${userId} in room ${roomId}`);
    return user;
  }
}
