import type { types } from 'mediasoup';
import { HostError } from '../host/host-error';
import type { ProducerAppData } from './peer';

/**
 * One SDP connection of a seed-form client (or a REST user's broadcast): a
 * WebRTC transport negotiated by offer/answer instead of mediasoup-client's
 * parameters. A send link carries the client's tracks as producers, a receive
 * link one remote peer's tracks as consumers; `tracks` says which m-section
 * (by a=mid) carries what, so a renegotiation keeps every track where it was.
 */
export class SdpLink {
  /** The producer (send) or consumer (receive) on each m-section that carries one. */
  readonly tracks = new Map<string, types.Producer<ProducerAppData> | types.Consumer>();
  /** The remote ICE username fragment of the last offer: a new one is an ICE restart. */
  remoteIceUfrag: string | undefined;
  /** connect() was called: DTLS parameters are set once per transport. */
  connected = false;
  /** The remote DTLS fingerprint connected with: another one is another RTCPeerConnection. */
  remoteFingerprint: string | undefined;

  constructor(
    /** The client's name for the connection: `outbound_id` for a send link, `inbound_id` (or the peer id) for a receive link. */
    readonly id: string,
    readonly direction: 'send' | 'recv',
    readonly transport: types.WebRtcTransport,
    /** For a receive link: the peer whose streams it carries. */
    readonly from?: string,
  ) {}

  get closed(): boolean {
    return this.transport.closed;
  }

  /** Closes the transport: its producers or consumers go with it. */
  close(): void {
    this.transport.close();
  }
}

/** The most send connections one peer keeps (camera and microphone, a screen or two). */
export const MAX_SEND_LINKS = 4;

/** What opening a link needs of the room (Room.createTransport). */
interface TransportMaker {
  createTransport(
    peer: LinkOwner,
    direction: 'send' | 'recv',
    sdp: boolean,
  ): Promise<types.WebRtcTransport>;
}
interface LinkOwner {
  id: string;
  sdpLinks: Map<string, SdpLink>;
  transports: Map<string, types.WebRtcTransport>;
}

/**
 * Whether `id` may name a connection of `owner`: not another peer's send
 * connection or transport, nor a receive connection another peer named
 * itself. (A receive link named after its remote peer is each receiver's own.)
 */
export function assertLinkIdFree(peers: Iterable<LinkOwner>, owner: LinkOwner, id: string): void {
  for (const other of peers) {
    if (other === owner) continue;
    const link = other.sdpLinks.get(id);
    if (other.transports.has(id) || (link && (link.direction === 'send' || link.id !== link.from)))
      throw new HostError('forbidden', `connection ${id} belongs to another participant`);
  }
  if (owner.transports.has(id) && !owner.sdpLinks.has(id))
    throw new HostError(
      'invalid_request',
      `${id} is a mediasoup-form transport: the seed form names its own connections`,
    );
}

/** A new link on a fresh transport of `owner`, known to it until the transport closes. */
export async function openLink(
  room: TransportMaker,
  owner: LinkOwner,
  id: string,
  direction: 'send' | 'recv',
  from?: string,
): Promise<SdpLink> {
  const transport = await room.createTransport(owner, direction, true);
  const link = new SdpLink(id, direction, transport, from);
  owner.sdpLinks.set(id, link);
  transport.observer.on('close', () => {
    if (owner.sdpLinks.get(id) === link) owner.sdpLinks.delete(id);
  });
  return link;
}

/** Connects a new link's DTLS with the offer's parameters (once per transport). */
export async function connectLink(
  link: SdpLink,
  offer: { iceUfrag: string | undefined; dtlsParameters: types.DtlsParameters },
): Promise<void> {
  if (link.connected) return;
  await link.transport.connect({ dtlsParameters: offer.dtlsParameters });
  link.connected = true;
  link.remoteFingerprint = offer.dtlsParameters.fingerprints[0]?.value;
  link.remoteIceUfrag = offer.iceUfrag;
}

/**
 * The offerer restarted ICE (a new ufrag): an ICE-lite answerer takes new
 * credentials too. Done last in a renegotiation, once the tracks are settled,
 * so a refused offer leaves the ICE credentials the client has.
 */
export async function followIceRestart(
  link: SdpLink,
  offer: { iceUfrag: string | undefined },
): Promise<void> {
  if (link.remoteIceUfrag === undefined || offer.iceUfrag === link.remoteIceUfrag) return;
  await link.transport.restartIce();
  link.remoteIceUfrag = offer.iceUfrag;
}

/** Whether an offer comes from another RTCPeerConnection than the one the link was made for. */
export function isNewConnection(link: SdpLink, offer: { dtlsParameters: types.DtlsParameters }) {
  return link.connected && link.remoteFingerprint !== offer.dtlsParameters.fingerprints[0]?.value;
}
