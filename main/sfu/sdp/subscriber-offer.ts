import type { types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import { consumerStreamLines, mediaSection, sessionHeader, type TransportSide } from './lines';

// The host's offer to a subscriber: what it sends it, one m-section per consumer.

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
    const section = mediaSection(transport, 'actpass', {
      kind: consumer.kind,
      mid: rtpParameters.mid,
      direction: consumer.closed ? 'inactive' : 'sendonly',
      parameters: rtpParameters,
    });
    if (consumer.closed) {
      offer.media.push(section);
      continue;
    }
    offer.media.push({ ...section, ...consumerStreamLines(consumer, streamId) });
  }
  return sdpTransform.write(offer);
}
