import { z } from 'zod';
import { mediaSourceSchema, type MediaSource } from './rtc';
import { idSchema } from './services';

// Seed 000's own form of the media messages: its clients were SDP clients
// (one send-only RTCPeerConnection for their own stream, one receive-only
// connection per remote peer), so `upstream-offer` and `downstream-offer`
// carry an `sdpOffer` and are answered with an `sdpAnswer`. The mediasoup
// form (messages.ts) stays beside it; a message carrying `sdpOffer` is read
// in this form. docs/protocol.md shows both.

/** An SDP as a string; 64 KiB frames bound it anyway, this keeps the message readable in errors. */
const sdpSchema = z
  .string()
  .min(1)
  .max(60 * 1024);
const flagSchema = z.union([z.literal(0), z.literal(1)]);
/** a=mid values, as in validate.ts (1 to 32 token characters). */
const midSchema = z.string().regex(/^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]{1,32}$/);

/** The seed's `upstream-offer`: the client's send-only offer for the connection `outbound_id` (chosen by the client). */
export function sdpUpstreamOfferSchema<E extends z.ZodRawShape>(envelope: E) {
  return z.object({
    ...envelope,
    outbound_id: idSchema,
    inbound_id: z.null().optional(),
    /** 0 publishes the camera paused (muted); 1 sends it. */
    video: flagSchema,
    /** 0 publishes the microphone paused (muted); 1 sends it. */
    audio: flagSchema,
    sdpOffer: sdpSchema,
    /**
     * Not in the seed: what a send m-section carries, by a=mid. Without it
     * audio is the microphone, the first video the camera and a further video a screen.
     */
    sources: z.record(midSchema, mediaSourceSchema).optional(),
  });
}

/** The seed's `downstream-offer`: the client's receive-only offer for one remote peer's streams. */
export function sdpDownstreamOfferSchema<E extends z.ZodRawShape>(envelope: E) {
  return z.object({
    ...envelope,
    peer_id: idSchema,
    /** The client's name for this receive connection; defaults to the remote peer's id. */
    inbound_id: idSchema.nullable().optional(),
    outbound_id: idSchema.nullable().optional(),
    sdpOffer: sdpSchema,
  });
}

/** One m-section of an SDP connection and what the host put there. */
export interface SdpStream {
  mid: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  producer_id: string;
  /** Only on receive connections. */
  consumer_id?: string;
  paused: boolean;
}

/** `downstream-offer-acknowledged` in the seed form: the answer for the client's send connection. */
export interface SdpOfferAcknowledged {
  cid: string;
  outbound_id: string;
  sdpAnswer: string;
  /** What the host publishes from each send m-section. */
  producers: SdpStream[];
}

/** `downstream-response` in the seed form: the answer for the client's receive connection from `peer_id`. */
export interface SdpDownstreamResponse {
  cid: string;
  peer_id: string;
  inbound_id: string;
  sdpAnswer: string;
  /** The remote peer's streams, each on the m-section of the client's offer that carries it. */
  streams: SdpStream[];
}
