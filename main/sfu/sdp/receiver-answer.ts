import type { types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import type { SessionDescription } from 'sdp-transform';
import { mediaSection, sessionHeader, type TransportSide } from './lines';
import type { ParsedReceiveOffer } from './receive-offer';

// The host's answer to a seed-form client's receive offer: each of the
// client's m-sections in its order, carrying the consumer mapped onto it.

type MediaSection = SessionDescription['media'][number];

/** Send lines for one consumer: its codecs and SSRCs, and the stream it belongs to. */
function consumerSection(
  transport: TransportSide,
  setup: string,
  consumer: types.Consumer,
  streamId: string,
): MediaSection {
  const { rtpParameters } = consumer;
  const encoding = rtpParameters.encodings?.[0];
  const cname = rtpParameters.rtcp?.cname ?? streamId;
  const ssrcs = encoding?.ssrc
    ? [encoding.ssrc, ...(encoding.rtx?.ssrc ? [encoding.rtx.ssrc] : [])]
    : [];
  return {
    ...mediaSection(transport, setup, {
      kind: consumer.kind,
      mid: rtpParameters.mid,
      direction: 'sendonly',
      parameters: rtpParameters,
    }),
    msid: [{ id: streamId, appdata: consumer.id }],
    ssrcs: ssrcs.flatMap((ssrc) => [
      { id: ssrc, attribute: 'cname', value: cname },
      { id: ssrc, attribute: 'msid', value: `${streamId} ${consumer.id}` },
    ]),
    ...(ssrcs.length === 2 ? { ssrcGroups: [{ semantics: 'FID', ssrcs: ssrcs.join(' ') }] } : {}),
  };
}

/**
 * The answer: a send-only m-section for each consumer (`consumers` by
 * a=mid), inactive (still bundled, ready for a later renegotiation) for an
 * open m-section with nothing to carry, and port 0 where the offer had
 * port 0. `streamId` groups the remote peer's tracks into one MediaStream.
 */
export function buildReceiverAnswer(
  offer: ParsedReceiveOffer,
  transport: TransportSide,
  consumers: Map<string, types.Consumer>,
  streamId: string,
): string {
  // The offer's first codec the host could send keeps an m-section with nothing to carry valid.
  const placeholder = (section: ParsedReceiveOffer['sections'][number]) =>
    offer.rtpCapabilities.codecs?.find(
      (codec) =>
        codec.kind === section.kind &&
        !codec.mimeType.toLowerCase().endsWith('/rtx') &&
        section.media.rtp.some((rtp) => rtp.payload === codec.preferredPayloadType),
    );
  const rejected = (section: ParsedReceiveOffer['sections'][number]) =>
    !consumers.has(section.mid) && (section.media.port === 0 || !placeholder(section));
  const answer = sessionHeader(
    transport,
    offer.sections.filter((section) => !rejected(section)).map((section) => section.mid),
  );
  // We are the DTLS server when the client is (or may be) the client.
  const setup = offer.dtlsParameters.role === 'server' ? 'active' : 'passive';
  for (const section of offer.sections) {
    const { media, mid, kind } = section;
    const consumer = consumers.get(mid);
    if (consumer) {
      answer.media.push(consumerSection(transport, setup, consumer, streamId));
    } else if (rejected(section)) {
      answer.media.push({
        type: kind,
        port: 0,
        protocol: media.protocol,
        payloads: media.payloads,
        rtp: [],
        fmtp: [],
        direction: 'inactive',
        mid,
      } as MediaSection);
    } else {
      const first = placeholder(section)!;
      const codecs = [
        {
          mimeType: first.mimeType,
          payloadType: first.preferredPayloadType!,
          clockRate: first.clockRate,
          ...(first.channels ? { channels: first.channels } : {}),
          parameters: first.parameters ?? {},
        },
      ];
      answer.media.push(
        mediaSection(transport, setup, {
          kind,
          mid,
          direction: 'inactive',
          parameters: { codecs, headerExtensions: [] },
        }),
      );
    }
  }
  return sdpTransform.write(answer);
}
