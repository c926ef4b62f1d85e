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

/** More m-sections than one publisher sends (camera, microphone, a screen or two): refused, so one request stays cheap. */
export const MAX_MEDIA_SECTIONS = 16;

const invalid = (message: string) => new HostError('invalid_sdp', message);

function parse(sdp: string): SessionDescription {
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0'))
    throw invalid('not an SDP (it must start with v=0)');
  let session: SessionDescription;
  try {
    session = sdpTransform.parse(sdp);
  } catch {
    throw invalid('the SDP could not be parsed');
  }
  if (!session.media?.length) throw invalid('the SDP has no media sections');
  if (session.media.length > MAX_MEDIA_SECTIONS)
    throw invalid(`the SDP has more than ${MAX_MEDIA_SECTIONS} media sections`);
  checkShape(sdp, session);
  return session;
}

/** RFC 5888 identification-tag: a token; short, as it travels in every RTP packet's MID extension. */
const MID = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]{1,32}$/;
const isSsrc = (n: number) => Number.isInteger(n) && n > 0 && n <= 0xffffffff;

/**
 * What mediasoup would otherwise refuse half-way through a request (after
 * transports and producers exist) or take ambiguously: every m-line well
 * formed with exactly one a=mid, MIDs unique in the session, SSRCs valid and
 * each owned by one m-section, no SSRC twice in a group, no RID twice.
 */
function checkShape(sdp: string, session: SessionDescription): void {
  // sdp-transform keeps the last of repeated single-valued lines: count a=mid in the text.
  const midLines = sdp
    .split(/\r?\n/)
    .reduce<number[]>(
      (counts, line) =>
        line.startsWith('m=')
          ? [...counts, 0]
          : line.startsWith('a=mid:') && counts.length
            ? [...counts.slice(0, -1), counts.at(-1)! + 1]
            : counts,
      [],
    );
  const mids = new Set<string>();
  const ssrcOwner = new Map<number, number>();
  session.media.forEach((media, index) => {
    const where = `m-section ${index + 1}`;
    if (typeof media.type !== 'string' || typeof media.port !== 'number' || !media.protocol)
      throw invalid(`${where}: the m= line is malformed`);
    if ((midLines[index] ?? 0) > 1) throw invalid(`${where} has more than one a=mid`);
    if (media.mid !== undefined) {
      const mid = String(media.mid);
      if (!MID.test(mid)) throw invalid(`${where}: a=mid must be 1 to 32 token characters`);
      if (mids.has(mid)) throw invalid(`a=mid:${mid} is used by more than one m-section`);
      mids.add(mid);
    }

    const own = new Set<number>();
    const attributes = new Set<string>();
    for (const { id, attribute } of media.ssrcs ?? []) {
      const ssrc = Number(id);
      if (!isSsrc(ssrc)) throw invalid(`${where}: a=ssrc:${id} is not a valid SSRC`);
      if (attributes.has(`${ssrc} ${attribute}`))
        throw invalid(`${where}: a=ssrc:${ssrc} ${attribute} is given twice`);
      attributes.add(`${ssrc} ${attribute}`);
      own.add(ssrc);
    }
    const grouped = new Map<string, Set<number>>();
    for (const group of media.ssrcGroups ?? []) {
      const members = group.ssrcs.trim().split(/\s+/).map(Number);
      const inSemantics = grouped.get(group.semantics) ?? new Set<number>();
      grouped.set(group.semantics, inSemantics);
      for (const ssrc of members) {
        if (!isSsrc(ssrc))
          throw invalid(`${where}: a=ssrc-group:${group.semantics} has an invalid SSRC`);
        if (inSemantics.has(ssrc))
          throw invalid(`${where}: SSRC ${ssrc} appears twice in a=ssrc-group:${group.semantics}`);
        inSemantics.add(ssrc);
        own.add(ssrc);
      }
    }
    for (const ssrc of own) {
      const owner = ssrcOwner.get(ssrc);
      if (owner !== undefined)
        throw invalid(`SSRC ${ssrc} is used by m-sections ${owner + 1} and ${index + 1}`);
      ssrcOwner.set(ssrc, index);
    }

    const rids = new Set<string>();
    for (const { id } of media.rids ?? []) {
      if (rids.has(String(id))) throw invalid(`${where}: a=rid:${id} is given twice`);
      rids.add(String(id));
    }
  });
}

const DTLS_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);
const FINGERPRINT = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/;

/**
 * The remote side's DTLS parameters. `setup` says who starts the handshake:
 * a peer that is `active` is the DTLS client, so mediasoup must be the server.
 * An offerer must say actpass and an answerer active or passive (RFC 5763), which
 * also tells an answer sent as an offer (and the reverse) apart.
 */
function remoteDtlsParameters(
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
  return { session, dtlsParameters: remoteDtlsParameters(session, 'offer'), tracks };
}

/** A subscriber's answer to our offer: its DTLS parameters and the MIDs it answers. */
export function parseAnswer(sdp: string): {
  dtlsParameters: types.DtlsParameters;
  mids: Set<string>;
} {
  const session = parse(sdp);
  return {
    dtlsParameters: remoteDtlsParameters(session, 'answer'),
    mids: new Set(
      session.media.flatMap((media) => (media.mid === undefined ? [] : [String(media.mid)])),
    ),
  };
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

/**
 * Our offer to a subscriber: one send-only m-section per consumer, mediasoup's
 * SSRCs announced. A closed consumer keeps its place as an inactive m-section
 * (still bundled, so the connection's ICE and DTLS stay as they are): a
 * renegotiation never drops an m-line the subscriber has.
 */
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
    if (consumer.closed) {
      offer.media.push({
        type: consumer.kind,
        port: 7,
        protocol: 'UDP/TLS/RTP/SAVPF',
        ...rtpLines(consumer.kind, rtpParameters),
        ...transportLines(transport, 'actpass'),
        mid: rtpParameters.mid,
        direction: 'inactive',
      } as MediaSection);
      continue;
    }
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
