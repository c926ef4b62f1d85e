import { ortc, type types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import type { MediaAttributes, SessionDescription } from 'sdp-transform';
import { HostError } from '../../host/host-error';
import { invalid, parseValidSdp } from './validate';

// What a remote SDP means to mediasoup: a plain RTCPeerConnection speaks SDP
// offer/answer, mediasoup speaks RTP parameters and transports. Parsing goes
// through sdp-transform; codec matching is mediasoup's own (ortc), so what
// this accepts is exactly what the router can route.

type MediaSection = SessionDescription['media'][number];

export interface OfferedTrack {
  mid: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
}

export interface ParsedOffer {
  session: SessionDescription;
  /** The offerer's ICE username fragment: a new one on the same connection is an ICE restart. */
  iceUfrag: string | undefined;
  /** The remote DTLS parameters to connect the transport with. */
  dtlsParameters: types.DtlsParameters;
  /** One per usable m-section, in offer order; the others are answered with port 0. */
  tracks: OfferedTrack[];
}

const DTLS_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);
const FINGERPRINT = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/;

/**
 * The remote side's DTLS parameters. `setup` says who starts the handshake:
 * a peer that is `active` is the DTLS client, so mediasoup must be the server.
 * An offerer must say actpass and an answerer active or passive (RFC 5763), which
 * also tells an answer sent as an offer (and the reverse) apart.
 */
export function remoteDtlsParameters(
  session: SessionDescription,
  side: 'offer' | 'answer',
): types.DtlsParameters {
  const media = session.media.find((m) => m.port !== 0) ?? session.media[0]!;
  const fingerprint = media.fingerprint ?? session.fingerprint;
  if (!fingerprint) throw invalid('the SDP has no DTLS fingerprint');
  const algorithm = String(fingerprint.type ?? '').toLowerCase();
  if (!DTLS_ALGORITHMS.has(algorithm))
    throw invalid(`unsupported DTLS fingerprint algorithm ${fingerprint.type}`);
  if (!FINGERPRINT.test(fingerprint.hash))
    throw invalid('the DTLS fingerprint is not hex bytes separated by colons');
  const setup = media.setup ?? session.setup ?? (side === 'offer' ? 'actpass' : 'active');
  if (side === 'offer' && setup !== 'actpass')
    throw invalid(`an offer must have a=setup:actpass, not ${setup}: is this an answer?`);
  if (side === 'answer' && setup !== 'active' && setup !== 'passive')
    throw invalid(`an answer must have a=setup:active or passive, not ${setup}: is this an offer?`);
  return {
    // A publisher that offers actpass gets mediasoup as DTLS server: the browser then starts the handshake.
    role: setup === 'passive' ? 'server' : 'client',
    fingerprints: [{ algorithm: algorithm as types.FingerprintAlgorithm, value: fingerprint.hash }],
  };
}

const mimeTypeOf = (kind: string, codec: string) => `${kind}/${codec}`;

/** The RTP parameters of one offered m-section, with the first codec the router takes; null when none fits. */
function offeredRtpParameters(
  media: MediaSection,
  caps: types.RtpCapabilities,
): types.RtpParameters | null {
  const kind = media.type as types.MediaKind;
  const fmtp = new Map(media.fmtp.map((f) => [f.payload, sdpTransform.parseParams(f.config)]));
  const feedback = (pt: number) =>
    (media.rtcpFb ?? [])
      .filter((fb) => fb.payload === '*' || Number(fb.payload) === pt)
      .map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' }));
  const codecOf = (rtp: MediaAttributes['rtp'][number]): types.RtpCodecParameters => ({
    mimeType: mimeTypeOf(kind, rtp.codec),
    payloadType: rtp.payload,
    clockRate: rtp.rate ?? 90000,
    ...(kind === 'audio' ? { channels: rtp.encoding ?? 1 } : {}),
    parameters: (fmtp.get(rtp.payload) ?? {}) as types.RtpCodecParameters['parameters'],
    rtcpFeedback: feedback(rtp.payload),
  });

  const headerExtensions = (media.ext ?? [])
    .filter((ext) => caps.headerExtensions?.some((h) => h.kind === kind && h.uri === ext.uri))
    .map((ext) => ({ uri: ext.uri as types.RtpHeaderExtensionUri, id: ext.value }));
  const ssrcOf = (attribute: string) => media.ssrcs?.find((s) => s.attribute === attribute);
  const cname = ssrcOf('cname')?.value;
  const encodings = simulcastEncodings(media) ?? ssrcEncodings(media);

  // mediasoup decides whether it can route a codec: try the offered ones in order of preference.
  const order = sdpTransform.parsePayloads(media.payloads ?? '');
  for (const pt of order) {
    const rtp = media.rtp.find((r) => r.payload === pt);
    if (!rtp || /^(rtx|red|ulpfec|flexfec-03|CN|telephone-event)$/i.test(rtp.codec)) continue;
    const codecs = [codecOf(rtp)];
    const rtx = media.rtp.find(
      (r) => r.codec.toLowerCase() === 'rtx' && Number(fmtp.get(r.payload)?.apt) === pt,
    );
    if (rtx) codecs.push(codecOf(rtx));
    const rtpParameters: types.RtpParameters = {
      mid: String(media.mid),
      codecs,
      headerExtensions,
      encodings: rtx ? encodings : encodings.map(({ rtx: _rtx, ...encoding }) => encoding),
      rtcp: { cname, reducedSize: Boolean(media.rtcpRsize) },
    };
    try {
      ortc.getProducerRtpParametersMapping(rtpParameters, caps);
      return rtpParameters;
    } catch {
      // Not routable (or its RTX is not): the next codec.
    }
  }
  return null;
}

