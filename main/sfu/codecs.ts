import type { types } from 'mediasoup';

/**
 * The codecs every room's router offers. Opus for audio; VP8 first for video
 * because every browser encodes it with simulcast, then VP9 and H264 for
 * clients that prefer them (Safari, hardware encoders).
 *
 * Payload types are Chromium's: mediasoup sends every consumer's RTP with the
 * router's payload types, and a seed-form client that offers to receive
 * (downstream-offer with sdpOffer) decodes only the numbers of its own offer.
 */
export const ROUTER_MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    preferredPayloadType: 111,
    clockRate: 48000,
    channels: 2,
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    preferredPayloadType: 96,
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1000 },
  },
  {
    kind: 'video',
    mimeType: 'video/VP9',
    preferredPayloadType: 98,
    clockRate: 90000,
    parameters: { 'profile-id': 0, 'x-google-start-bitrate': 1000 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    preferredPayloadType: 108,
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
      'x-google-start-bitrate': 1000,
    },
  },
];
