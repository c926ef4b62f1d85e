import { ortc, type types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import type { MediaAttributes, SessionDescription } from 'sdp-transform';
import { HostError } from '../host/host-error';

// The SDP bridge of the REST door (seed 002): a plain RTCPeerConnection speaks
// SDP offer/answer, mediasoup speaks RTP parameters and transports. Parsing
// and writing go through sdp-transform; codec matching is mediasoup's own
// (ortc), so what the bridge accepts is exactly what the router can route.

type MediaSection = SessionDescription['media'][number];

export interface OfferedTrack {
  mid: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
}

export interface ParsedOffer {
  session: SessionDescription;
  /** The remote DTLS parameters to connect the transport with. */
  dtlsParameters: types.DtlsParameters;
  /** One per usable m-section, in offer order; the others are answered with port 0. */
  tracks: OfferedTrack[];
}

function parse(sdp: string): SessionDescription {
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0'))
    throw new HostError('invalid_sdp', 'not an SDP (it must start with v=0)');
  const session = sdpTransform.parse(sdp);
  if (!session.media?.length) throw new HostError('invalid_sdp', 'the SDP has no media sections');
  return session;
}

/**
 * The remote side's DTLS parameters. `setup` says who starts the handshake:
 * a peer that is `active` is the DTLS client, so mediasoup must be the server.
 */
function remoteDtlsParameters(
  session: SessionDescription,
  roleWhenActpass: types.DtlsRole,
): types.DtlsParameters {
  const media = session.media.find((m) => m.port !== 0) ?? session.media[0]!;
  const fingerprint = media.fingerprint ?? session.fingerprint;
  if (!fingerprint) throw new HostError('invalid_sdp', 'the SDP has no DTLS fingerprint');
  const setup = media.setup ?? session.setup ?? 'actpass';
  const role: types.DtlsRole =
    setup === 'active' ? 'client' : setup === 'passive' ? 'server' : roleWhenActpass;
  return {
    role,
    fingerprints: [
      { algorithm: fingerprint.type as types.FingerprintAlgorithm, value: fingerprint.hash },
    ],
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
  return sdpTransform
    .parseSimulcastStreamList(list)
    .map((alternatives) => alternatives[0]!)
    .filter((stream) => !stream.paused)
    .map((stream) => ({ rid: String(stream.scid) }));
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

/** Reads a publisher's offer: what it sends and how to reach its DTLS. */
export function parseOffer(sdp: string, caps: types.RtpCapabilities): ParsedOffer {
  const session = parse(sdp);
  const tracks: OfferedTrack[] = [];
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
  }
  if (tracks.length === 0)
    throw new HostError('invalid_sdp', 'the offer sends no audio or video the host can route');
  // A publisher that offers actpass gets mediasoup as DTLS server: the browser then starts the handshake.
  return { session, dtlsParameters: remoteDtlsParameters(session, 'client'), tracks };
}

/** The remote DTLS parameters from a subscriber's answer to our offer. */
export function parseAnswer(sdp: string): types.DtlsParameters {
  return remoteDtlsParameters(parse(sdp), 'client');
}

interface TransportSide {
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

function sessionHeader(transport: TransportSide, mids: string[]): SessionDescription {
  const fingerprint =
    transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ??
    transport.dtlsParameters.fingerprints[0]!;
  return {
    version: 0,
    origin: {
      username: 'roundtable',
      sessionId: Date.now(),
      sessionVersion: 1,
      netType: 'IN',
      ipVer: 4,
      address: '0.0.0.0',
    },
    name: '-',
    timing: { start: 0, stop: 0 },
    icelite: 'ice-lite',
    fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value },
    msidSemantic: { semantic: 'WMS', token: '*' },
    groups: mids.length ? [{ type: 'BUNDLE', mids: mids.join(' ') }] : [],
    media: [],
  };
}

/** ICE, DTLS and transport lines every m-section of ours carries. */
function transportLines(transport: TransportSide, setup: string): Partial<MediaSection> {
  return {
    connection: { version: 4, ip: '0.0.0.0' },
    iceUfrag: transport.iceParameters.usernameFragment,
    icePwd: transport.iceParameters.password,
    candidates: transport.iceCandidates.map((candidate) => ({
      foundation: candidate.foundation,
      component: 1,
      transport: candidate.protocol,
      priority: candidate.priority,
      ip: candidate.address,
      port: candidate.port,
      type: candidate.type,
      ...(candidate.tcpType ? { tcptype: candidate.tcpType } : {}),
    })),
    endOfCandidates: 'end-of-candidates',
    iceOptions: 'renomination',
    setup,
    rtcpMux: 'rtcp-mux',
    rtcpRsize: 'rtcp-rsize',
  };
}

/** RTP lines (payloads, rtpmap, fmtp, rtcp-fb, extensions) for a set of codecs. */
function rtpLines(
  kind: string,
  parameters: Pick<types.RtpParameters, 'codecs' | 'headerExtensions'>,
): Partial<MediaSection> {
  return {
    payloads: parameters.codecs.map((codec) => codec.payloadType).join(' '),
    rtp: parameters.codecs.map((codec) => ({
      payload: codec.payloadType,
      codec: codec.mimeType.slice(kind.length + 1),
      rate: codec.clockRate,
      ...(codec.channels && codec.channels > 1 ? { encoding: codec.channels } : {}),
    })),
    fmtp: parameters.codecs
      .filter((codec) => codec.parameters && Object.keys(codec.parameters).length)
      .map((codec) => ({
        payload: codec.payloadType,
        config: Object.entries(codec.parameters!)
          .map(([key, value]) => `${key}=${value}`)
          .join(';'),
      })),
    rtcpFb: parameters.codecs.flatMap((codec) =>
      (codec.rtcpFeedback ?? []).map((fb) => ({
        payload: codec.payloadType,
        type: fb.type,
        ...(fb.parameter ? { subtype: fb.parameter } : {}),
      })),
    ),
    ext: (parameters.headerExtensions ?? []).map((ext) => ({ value: ext.id, uri: ext.uri })),
  };
}

/**
 * The answer to a publisher's offer: every m-section in the offer's order,
 * receive-only where we took the track (same codec, extensions and RIDs),
 * port 0 where we did not.
 */
export function buildAnswer(
  offer: ParsedOffer,
  transport: TransportSide,
  accepted: Map<string, types.RtpParameters>,
): string {
  const answer = sessionHeader(transport, [...accepted.keys()]);
  // We are the DTLS server when the publisher is (or may be) the client.
  const setup = offer.dtlsParameters.role === 'server' ? 'active' : 'passive';
  for (const media of offer.session.media) {
    const rtpParameters = media.mid === undefined ? undefined : accepted.get(String(media.mid));
    if (!rtpParameters) {
      answer.media.push({
        type: media.type,
        port: 0,
        protocol: media.protocol,
        payloads: media.payloads,
        rtp: [],
        fmtp: [],
        direction: 'inactive',
        ...(media.mid !== undefined ? { mid: media.mid } : {}),
      });
      continue;
    }
    const encodings = rtpParameters.encodings ?? [];
    const rids = encodings.filter((encoding) => encoding.rid).map((encoding) => encoding.rid!);
    answer.media.push({
      type: media.type,
      port: 7,
      protocol: 'UDP/TLS/RTP/SAVPF',
      ...rtpLines(media.type, rtpParameters),
      ...transportLines(transport, setup),
      mid: media.mid,
      direction: 'recvonly',
      ...(rids.length
        ? {
            rids: rids.map((id) => ({ id, direction: 'recv' })),
            simulcast: { dir1: 'recv', list1: rids.join(';') },
          }
        : {}),
    } as MediaSection);
  }
  return sdpTransform.write(answer);
}

/** Our offer to a subscriber: one send-only m-section per consumer, mediasoup's SSRCs announced. */
export function buildConsumerOffer(
  transport: TransportSide,
  consumers: types.Consumer[],
  streamId: string,
): string {
  const offer = sessionHeader(
    transport,
    consumers.map((consumer) => consumer.rtpParameters.mid!),
  );
  for (const consumer of consumers) {
    const { rtpParameters } = consumer;
    const encoding = rtpParameters.encodings?.[0];
    const cname = rtpParameters.rtcp?.cname ?? streamId;
    const ssrcs = encoding?.ssrc
      ? [encoding.ssrc, ...(encoding.rtx?.ssrc ? [encoding.rtx.ssrc] : [])]
      : [];
    offer.media.push({
      type: consumer.kind,
      port: 7,
      protocol: 'UDP/TLS/RTP/SAVPF',
      ...rtpLines(consumer.kind, rtpParameters),
      ...transportLines(transport, 'actpass'),
      mid: rtpParameters.mid,
      direction: 'sendonly',
      msid: [{ id: streamId, appdata: consumer.id }],
      ssrcs: ssrcs.flatMap((ssrc) => [
        { id: ssrc, attribute: 'cname', value: cname },
        { id: ssrc, attribute: 'msid', value: `${streamId} ${consumer.id}` },
      ]),
      ...(ssrcs.length === 2 ? { ssrcGroups: [{ semantics: 'FID', ssrcs: ssrcs.join(' ') }] } : {}),
    } as MediaSection);
  }
  return sdpTransform.write(offer);
}
