import type { types } from 'mediasoup';
import type { ConsumerInfo, UpstreamMessage, UpstreamName } from '../../shared/protocol/messages';
import type { RoomType } from '../../shared/protocol/services';
import { clientMediaCall, HostError } from '../host/host-error';
import type { Peer, ProducerAppData } from '../sfu/peer';
import type { Room } from '../sfu/room';
import { publishOffer } from '../sfu/sdp-publisher';
import { receiveOffer } from '../sfu/sdp-receiver';
import type { ModerationName } from '../../shared/protocol/moderation';
import type { RecordingName } from '../../shared/protocol/recording';
import type { RoomToolName } from '../../shared/protocol/room-tools';
import type { Recordings } from '../recording/recordings';
import type { HubStore } from '../storage/hub-store';
import type { Membership } from './membership';
import type { RoomModeration } from './room-moderation';
import type { RoomTools } from './room-tools';
import type { ClientSession } from './session';

/** A socket that has access to a room: every room message but request-access needs one. */
export type SessionInRoom = ClientSession & { room: Room; peer: Peer };

/** What a handler may use besides the session: the door's membership, each room's tools and moderation, storage. */
export interface HandlerContext {
  membership: Membership;
  toolsOf(room: Room): RoomTools;
  moderationOf(room: Room): RoomModeration;
  store: HubStore;
  recordings: Recordings;
}

export type MessageHandler<N extends UpstreamName> = (
  session: SessionInRoom,
  message: UpstreamMessage<N>,
  roomType: RoomType,
  context: HandlerContext,
) => Promise<void> | void;

/**
 * One handler per room message (seed 000 names plus the mediasoup
 * exchanges the seed does not name). Each sends exactly one reply, last,
 * so a failure anywhere becomes the single downstream-error instead.
 */
export const mediaMessageHandlers: {
  [
    N in Exclude<
      UpstreamName,
      'upstream-request-access' | RoomToolName | ModerationName | RecordingName
    >
  ]: MessageHandler<N>;
} = {
  'upstream-transport-connect': async (session, message, roomType) => {
    await clientMediaCall(
      session.room.connectTransport(
        session.peer,
        message.transport_id,
        message.dtlsParameters as types.DtlsParameters,
      ),
    );
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-offer': async (session, message, roomType) => {
    if ('sdpOffer' in message) {
      // The seed's form: an SDP offer for the client's send connection.
      const published = await clientMediaCall(
        publishOffer(session.room, session.peer, message.outbound_id, message.sdpOffer, {
          muted: { audio: message.audio === 0, video: message.video === 0 },
          ...(message.sources ? { sources: message.sources } : {}),
        }),
      );
      session.send(roomType, 'downstream-offer-acknowledged', {
        cid: message.cid,
        outbound_id: message.outbound_id,
        sdpAnswer: published.answer,
        producers: published.streams,
      });
      return;
    }
    if (
      (message.kind === 'video') !== (message.video === 1) ||
      (message.kind === 'audio') !== (message.audio === 1)
    ) {
      throw new HostError('invalid_request', 'audio/video flags must match kind');
    }
    const producer = await clientMediaCall(
      session.room.produce(session.peer, message.outbound_id, {
        kind: message.kind,
        rtpParameters: message.rtpParameters as types.RtpParameters,
        source: message.source,
        paused: message.paused,
      }),
    );
    session.send(roomType, 'downstream-offer-acknowledged', {
      cid: message.cid,
      producer_id: producer.id,
    });
  },
  'upstream-icecandidate': (session, message, roomType) => {
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-peer-enter': (session, message, roomType, { membership }) => {
    membership.entered(session);
    session.send(roomType, 'downstream-ack', { cid: message.cid });
    // Without rtpCapabilities (the seed's form) each receive offer says what the client decodes.
    session.room.enter(session.peer, message.rtpCapabilities as types.RtpCapabilities | undefined);
  },
  'downstream-offer': async (session, message, roomType) => {
    const target = session.room.peers.get(message.peer_id);
    if (!target?.entered || target === session.peer) {
      throw new HostError('not_found', `no other peer ${message.peer_id} in this room`);
    }
    if ('sdpOffer' in message) {
      // The seed's form: the client's receive-only offer for this peer's streams.
      const inboundId = message.inbound_id ?? target.id;
      const received = await clientMediaCall(
        receiveOffer(session.room, session.peer, target, inboundId, message.sdpOffer),
      );
      session.send(roomType, 'downstream-response', {
        cid: message.cid,
        peer_id: target.id,
        inbound_id: inboundId,
        sdpAnswer: received.answer,
        streams: received.streams,
      });
      return;
    }
    const consumers = await clientMediaCall(
      session.room.consumePeer(session.peer, target, { spatialLayer: message.spatialLayer }),
    );
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
    await clientMediaCall(session.peer.consumer(message.consumer_id).resume());
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-consumer-pause': async (session, message, roomType) => {
    await clientMediaCall(session.peer.consumer(message.consumer_id).pause());
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-consumer-layers': async (session, message, roomType) => {
    const consumer = session.peer.consumer(message.consumer_id);
    if (consumer.type === 'simulcast' || consumer.type === 'svc') {
      await clientMediaCall(
        consumer.setPreferredLayers({
          spatialLayer: message.spatialLayer,
          temporalLayer: message.temporalLayer,
        }),
      );
    }
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-producer-pause': async (session, message, roomType) => {
    await clientMediaCall(session.room.setProducerPaused(session.peer, message.producer_id, true));
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-producer-resume': async (session, message, roomType) => {
    await clientMediaCall(session.room.setProducerPaused(session.peer, message.producer_id, false));
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-producer-close': (session, message, roomType) => {
    session.room.closeProducer(session.peer, message.producer_id);
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-restart-ice': async (session, message, roomType) => {
    const iceParameters = await clientMediaCall(
      session.peer.transport(message.transport_id).restartIce(),
    );
    session.send(roomType, 'downstream-ice-restarted', {
      cid: message.cid,
      transport_id: message.transport_id,
      iceParameters,
    });
  },
  'upstream-leave': (session, message, roomType, { membership }) => {
    membership.leave(session);
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
};
