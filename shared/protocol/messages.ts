import { z } from 'zod';
import {
  dtlsParametersSchema,
  mediaKindSchema,
  mediaSourceSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
  type MediaSource,
} from './rtc';
import { moderationSchemas, type ModerationPayloads } from './moderation';
import { recordingSchemas, type RecordingPayloads } from './recording';
import { roomToolSchemas, type RoomToolPayloads } from './room-tools';
import {
  sdpDownstreamOfferSchema,
  sdpUpstreamOfferSchema,
  type SdpDownstreamResponse,
  type SdpOfferAcknowledged,
} from './sdp-form';
import { idSchema, type OnlineStatus, type RoomType } from './services';

// WebSocket messages (seed 000) are JSON arrays `["<prefix>.<name>", payload]`.
// Room messages use the room type as prefix (`meeting.upstream-offer`); hub
// presence uses `hub.`, socket-level messages `socket.`. `upstream-*` (and,
// as in the seed, `downstream-offer`) go from client to host; the other
// `downstream-*` go from host to client. docs/protocol.md describes each one.

/** Fields every client message carries, as in the seed. */
export const upstreamEnvelope = {
  /** Client correlation id: the reply to this message carries it back. */
  cid: z.string().min(1).max(64),
  user_id: idSchema,
  /** The socket id the client was given (seed: ssid). */
  ssid: idSchema,
  hub_id: idSchema,
  room_id: idSchema,
};

const producerId = { producer_id: idSchema };
const consumerId = { consumer_id: idSchema };

export const upstreamMessageSchemas = {
  'upstream-request-access': z.object({ ...upstreamEnvelope, deviceId: idSchema }),
  /** Not in the seed: mediasoup's DTLS handshake parameters for one of the peer's transports. */
  'upstream-transport-connect': z.object({
    ...upstreamEnvelope,
    transport_id: idSchema,
    dtlsParameters: dtlsParametersSchema,
  }),
  /**
   * Publish: in the mediasoup form one track on the send transport
   * (`outbound_id`); in the seed's form (with `sdpOffer`) an SDP offer, see sdp-form.ts.
   */
  'upstream-offer': z.union([
    sdpUpstreamOfferSchema(upstreamEnvelope),
    z.object({
      ...upstreamEnvelope,
      outbound_id: idSchema,
      inbound_id: z.null().optional(),
      video: z.union([z.literal(0), z.literal(1)]),
      audio: z.union([z.literal(0), z.literal(1)]),
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      paused: z.boolean().default(false),
    }),
  ]),
  /** Accepted and ignored: mediasoup is ICE-lite and needs no client candidates. */
  'upstream-icecandidate': z.object({
    ...upstreamEnvelope,
    outbound_id: idSchema.nullable().optional(),
    inbound_id: idSchema.nullable().optional(),
    peer_id: idSchema.nullable().optional(),
    candidate: z.looseObject({ candidate: z.string().max(1024) }),
  }),
  /**
   * Announce oneself to the room. The mediasoup form carries the client's
   * receive capabilities; the seed's form has none (an SDP client shows them in its offers).
   */
  'upstream-peer-enter': z.object({
    ...upstreamEnvelope,
    outbound_id: idSchema.nullable().optional(),
    inbound_id: idSchema.nullable().optional(),
    rtpCapabilities: rtpCapabilitiesSchema.optional(),
  }),
  /**
   * Ask to receive a peer's streams (named by the seed, sent by the client):
   * with `sdpOffer` in the seed's form, without it in the mediasoup form.
   */
  'downstream-offer': z.union([
    sdpDownstreamOfferSchema(upstreamEnvelope),
    z.object({
      ...upstreamEnvelope,
      peer_id: idSchema,
      /**
       * The simulcast layer the client's tile for this peer needs: video
       * consumers start on it, so no layers request follows and the first
       * key frame is the right size.
       */
      spatialLayer: z.number().int().min(0).max(3).optional(),
    }),
  ]),
  'upstream-consumer-resume': z.object({ ...upstreamEnvelope, ...consumerId }),
  'upstream-consumer-pause': z.object({ ...upstreamEnvelope, ...consumerId }),
  'upstream-consumer-layers': z.object({
    ...upstreamEnvelope,
    ...consumerId,
    spatialLayer: z.number().int().min(0).max(3),
    temporalLayer: z.number().int().min(0).max(3).optional(),
  }),
  'upstream-producer-pause': z.object({ ...upstreamEnvelope, ...producerId }),
  'upstream-producer-resume': z.object({ ...upstreamEnvelope, ...producerId }),
  'upstream-producer-close': z.object({ ...upstreamEnvelope, ...producerId }),
  'upstream-restart-ice': z.object({ ...upstreamEnvelope, transport_id: idSchema }),
  'upstream-leave': z.object({ ...upstreamEnvelope }),
  ...roomToolSchemas(upstreamEnvelope),
  ...moderationSchemas(upstreamEnvelope),
  ...recordingSchemas(upstreamEnvelope),
} as const;

