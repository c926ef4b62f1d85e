import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { PeerInfo, RoomClosedReason } from '../../shared/protocol/messages';
import type { MediaSource } from '../../shared/protocol/rtc';
import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import { distinctName } from './display-names';
import { Peer, type ProducerAppData, type RoomRouter } from './peer';
import { RoomConsumers } from './room-consumers';
import { RoomRouters, type RoomPlacement } from './room-routers';
import type { PooledWorker } from './worker-pool';

export interface RoomEvents {
  /** The peer's published set changed: it entered, or a producer was added. */
  'peer-updated': [peer: Peer];
  'peer-left': [peer: Peer];
  'producer-state': [peer: Peer, producer: types.Producer<ProducerAppData>];
  'producer-closed': [peer: Peer, producerId: string];
  /** A consumer went away because its producer did; `peer` is the consumer's owner. */
  'consumer-closed': [peer: Peer, consumerId: string, producerId: string];
  'active-speaker': [peer: Peer | undefined];
  /** `reason` is undefined when the room closed because its last peer left; `message` overrides the reason's words. */
  closed: [reason: RoomClosedReason | undefined, message?: string];
  /** The room kept a microphone off that its peer asked to send on (the peer may not unmute now). */
  'kept-muted': [peer: Peer];
}

/**
 * A meeting room: its peers, an active-speaker observer, and its routers
 * (room-routers.ts: more than one when the peers outgrow a worker's share);
 * room-consumers.ts makes its consumers. Both doors (the seed-000 client
 * door and the seed-002 REST door) act on rooms only through this class and
 * listen to its events.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly peers = new Map<string, Peer>();
  /** Who the room hears now (the active-speaker observer's last choice), for people who arrive later. */
  activeSpeakerId: string | undefined;
  private closed = false;
  private readonly consumers: RoomConsumers;

  private constructor(
    readonly id: string,
    readonly hubId: string,
    private readonly routers: RoomRouters,
    private readonly speakerObserver: types.ActiveSpeakerObserver,
  ) {
    super();
    this.consumers = new RoomConsumers(routers, (peer, consumerId, producerId) => {
      if (!this.closed) this.emit('consumer-closed', peer, consumerId, producerId);
    });
    speakerObserver.on('dominantspeaker', ({ producer }) => {
      const peer = this.peers.get((producer.appData as ProducerAppData).peerId);
      this.activeSpeakerId = peer?.id;
      this.emit('active-speaker', peer);
    });
  }

  static async create(id: string, hubId: string, placement: RoomPlacement): Promise<Room> {
    const routers = await RoomRouters.open(placement);
    const speakerObserver = await routers.primary.router.createActiveSpeakerObserver({
      interval: 300,
    });
    return new Room(id, hubId, routers, speakerObserver);
  }

  /** The room's first router: its RTP capabilities are every router's (same codecs). */
  get router(): types.Router {
    return this.routers.primary.router;
  }

  get host(): PooledWorker {
    return this.routers.primary.host;
  }

  /** The routers the room uses now, first one first. */
  get spread(): readonly RoomRouter[] {
    return this.routers.all;
  }

  usesWorker(host: PooledWorker): boolean {
    return this.routers.all.some((entry) => entry.host === host);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async addPeer(
    id: string,
    userId: string,
    fullname: string,
    privilege: number = PRIVILEGE.member,
  ): Promise<Peer> {
    const gone = () => new HostError('not_found', `room ${this.id} is closed`);
    if (this.closed) throw gone();
    const placement = await this.routers
      .place(() => this.closed)
      .catch((error: unknown) => {
        throw this.closed ? gone() : error;
      });
    placement.peers++;
    const shown = [...this.peers.values()].map((other) => other.displayName);
    const peer = new Peer(id, userId, fullname, distinctName(fullname, shown), placement);
    peer.privilege = privilege;
    this.peers.set(id, peer);
    return peer;
  }

  /** Entered peers other than `except`, as clients list them. */
  peerInfos(except?: Peer): PeerInfo[] {
    return [...this.peers.values()]
      .filter((peer) => peer.entered && peer !== except)
      .map((peer) => peer.info());
  }

  /** A WebRTC transport of `peer`'s; `sdp` marks one that a seed-form SDP connection owns. */
  async createTransport(
    peer: Peer,
    direction: 'send' | 'recv',
    sdp = false,
  ): Promise<types.WebRtcTransport> {
    const transport = await peer.placement.router.createWebRtcTransport({
      webRtcServer: peer.placement.host.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { direction, sdp },
    });
    peer.transports.set(transport.id, transport);
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    return transport;
  }

  async connectTransport(
    peer: Peer,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    await peer.transport(transportId).connect({ dtlsParameters });
  }

  async produce(
    peer: Peer,
    transportId: string,
    options: {
      kind: types.MediaKind;
      rtpParameters: types.RtpParameters;
      source: MediaSource;
      paused: boolean;
    },
  ): Promise<types.Producer<ProducerAppData>> {
    const transport = peer.transport(transportId);
    if (transport.appData.direction !== 'send')
      throw new HostError('out_of_order', 'produce needs the send transport');
    // A microphone that may not be on now starts muted, and its client is told.
    const keptMuted = !options.paused && !this.mayTurnOn(peer, options.source);
    const producer = await transport.produce<ProducerAppData>({
      kind: options.kind,
      rtpParameters: options.rtpParameters,
      paused: options.paused || keptMuted,
      appData: { source: options.source, peerId: peer.id },
    });
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => {
      peer.producers.delete(producer.id);
      if (this.closed) return;
      this.emit('producer-closed', peer, producer.id);
      // Everyone's peers list shows what the peer still sends (an SDP client renegotiates from it).
      if (peer.entered && this.peers.get(peer.id) === peer) this.emit('peer-updated', peer);
    });
    if (producer.kind === 'audio' && options.source === 'microphone') {
      // The observer lives on the first router: microphones from other routers are piped to it.
      await this.routers.bringTo(producer, peer.placement, this.routers.primary);
      await this.speakerObserver.addProducer({ producerId: producer.id });
    }
    if (peer.entered) this.emit('peer-updated', peer);
    if (keptMuted) this.emit('kept-muted', peer);
    return producer;
  }

  /** Whether `peer` may turn a `source` on: microphones wait for permission while the meeting asks to unmute. */
  private mayTurnOn(peer: Peer, source: MediaSource): boolean {
    return source !== 'microphone' || peer.mayUnmute;
  }

  /** Lists the peer for everyone; `rtpCapabilities` is what it can receive, when it says so up front. */
  enter(peer: Peer, rtpCapabilities: types.RtpCapabilities | undefined): void {
    peer.rtpCapabilities = rtpCapabilities;
    peer.entered = true;
    this.emit('peer-updated', peer);
  }

  /** Consumers of `producerPeer`'s producers that `consumerPeer` lacks (see room-consumers.ts). */
  consumePeer(...args: Parameters<RoomConsumers['consumePeer']>): Promise<types.Consumer[]> {
    return this.consumers.consumePeer(...args);
  }

  /** One consumer of `producer` on `recv`; undefined when the receiver cannot decode it. */
  consume(...args: Parameters<RoomConsumers['consume']>): Promise<types.Consumer | undefined> {
    return this.consumers.consume(...args);
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    const producer = peer.producer(producerId);
    if (!paused && producer.paused && !this.mayTurnOn(peer, producer.appData.source))
      throw new HostError(
        'forbidden',
        'the meeting asks you to raise your hand before you unmute: an admin can let you',
      );
    if (paused) await producer.pause();
    else await producer.resume();
    this.emit('producer-state', peer, producer);
  }

  closeProducer(peer: Peer, producerId: string): void {
    peer.producer(producerId).close();
  }

  /**
   * The same person came back on a new connection: a fresh Peer with the same
   * id and place takes over (the old one's media closes, telling everyone its
   * producers are gone), so others keep its tile and see no leave and join.
   */
  replacePeer(old: Peer): Peer {
    if (this.peers.get(old.id) !== old) throw new HostError('not_found', `no peer ${old.id}`);
    const peer = new Peer(old.id, old.userId, old.fullname, old.displayName, old.placement);
    // The same client device: it can receive what it could before it re-enters.
    peer.rtpCapabilities = old.rtpCapabilities;
    peer.privilege = old.privilege;
    peer.mayUnmute = old.mayUnmute;
    peer.entered = old.entered;
    this.peers.set(peer.id, peer);
    for (const transport of old.transports.values()) transport.close();
    if (peer.entered) this.emit('peer-updated', peer);
    return peer;
  }

  /** The peer's hub privilege changed (an admin promoted or demoted it): everyone's peers list shows it. */
  setPrivilege(peer: Peer, privilege: number): void {
    peer.privilege = privilege;
    if (peer.entered && this.peers.get(peer.id) === peer) this.emit('peer-updated', peer);
  }

  /** Marks a peer whose client lost its connection (or got it back), for everyone's peers list. */
  setReconnecting(peer: Peer, reconnecting: boolean): void {
    if (peer.reconnecting === reconnecting || this.peers.get(peer.id) !== peer) return;
    peer.reconnecting = reconnecting;
    if (peer.entered) this.emit('peer-updated', peer);
  }

  /** Closes the peer's transports (and with them its producers and consumers). Closes the room when it empties. */
  removePeer(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer) return;
    this.peers.delete(peer.id);
    if (this.activeSpeakerId === peer.id) this.activeSpeakerId = undefined;
    for (const transport of peer.transports.values()) transport.close();
    // Receive connections from it (seed form) have nothing left to carry.
    for (const other of this.peers.values())
      for (const link of other.sdpLinks.values()) if (link.from === peer.id) link.close();
    peer.placement.peers--;
    this.emit('peer-left', peer);
    if (this.peers.size === 0) this.close(undefined);
    else this.routers.releaseIfUnused(peer.placement);
  }

  /** Ends the room for everyone in it, telling each door why (in `message`'s words, when given). */
  close(reason: RoomClosedReason | undefined, message?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.routers.closeAll();
    this.emit('closed', reason, message);
  }
}