/** a=simulcast:send with a=rid lines: one encoding per RID, lowest first as the browser lists them. */
function simulcastEncodings(media: MediaSection): types.RtpEncodingParameters[] | undefined {
  if (!media.simulcast || !media.rids?.length) return undefined;
  const list = media.simulcast.dir1 === 'send' ? media.simulcast.list1 : media.simulcast.list2;
  if (!list) return undefined;
  const declared = new Set(media.rids.map((rid) => String(rid.id)));
  const streams = sdpTransform
    .parseSimulcastStreamList(list)
    .map((alternatives) => alternatives[0]!)
    .filter((stream) => !stream.paused)
    .map((stream) => String(stream.scid));
  for (const [index, rid] of streams.entries()) {
    if (!declared.has(rid)) throw invalid(`a=simulcast names RID ${rid} without an a=rid line`);
    if (streams.indexOf(rid) !== index) throw invalid(`a=simulcast names RID ${rid} twice`);
  }
  return streams.map((rid) => ({ rid }));
}

/** Plain SSRCs: the primary one, with its RTX from an FID group. */
function ssrcEncodings(media: MediaSection): types.RtpEncodingParameters[] {
  const fid = media.ssrcGroups
    ?.find((group) => group.semantics === 'FID')
    ?.ssrcs.split(' ')
    .map(Number);
  const primary = fid?.[0] ?? media.ssrcs?.[0]?.id;
  if (primary === undefined) return [{}];
  return [{ ssrc: Number(primary), ...(fid?.[1] ? { rtx: { ssrc: fid[1] } } : {}) }];
}

/** The ICE username fragment of a remote SDP (the first m-section's, as everything is bundled). */
export function iceUfragOf(session: SessionDescription): string | undefined {
  const media = session.media.find((m) => m.port !== 0) ?? session.media[0];
  return media?.iceUfrag ?? session.iceUfrag;
}

/**
 * Reads a publisher's offer: what it sends and how to reach its DTLS. A
 * renegotiation may send nothing any more (`renegotiation`: every track removed).
 */
export function parseOffer(
  sdp: string,
  caps: types.RtpCapabilities,
  renegotiation = false,
): ParsedOffer {
  const session = parseValidSdp(sdp);
  const tracks: OfferedTrack[] = [];
  let unroutable = 0;
  for (const media of session.media) {
    // sdp-transform reads a numeric mid ("a=mid:0") as a number.
    const mid = media.mid === undefined ? undefined : String(media.mid);
    if (media.type !== 'audio' && media.type !== 'video') continue;
    if (mid === undefined)
      throw new HostError('invalid_sdp', 'every m-section needs a=mid (unified plan)');
    const sends =
      media.direction === undefined ||
      media.direction === 'sendrecv' ||
      media.direction === 'sendonly';
    const rtpParameters = sends && media.port !== 0 ? offeredRtpParameters(media, caps) : null;
    if (rtpParameters) tracks.push({ mid, kind: media.type, rtpParameters });
    else if (sends && media.port !== 0) unroutable++;
  }
  const dtlsParameters = remoteDtlsParameters(session, 'offer');
  // Sending nothing is a renegotiation's way to remove every track; sending only what cannot be routed is a mistake.
  if (tracks.length === 0 && (!renegotiation || unroutable > 0))
    throw new HostError('invalid_sdp', 'the offer sends no audio or video the host can route');
  return { session, iceUfrag: iceUfragOf(session), dtlsParameters, tracks };
}

/** A subscriber's answer to our offer: its DTLS parameters and the MIDs it answers. */
export function parseAnswer(sdp: string): {
  dtlsParameters: types.DtlsParameters;
  mids: Set<string>;
} {
  const session = parseValidSdp(sdp);
  return {
    dtlsParameters: remoteDtlsParameters(session, 'answer'),
    mids: new Set(
      session.media.flatMap((media) => (media.mid === undefined ? [] : [String(media.mid)])),
    ),
  };
}
