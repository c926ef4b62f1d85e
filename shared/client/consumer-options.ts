import type { types } from 'mediasoup-client';
import type { ConsumerInfo } from '../protocol/messages';

/** What mediasoup-client's recvTransport.consume() takes for one stream of a downstream-response. */
export function consumerOptions(info: ConsumerInfo, peerId: string): types.ConsumerOptions {
  return {
    id: info.consumer_id,
    producerId: info.producer_id,
    kind: info.kind,
    rtpParameters: info.rtpParameters as types.RtpParameters,
    appData: { peerId, source: info.source },
  };
}
