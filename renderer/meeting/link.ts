import { Device, type types } from 'mediasoup-client';
import type { MessageSocket } from '../../shared/client/message-socket';
import type { ServiceClient } from '../../shared/client/service-client';
import { signalConnect } from '../../shared/client/transport-signaling';
import type { DownstreamPayloads } from '../../shared/protocol/messages';

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

/**
 * mediasoup-client's Device for a room's router capabilities. Loading it
 * probes what the browser can send and receive (a throwaway
 * RTCPeerConnection), so the connection starts it as soon as room.get tells
 * the capabilities, beside the bind and the access request.
 */
export async function loadDevice(routerRtpCapabilities: unknown): Promise<Device> {
  const device = new Device();
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
  return device;
}

/** A Device loading ahead of access (from room.get's capabilities), for openLink to take when they match. */
export class DevicePreload {
  private capabilities: unknown;
  private device: Promise<Device | undefined> | undefined;

  /** Starts loading; a failure only means openLink loads again. */
  readonly start = (routerRtpCapabilities: unknown): void => {
    if (!routerRtpCapabilities) return;
    this.capabilities = routerRtpCapabilities;
    this.device = loadDevice(routerRtpCapabilities).catch(() => undefined);
  };

  /** The preloaded Device when it was loaded with `routerRtpCapabilities`. */
  async take(routerRtpCapabilities: unknown): Promise<Device | undefined> {
    const same = JSON.stringify(this.capabilities) === JSON.stringify(routerRtpCapabilities);
    return same ? await this.device : undefined;
  }
}

/**
 * The link of a join attempt once access is granted: the Device (preloaded
 * when it could be) and the two transports the host made, each reporting its
 * state changes to `onState`.
 */
export async function openLink(
  granted: Extract<DownstreamPayloads['downstream-access-granted'], { peer_id: string }>,
  base: Pick<Link, 'services' | 'socket' | 'deviceId' | 'request'>,
  onState: (transportId: string, state: types.ConnectionState) => void,
  preload?: DevicePreload,
): Promise<Link & { device: Device }> {
  const device =
    (await preload?.take(granted.routerRtpCapabilities)) ??
    (await loadDevice(granted.routerRtpCapabilities));
  const wire = (transport: types.Transport) =>
    wireTransport(transport, base.request, (state) => onState(transport.id, state));
  return {
    ...base,
    device,
    sendTransport: wire(device.createSendTransport(granted.sendTransport as never)),
    recvTransport: wire(device.createRecvTransport(granted.recvTransport as never)),
  };
}

/** Connects the transport's DTLS through the host and reports its ICE state changes. */
function wireTransport(
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
