import type { types } from 'mediasoup';
import type { PeerInfo } from '../../shared/protocol/messages';
import type { MediaSource } from '../../shared/protocol/rtc';
import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import type { SdpLink } from './sdp-link';
import type { PooledWorker } from './worker-pool';

export interface ProducerAppData extends types.AppData {
  source: MediaSource;
  peerId: string;
}

/**
 * One participant's media state in a room, whichever door they came through.
 * Closing a transport closes its producers and consumers (mediasoup does).
 */
export class Peer {
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly consumers = new Map<string, types.Consumer>();
  /** What this peer's device can receive (mediasoup form); an SDP client shows it in each receive offer instead. */
  rtpCapabilities: types.RtpCapabilities | undefined;
  /** Announced to the room (upstream-peer-enter): only entered peers are listed and consumable. */
  entered = false;
  /** The seed form's SDP connections, by the id the client gave them (see sdp-link.ts). */
  readonly sdpLinks = new Map<string, SdpLink>();
  /** Its client's socket dropped and the host holds its place while it reconnects (see Room.setReconnecting). */
  reconnecting = false;
  /** The person's hub privilege (PRIVILEGE), as everyone's peers list shows it. */
  privilege: number = PRIVILEGE.member;
  /**
   * False while the meeting asks people to ask before they unmute and nobody
   * let this peer: the room then refuses to turn its microphone on.
   */
  mayUnmute = true;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly fullname: string,
    /** `fullname`, told apart from others in the room with the same name ("Bob (2)"). */
    readonly displayName: string,
    /** The router (and worker) this peer's transports live on. */
    readonly placement: RoomRouter,
  ) {}

  info(): PeerInfo {
    return {
      peer_id: this.id,
      user_id: this.userId,
      fullname: this.fullname,
      display_name: this.displayName,
      privilege: this.privilege,
      reconnecting: this.reconnecting,
      producers: [...this.producers.values()].map((producer) => ({
        producer_id: producer.id,
        kind: producer.kind,
        source: producer.appData.source,
        paused: producer.paused,
      })),
    };
  }

  transport(id: string): types.WebRtcTransport {
    const transport = this.transports.get(id);
    if (!transport) throw new HostError('not_found', `no transport ${id} for this peer`);
    return transport;
  }

  producer(id: string): types.Producer<ProducerAppData> {
    const producer = this.producers.get(id);
    if (!producer) throw new HostError('not_found', `no producer ${id} for this peer`);
    return producer;
  }

  consumer(id: string): types.Consumer {
    const consumer = this.consumers.get(id);
    if (!consumer) throw new HostError('not_found', `no consumer ${id} for this peer`);
    return consumer;
  }
}

/** One router of a room, on one worker. A room that outgrows one worker's share continues on the next. */
export interface RoomRouter {
  host: PooledWorker;
  router: types.Router;
  peers: number;
}
