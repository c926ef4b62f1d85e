import type { types } from 'mediasoup';
import type { WebSocket } from 'ws';
import {
  encodeMessage,
  HUB_PREFIX,
  MAX_FRAME_BYTES,
  parseUpstream,
  SOCKET_PREFIX,
  type ConsumerInfo,
  type TransportOptions,
  type UpstreamMessage,
  type UpstreamName,
  type WsErrorReason,
} from '../../shared/protocol/messages';
import type { RoomType } from '../../shared/protocol/services';
import { asHostError, HostError, isHostFault, WS_REASON } from '../host/host-error';
import type { Logger } from '../host/logger';
import type { Presence } from '../presence/presence';
import { type Peer, type ProducerAppData, type Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { newId, type HubStore } from '../storage/hub-store';
import { ClientSession, SessionRegistry } from './session';

export interface ClientDoorDeps {
  store: HubStore;
  rooms: RoomRegistry;
  sessions: SessionRegistry;
  presence: Presence;
  log: Logger;
}

type MessageHandler<N extends UpstreamName> = (
  session: ClientSession & { room: Room; peer: Peer },
  message: UpstreamMessage<N>,
  roomType: RoomType,
) => Promise<void> | void;

function transportOptions(transport: types.WebRtcTransport): TransportOptions {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
  };
}

/**
 * The seed-000 WebSocket door: turns `{room_type}.upstream-*` messages into
 * room operations and room events into `downstream-*` messages.
 */
export class ClientDoor {
  constructor(private readonly deps: ClientDoorDeps) {
    deps.rooms.onRoomCreated((room) => this.watch(room));
  }

