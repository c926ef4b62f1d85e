import type { types } from 'mediasoup';
import type { SessionDescription } from 'sdp-transform';

// The lines every SDP the host writes shares (its answers to publishers and
// its offers to subscribers): the ICE-lite session header, and an m-section's
// codecs, ICE candidates and DTLS role, as sdp-transform objects.

type MediaSection = SessionDescription['media'][number];

/** Our side of a WebRTC transport, as mediasoup gives it. */
export interface TransportSide {
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

/** The session lines of an SDP of ours, every MID bundled; the m-sections are added after. */
export function sessionHeader(transport: TransportSide, mids: string[]): SessionDescription {
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
 * An m-section of ours that carries (or could carry) media: `parameters`'
 * codecs and extensions, our ICE and DTLS lines, its MID and direction. Port 7
 * is a placeholder, as in mediasoup-client: ICE finds the real address.
 */
export function mediaSection(
  transport: TransportSide,
  setup: string,
  section: {
    kind: string;
    mid: string | undefined;
    direction: NonNullable<MediaSection['direction']>;
    parameters: Pick<types.RtpParameters, 'codecs' | 'headerExtensions'>;
  },
): MediaSection {
  return {
    type: section.kind,
    port: 7,
    protocol: 'UDP/TLS/RTP/SAVPF',
    ...rtpLines(section.kind, section.parameters),
    ...transportLines(transport, setup),
    mid: section.mid,
    direction: section.direction,
  } as MediaSection;
}

/** The lines naming what a consumer sends: its SSRCs (with RTX) in the MediaStream `streamId`. */
export function consumerStreamLines(
  consumer: Pick<types.Consumer, 'id' | 'rtpParameters'>,
  streamId: string,
): Partial<MediaSection> {
  const { rtpParameters } = consumer;
  const encoding = rtpParameters.encodings?.[0];
  const cname = rtpParameters.rtcp?.cname ?? streamId;
  const ssrcs = encoding?.ssrc
    ? [encoding.ssrc, ...(encoding.rtx?.ssrc ? [encoding.rtx.ssrc] : [])]
    : [];
  return {
    msid: [{ id: streamId, appdata: consumer.id }],
    ssrcs: ssrcs.flatMap((ssrc) => [
      { id: ssrc, attribute: 'cname', value: cname },
      { id: ssrc, attribute: 'msid', value: `${streamId} ${consumer.id}` },
    ]),
    ...(ssrcs.length === 2 ? { ssrcGroups: [{ semantics: 'FID', ssrcs: ssrcs.join(' ') }] } : {}),
  };
}

/** An answer's m-section refusing the offer's (port 0), in its place. */
export function rejectedSection(media: MediaSection): MediaSection {
  return {
    type: media.type,
    port: 0,
    protocol: media.protocol,
    payloads: media.payloads,
    rtp: [],
    fmtp: [],
    direction: 'inactive',
    ...(media.mid !== undefined ? { mid: media.mid } : {}),
  } as MediaSection;
}