export type UpstreamName = keyof typeof upstreamMessageSchemas;
export type UpstreamMessage<N extends UpstreamName> = z.infer<(typeof upstreamMessageSchemas)[N]>;
/** What a client passes to send an upstream message: the envelope is filled in by the client. */
export type UpstreamPayload<N extends UpstreamName> = DistributiveOmit<
  z.input<(typeof upstreamMessageSchemas)[N]>,
  keyof typeof upstreamEnvelope
>;
/** Omit applied to each member of a union (a message's two forms) rather than to their common keys. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface TransportOptions {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface PublishedTrack {
  producer_id: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
}

export interface PeerInfo {
  peer_id: string;
  user_id: string;
  fullname: string;
  /** The name to show: `fullname`, with " (2)" and so on when someone else in the room has the same one. */
  display_name: string;
  /** The person's hub privilege: 63 owner, 31 admin, 7 member, 0 a visitor let in from the lobby. */
  privilege: number;
  producers: PublishedTrack[];
  /** The peer's socket dropped; the host keeps its place for a short grace period while it reconnects. */
  reconnecting: boolean;
}

export interface ConsumerInfo {
  consumer_id: string;
  producer_id: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: unknown;
  /** The producer is muted; the consumer itself always starts paused until resumed. */
  producerPaused: boolean;
}

export interface DownstreamPayloads
  extends RoomToolPayloads, ModerationPayloads, RecordingPayloads {
  /**
   * First frame on every socket. The client sends `socket.upstream-ping` every
   * `heartbeat_ms` and treats the socket as dead after `idle_timeout_ms` without
   * any frame from the host; the host does the same with WebSocket pings.
   */
  'downstream-hello': {
    socket_id: string;
    max_frame_bytes: number;
    heartbeat_ms: number;
    idle_timeout_ms: number;
  };
  'downstream-pong': { cid: string };
  'downstream-access-granted': {
    cid: string;
    room_id: string;
    peer_id: string;
    /** Our own name as the room shows it, and our hub privilege (what the UI may offer). */
    display_name: string;
    privilege: number;
    peers: PeerInfo[];
    routerRtpCapabilities: unknown;
    sendTransport: TransportOptions;
    recvTransport: TransportOptions;
  };
  'downstream-ack': { cid: string };
  'downstream-offer-acknowledged': { cid: string; producer_id: string } | SdpOfferAcknowledged;
  'downstream-peers-list': { room_id: string; peers: PeerInfo[] };
  'downstream-response':
    { cid: string; peer_id: string; consumers: ConsumerInfo[] } | SdpDownstreamResponse;
  'downstream-ice-restarted': { cid: string; transport_id: string; iceParameters: unknown };
  'downstream-peer-left': { room_id: string; peer_id: string; user_id: string };
  'downstream-producer-state': {
    room_id: string;
    peer_id: string;
    producer_id: string;
    source: MediaSource;
    paused: boolean;
  };
  'downstream-producer-closed': { room_id: string; peer_id: string; producer_id: string };
  'downstream-consumer-closed': { room_id: string; consumer_id: string; producer_id: string };
  'downstream-active-speaker': { room_id: string; peer_id: string | null };
  /** The client is no longer in the room; `reason` says whether to come back (ROOM_CLOSED_REASONS). */
  'downstream-room-closed': { room_id: string; reason: RoomClosedReason; message: string };
  'downstream-presence': { hub_id: string; user_id: string; online: OnlineStatus };
  'downstream-error': { cid: string | null; reason: WsErrorReason; message: string };
}
export type DownstreamName = keyof DownstreamPayloads;

/**
 * Why a client left a room without asking to. The first three end the
 * meeting for that client (it must not retry by itself); the others ask it
 * to rejoin at once.
 */
export const ROOM_CLOSED_REASONS = {
  /** The host stopped on purpose (Ctrl+C, quit, the desktop app's Stop hosting). */
  host_ended: 'end',
  /** The room was deleted through the REST API. */
  room_deleted: 'end',
  /** The same person joined again elsewhere (another tab or device); the newer one stays. */
  replaced: 'end',
  /** The media worker carrying the room died; the room is rebuilt on a live one. */
  media_restarted: 'rejoin',
  /** Access was granted but the client never entered the room (upstream-peer-enter) in time. */
  join_timeout: 'rejoin',
  /** An admin removed this person; they cannot come back with the same credential while the meeting lasts. */
  removed: 'end',
  /** An admin ended the meeting for everyone. */
  ended: 'end',
  /** An admin revoked this person's membership of the hub: their credential no longer works. */
  revoked: 'end',
} as const;
export type RoomClosedReason = keyof typeof ROOM_CLOSED_REASONS;

export const WS_ERROR_REASONS = [
  'invalid_json',
  'invalid_message',
  'unknown_message',
  'frame_too_large',
  'not_bound',
  'forbidden',
  'out_of_order',
  'not_found',
  'media_error',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type WsErrorReason = (typeof WS_ERROR_REASONS)[number];

/** Prefixes that are not room types. */
export const HUB_PREFIX = 'hub';
export const SOCKET_PREFIX = 'socket';
export type MessagePrefix = RoomType | typeof HUB_PREFIX | typeof SOCKET_PREFIX;

/** Largest WebSocket frame the host accepts; SDP-sized RTP parameters fit comfortably. */
export const MAX_FRAME_BYTES = 64 * 1024;
