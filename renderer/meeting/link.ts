import type { types } from 'mediasoup-client';
import type { MessageSocket } from '../../shared/client/message-socket';
import type { ServiceClient } from '../../shared/client/service-client';
import { signalConnect } from '../../shared/client/transport-signaling';

/**
 * One connection to the host, as one join attempt built it: the service
 * client, the WebSocket and the two WebRTC transports. The connection makes a
 * new one for every (re)join and hands it to the publisher and the subscriber;
 * when it is torn down they drop it, so nothing outlives its socket.
 */
export interface Link {
  services: ServiceClient;
  socket: MessageSocket;
  deviceId: string;
  device: { canProduce(kind: 'audio' | 'video'): boolean };
  sendTransport: types.Transport;
  recvTransport: types.Transport;
  /** socket.request, reporting timeouts to the reconnect machine. */
  request: MessageSocket['request'];
}

/** Connects the transport's DTLS through the host and reports its ICE state changes. */
export function wireTransport(
  transport: types.Transport,
  request: Link['request'],
  onState: (state: types.ConnectionState) => void,
): types.Transport {
  signalConnect(transport, request);
  transport.on('connectionstatechange', onState);
  return transport;
}

/** Resume: new ICE credentials from the host for one transport; everything else stays. */
export async function restartIce(link: Link, transportId: string): Promise<void> {
  const transport = [link.sendTransport, link.recvTransport].find((t) => t.id === transportId);
  if (!transport) throw new Error(`no transport ${transportId}`);
  const { iceParameters } = await link.request('upstream-restart-ice', {
    transport_id: transportId,
  });
  if (!transport.closed)
    await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
}
