import type { types } from 'mediasoup';
import * as sdpTransform from 'sdp-transform';
import { mediaSection, rejectedSection, sessionHeader, type TransportSide } from './lines';
import type { ParsedOffer } from './parse';

// The host's answer to a publisher's offer, once its tracks are producers.

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
      answer.media.push(rejectedSection(media));
      continue;
    }
    const encodings = rtpParameters.encodings ?? [];
    const rids = encodings.filter((encoding) => encoding.rid).map((encoding) => encoding.rid!);
    answer.media.push({
      ...mediaSection(transport, setup, {
        kind: media.type,
        mid: media.mid,
        direction: 'recvonly',
        parameters: rtpParameters,
      }),
      ...(rids.length
        ? {
            rids: rids.map((id) => ({ id, direction: 'recv' })),
            simulcast: { dir1: 'recv', list1: rids.join(';') },
          }
        : {}),
    });
  }
  return sdpTransform.write(answer);
}
