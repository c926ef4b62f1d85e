import type { types } from 'mediasoup-client';
import type { MediaSource } from '../protocol/rtc';
import type { MessageSocket } from './message-socket';

/** Sends one room message and resolves with the host's reply (MessageSocket.request, or a wrapper of it). */
export type Requester = MessageSocket['request'];

/** mediasoup-client asks to connect a transport: its DTLS parameters go to the host (upstream-transport-connect). */
export function signalConnect(transport: types.Transport, request: Requester): void {
  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    request('upstream-transport-connect', { transport_id: transport.id, dtlsParameters }).then(
      () => done(),
      fail,
    );
  });
}

/**
 * mediasoup-client publishes a track on the send transport: the host makes the
 * producer (upstream-offer in its mediasoup form, `appData.source` naming the
 * track, `appData.paused` for a muted start) and answers with its id.
 */
export function signalProduce(transport: types.Transport, request: Requester): void {
  transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
    request('upstream-offer', {
      outbound_id: transport.id,
      inbound_id: null,
      video: kind === 'video' ? 1 : 0,
      audio: kind === 'audio' ? 1 : 0,
      kind,
      source: appData.source as MediaSource,
      rtpParameters,
      paused: Boolean(appData.paused),
    }).then(({ producer_id }) => done({ id: producer_id }), fail);
  });
}