  /** Takes over a new WebSocket: greets it with its socket id and handles its frames in order. */
  accept(socket: WebSocket): ClientSession {
    const session = new ClientSession(socket);
    this.deps.sessions.add(session);
    let alive = true;
    socket.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      // A laptop that drops off the network never closes its socket: find out.
      if (!alive) socket.terminate();
      alive = false;
      socket.ping();
    }, 15_000);
    socket.on('message', (data, isBinary) => {
      const frame = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      void session.enqueue(() => this.handleFrame(session, frame, isBinary));
    });
    socket.on('close', () => {
      clearInterval(heartbeat);
      void session.enqueue(() => this.disconnect(session));
    });
    session.send(SOCKET_PREFIX, 'downstream-hello', {
      socket_id: session.id,
      max_frame_bytes: MAX_FRAME_BYTES,
      heartbeat_ms: 15_000,
      idle_timeout_ms: 40_000,
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
      return session.sendError(SOCKET_PREFIX, parsed.cid, parsed.reason, parsed.message);
    if (parsed.ping) return session.send(SOCKET_PREFIX, 'downstream-pong', { cid: parsed.cid });
    const { roomType, name, payload } = parsed;
    try {
      this.authorize(session, payload);
      if (name === 'upstream-request-access') {
        await this.requestAccess(
          session,
          payload as UpstreamMessage<'upstream-request-access'>,
          roomType,
        );
        return;
      }
      if (!session.room || !session.peer || session.room.id !== payload.room_id) {
        throw new HostError(
          'out_of_order',
          `${name} needs access to room ${payload.room_id} first (upstream-request-access)`,
        );
      }
      const handler = this.handlers[
        name as Exclude<UpstreamName, 'upstream-request-access'>
      ] as MessageHandler<typeof name>;
      await handler(
        session as ClientSession & { room: Room; peer: Peer },
        payload as never,
        roomType,
      );
    } catch (error) {
      const hostError = asHostError(error);
      if (isHostFault(hostError))
        this.deps.log.warn({ err: error, message: name }, 'message failed');
      session.sendError(roomType, payload.cid, WS_REASON[hostError.reason], hostError.message);
    }
  }

  /** Only a bound socket may act, and only in its own name. */
  private authorize(session: ClientSession, payload: { user_id: string; ssid: string }): void {
    if (!session.user) throw new HostError('not_bound', 'bind this socket first (yp.bind_socket)');
    if (payload.user_id !== session.user.id || payload.ssid !== session.id) {
      throw new HostError('forbidden', 'user_id and ssid must be those this socket is bound to');
    }
  }

  private async requestAccess(
    session: ClientSession,
    message: UpstreamMessage<'upstream-request-access'>,
    roomType: RoomType,
  ): Promise<void> {
    const user = session.user!;
    if (session.room)
      throw new HostError('out_of_order', 'this socket is already in a room; leave it first');
    if (this.deps.store.privilegeOf(message.hub_id, user.id) === undefined) {
      throw new HostError('forbidden', `not a member of hub ${message.hub_id}`);
    }
    if (this.deps.store.roomIdFor(message.hub_id, roomType) !== message.room_id) {
      throw new HostError(
        'not_found',
        `no ${roomType} room ${message.room_id} in hub ${message.hub_id}`,
      );
    }
    const room = await this.deps.rooms.open(message.room_id, message.hub_id);
    const peer = await room.addPeer(newId(), user.id, user.fullname);
    session.room = room;
    session.roomType = roomType;
    session.peer = peer;
    this.deps.presence.enteredMeeting(user.id);
    const [send, recv] = await Promise.all([
      room.createTransport(peer, 'send'),
      room.createTransport(peer, 'recv'),
    ]);
    session.send(roomType, 'downstream-access-granted', {
      cid: message.cid,
      room_id: room.id,
      peer_id: peer.id,
      peers: room.peerInfos(peer),
      routerRtpCapabilities: room.router.rtpCapabilities,
      sendTransport: transportOptions(send),
      recvTransport: transportOptions(recv),
    });
  }

  private readonly handlers: {
    [N in Exclude<UpstreamName, 'upstream-request-access'>]: MessageHandler<N>;
  } = {
    'upstream-transport-connect': async (session, message, roomType) => {
      await session.room.connectTransport(
        session.peer,
        message.transport_id,
        message.dtlsParameters as types.DtlsParameters,
      );
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-offer': async (session, message, roomType) => {
      if (
        (message.kind === 'video') !== (message.video === 1) ||
        (message.kind === 'audio') !== (message.audio === 1)
      ) {
        throw new HostError('invalid_request', 'audio/video flags must match kind');
      }
      const producer = await session.room.produce(session.peer, message.outbound_id, {
        kind: message.kind,
        rtpParameters: message.rtpParameters as types.RtpParameters,
        source: message.source,
        paused: message.paused,
      });
      session.send(roomType, 'downstream-offer-acknowledged', {
        cid: message.cid,
        producer_id: producer.id,
      });
    },
    'upstream-icecandidate': (session, message, roomType) => {
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-peer-enter': (session, message, roomType) => {
      session.send(roomType, 'downstream-ack', { cid: message.cid });
      session.room.enter(session.peer, message.rtpCapabilities as types.RtpCapabilities);
    },
    'downstream-offer': async (session, message, roomType) => {
      const target = session.room.peers.get(message.peer_id);
      if (!target?.entered || target === session.peer) {
        throw new HostError('not_found', `no other peer ${message.peer_id} in this room`);
      }
      const consumers = await session.room.consumePeer(session.peer, target);
      session.send(roomType, 'downstream-response', {
        cid: message.cid,
        peer_id: target.id,
        consumers: consumers.map((consumer): ConsumerInfo => ({
          consumer_id: consumer.id,
          producer_id: consumer.producerId,
          kind: consumer.kind,
          source: (consumer.appData as Pick<ProducerAppData, 'source'>).source,
          rtpParameters: consumer.rtpParameters,
          producerPaused: consumer.producerPaused,
        })),
      });
    },
    'upstream-consumer-resume': async (session, message, roomType) => {
      await session.peer.consumer(message.consumer_id).resume();
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-consumer-pause': async (session, message, roomType) => {
      await session.peer.consumer(message.consumer_id).pause();
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-consumer-layers': async (session, message, roomType) => {
      const consumer = session.peer.consumer(message.consumer_id);
      if (consumer.type === 'simulcast' || consumer.type === 'svc') {
        await consumer.setPreferredLayers({
          spatialLayer: message.spatialLayer,
          temporalLayer: message.temporalLayer,
        });
      }
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-producer-pause': async (session, message, roomType) => {
      await session.room.setProducerPaused(session.peer, message.producer_id, true);
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-producer-resume': async (session, message, roomType) => {
      await session.room.setProducerPaused(session.peer, message.producer_id, false);
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-producer-close': (session, message, roomType) => {
      session.room.closeProducer(session.peer, message.producer_id);
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
    'upstream-restart-ice': async (session, message, roomType) => {
      const iceParameters = await session.peer.transport(message.transport_id).restartIce();
      session.send(roomType, 'downstream-ice-restarted', {
        cid: message.cid,
        transport_id: message.transport_id,
        iceParameters,
      });
    },
    'upstream-leave': (session, message, roomType) => {
      this.leave(session);
      session.send(roomType, 'downstream-ack', { cid: message.cid });
    },
  };

  private leave(session: ClientSession): void {
    const { room, peer } = session;
    if (!room || !peer) return;
    this.forgetRoom(session);
    room.removePeer(peer);
  }

  private forgetRoom(session: ClientSession): void {
    session.room = session.peer = session.roomType = undefined;
    this.deps.presence.leftMeeting(session.user!.id);
  }

  /** Leaves the room and goes offline; runs once per session, on close or on shutdown. */
  private disconnect(session: ClientSession): void {
    if (!this.deps.sessions.get(session.id)) return;
    this.leave(session);
    this.deps.sessions.remove(session);
    if (session.user) this.deps.presence.socketClosed(session.user.id);
  }

  /** Tells this door's clients in `room` what happens there, whichever door caused it. */
  private watch(room: Room): void {
    const toRoom = (except: Peer | undefined, frame: (roomType: RoomType) => string) => {
      for (const session of this.deps.sessions.inRoom(room)) {
        if (session.peer !== except && session.roomType)
          session.sendEncoded(frame(session.roomType));
      }
    };
    room.on('peer-updated', () => {
      const peers = room.peerInfos();
      toRoom(undefined, (type) =>
        encodeMessage(type, 'downstream-peers-list', { room_id: room.id, peers }),
      );
    });
    room.on('peer-left', (peer) => {
      // Nobody was told of a peer that never entered.
      if (!peer.entered) return;
      const payload = { room_id: room.id, peer_id: peer.id, user_id: peer.userId };
      toRoom(peer, (type) => encodeMessage(type, 'downstream-peer-left', payload));
    });
    room.on('producer-state', (peer, producer) => {
      const payload = {
        room_id: room.id,
        peer_id: peer.id,
        producer_id: producer.id,
        source: producer.appData.source,
        paused: producer.paused,
      };
      toRoom(peer, (type) => encodeMessage(type, 'downstream-producer-state', payload));
    });
    room.on('producer-closed', (peer, producerId) => {
      const payload = { room_id: room.id, peer_id: peer.id, producer_id: producerId };
      toRoom(peer, (type) => encodeMessage(type, 'downstream-producer-closed', payload));
    });
    room.on('consumer-closed', (peer, consumerId, producerId) => {
      const owner = this.deps.sessions.inRoom(room).find((session) => session.peer === peer);
      owner?.send(owner.roomType!, 'downstream-consumer-closed', {
        room_id: room.id,
        consumer_id: consumerId,
        producer_id: producerId,
      });
    });
    room.on('closed', (reason) => {
      if (!reason) return;
      for (const session of this.deps.sessions.inRoom(room)) {
        const roomType = session.roomType!;
        this.forgetRoom(session);
        session.send(roomType, 'downstream-room-closed', {
          room_id: room.id,
          reason,
          message: reason,
        });
      }
    });
    room.on('active-speaker', (peer) => {
      const payload = { room_id: room.id, peer_id: peer?.id ?? null };
      toRoom(undefined, (type) => encodeMessage(type, 'downstream-active-speaker', payload));
    });
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

  /** Ends every session now (rooms left, presence updated), then closes the sockets. */
  async closeAll(): Promise<void> {
    await Promise.all(
      this.deps.sessions.all().map(async (session) => {
        await session.enqueue(() => this.disconnect(session));
        session.socket.close(1001, 'host shutting down');
      }),
    );
  }
}
