import type { types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import {
  consumerStreamLines,
  mediaSection,
  rejectedSection,
  sessionHeader,
  type TransportSide,
} from './lines';
import type { ParsedReceiveOffer } from './receive-offer';

// The host's answer to a seed-form client's receive offer: each of the
// client's m-sections in its order, carrying the consumer mapped onto it.

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
      answer.media.push({
        ...mediaSection(transport, setup, {
          kind,
          mid,
          direction: 'sendonly',
          parameters: consumer.rtpParameters,
        }),
        ...consumerStreamLines(consumer, streamId),
      });
    } else if (rejected(section)) {
      answer.media.push(rejectedSection(media));
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
