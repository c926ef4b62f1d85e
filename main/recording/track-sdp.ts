import type { types } from 'mediasoup';

// What a recording consumer receives and how ffmpeg is told about it.

/**
 * The router's capabilities as a recording consumer should use them: no RTX
 * (ffmpeg would read retransmissions on their own payload type as media),
 * no NACK (nothing is lost on loopback) and no header extensions (ffmpeg skips
 * them, and without transport-cc the consumer has no bandwidth estimate to
 * lower the layer it sends).
 */
export function recordingRtpCapabilities(router: types.RtpCapabilities): types.RtpCapabilities {
  return {
    codecs: (router.codecs ?? [])
      .filter((codec) => !codec.mimeType.toLowerCase().endsWith('/rtx'))
      .map((codec) => ({
        ...codec,
        rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => fb.type !== 'nack' || fb.parameter),
      })),
    headerExtensions: [],
  };
}

/**
 * An SDP that makes ffmpeg listen for the consumer's RTP on 127.0.0.1:`port`
 * (and RTCP on `port` + 1). One media section, one payload type.
 */
export function sdpForConsumer(
  kind: types.MediaKind,
  rtpParameters: types.RtpParameters,
  port: number,
): string {
  const codec = rtpParameters.codecs[0];
  if (!codec) throw new Error('the consumer has no codec');
  const name = codec.mimeType.split('/')[1] ?? codec.mimeType;
  const channels = kind === 'audio' && codec.channels ? `/${codec.channels}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(';');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=Roundtable recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\r\n');
}
