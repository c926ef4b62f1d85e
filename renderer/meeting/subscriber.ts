import type { types } from 'mediasoup-client';
import { consumerOptions } from '../../shared/client/consumer-options';
import type { MessageSocket } from '../../shared/client/message-socket';
import { ServiceCallError } from '../../shared/client/service-client';
import type { PeerInfo } from '../../shared/protocol/messages';
import type { MeetingStore, RemotePeer } from '../state/store';
import { joinPhase } from './join-phases';
import { transportReport } from './diagnostics';
import type { Link } from './link';

/** The spatial layer for a tile of this width (CSS pixels, times the device pixel ratio). */
export function layerForWidth(width: number): number {
  if (width <= 320) return 0;
  if (width <= 640) return 1;
  return 2;
}

interface ConsumerEntry {
  consumer: types.Consumer;
  peerId: string;
  paused: boolean;
  layer: number | null;
}

export type VideoStats = Record<string, { framesDecoded: number; bytesReceived: number }>;

/**
 * What we receive: the room's peers list, a consumer per remote track on the
 * current link's receive transport, the layer and pause state each video tile
 * asks for, receive stats, and the hub's members with their presence.
 */
export class Subscriber {
  private socket: MessageSocket | undefined;
  private link: Link | undefined;
  /** The newest peers-list pushed on the current socket, newer than the one in access-granted. */
  private pushedPeers: PeerInfo[] | undefined;
  private readonly consumers = new Map<string, ConsumerEntry>();
  /**
   * Peers whose streams are being requested, so a burst of peers-lists asks
   * once; `again` when a newer list came meanwhile (a peer taking over its
   * place publishes one track after another while already in the room).
   */
  private readonly requesting = new Map<string, { again: boolean }>();
  /** The link on which the host refused us the hub's members (presence pushes then ask nothing). */
  private membersRefusedOn: Link | undefined;

  constructor(private readonly store: MeetingStore) {}

  private get state() {
    return this.store.getState();
  }

  /** Room events from this socket (only while it is the current one). */
  listen(socket: MessageSocket): void {
    this.socket = socket;
    this.pushedPeers = undefined;
    const current = () => this.socket === socket;
    socket.on('downstream-peers-list', ({ peers }) => {
      if (!current()) return;
      this.pushedPeers = peers;
      this.applyPeers(peers);
    });
    socket.on('downstream-peer-left', ({ peer_id }) => {
      if (!current()) return;
      for (const [id, entry] of this.consumers) if (entry.peerId === peer_id) this.dropConsumer(id);
      this.state.removePeer(peer_id);
    });
    socket.on('downstream-producer-state', ({ peer_id, producer_id, paused }) => {
      if (current()) this.state.updateTrack(peer_id, producer_id, { paused });
    });
    socket.on('downstream-producer-closed', ({ peer_id, producer_id }) => {
      if (current()) this.state.removeTrack(peer_id, producer_id);
    });
    socket.on('downstream-consumer-closed', ({ consumer_id }) => {
      if (current()) this.dropConsumer(consumer_id);
    });
    socket.on('downstream-active-speaker', ({ peer_id }) => {
      if (current()) this.state.setActiveSpeaker(peer_id);
    });
    socket.on('downstream-presence', ({ user_id, online }) => {
      if (!current()) return;
      if (this.state.presence.members.some((member) => member.id === user_id))
        this.state.setMemberStatus(user_id, online);
      else void this.refreshMembers();
    });
  }

  /** We are in the room on `link`: consume everyone in the newest peers list we know, side by side. */
  attach(link: Link, peers: PeerInfo[]): void {
    this.link = link;
    const asked = this.applyPeers(this.pushedPeers ?? peers);
    void Promise.all(asked).then(() => {
      if (this.link === link) joinPhase('consumed');
    });
  }

  /** The link is gone: its transport closed our consumers; the people stay in view until the rejoin. */
  detach(): void {
    this.link = this.socket = this.pushedPeers = undefined;
    this.consumers.clear();
    this.requesting.clear();
    this.state.detachTracks();
  }

  /** Leaving or ended: nobody is shown any more. */
  clear(): void {
    this.detach();
    this.state.clearRoom();
  }

  /** Takes the room's peers list into the store and asks for streams we do not receive yet. */
  private applyPeers(peers: PeerInfo[]): Promise<void>[] {
    const selfId = this.state.session.self?.peerId;
    const others = peers.filter((peer) => peer.peer_id !== selfId);
    this.state.setPeers(
      others.map((peer): RemotePeer => ({
        peerId: peer.peer_id,
        userId: peer.user_id,
        fullname: peer.fullname,
        displayName: peer.display_name,
        privilege: peer.privilege,
        reconnecting: peer.reconnecting ?? false,
        tracks: Object.fromEntries(
          peer.producers.map((p) => [
            p.producer_id,
            {
              producerId: p.producer_id,
              kind: p.kind,
              source: p.source,
              paused: p.paused,
              consumerId: null,
              track: null,
            },
          ]),
        ),
      })),
    );
    if (!this.link) return [];
    return others
      .filter((peer) => this.wants(peer.peer_id))
      .map((peer) => this.consumePeer(peer.peer_id));
  }

  /** The peer has tracks we do not consume yet. */
  private wants(peerId: string): boolean {
    const peer = this.state.room.peers[peerId];
    return !!peer && Object.values(peer.tracks).some((track) => !track.consumerId);
  }

  /**
   * downstream-offer → downstream-response: consumers for the peer's new
   * tracks, made together (mediasoup-client puts consumers asked for at once
   * into one renegotiation) and resumed as soon as each is wired: a tile that
   * turns out hidden pauses its video again (setVideoView).
   */
  private async consumePeer(peerId: string): Promise<void> {
    const link = this.link;
    const running = this.requesting.get(peerId);
    if (running) running.again = true;
    if (!link || running) return;
    const request = { again: false };
    this.requesting.set(peerId, request);
    try {
      const layer = this.expectedLayer();
      const response = await link.request('downstream-offer', {
        peer_id: peerId,
        spatialLayer: layer,
      });
      if (this.link !== link) return;
      await Promise.all(
        response.consumers.map(async (info) => {
          const consumer = await link.recvTransport.consume(consumerOptions(info, peerId));
          if (this.link !== link) return consumer.close();
          const entry = { consumer, peerId, paused: true, layer: null as number | null };
          if (consumer.kind === 'video') entry.layer = layer;
          this.consumers.set(consumer.id, entry);
          this.state.updateTrack(peerId, info.producer_id, {
            consumerId: consumer.id,
            track: consumer.track,
            paused: info.producerPaused,
          });
          await this.resumeConsumer(consumer.id);
        }),
      );
    } catch {
      // The peer left meanwhile, or the link went: the next peers-list or the rejoin covers it.
    } finally {
      if (this.link === link) {
        this.requesting.delete(peerId);
        if (request.again && this.wants(peerId)) void this.consumePeer(peerId);
      }
    }
  }

  /**
   * The layer a tile of the grid will likely need before the tile can say
   * (the grid splits the window's width among about √n columns).
   */
  private expectedLayer(): number {
    const people = Object.keys(this.state.room.peers).length + 1;
    const columns = Math.ceil(Math.sqrt(people));
    const width = globalThis.innerWidth ?? 1280;
    return layerForWidth((width / columns) * (globalThis.devicePixelRatio ?? 1));
  }

  private async resumeConsumer(consumerId: string): Promise<void> {
    const entry = this.consumers.get(consumerId);
    if (!entry?.paused || !this.link) return;
    entry.paused = false;
    await this.link.request('upstream-consumer-resume', { consumer_id: consumerId });
  }

  /**
   * A video tile reports whether it is on screen and how wide it is: hidden
   * tiles pause their consumer, visible ones ask for the layer that fits.
   */
  async setVideoView(consumerId: string, view: { visible: boolean; width: number }): Promise<void> {
    const entry = this.consumers.get(consumerId);
    const link = this.link;
    if (!entry || !link) return;
    try {
      if (!view.visible) {
        if (!entry.paused) {
          entry.paused = true;
          await link.request('upstream-consumer-pause', { consumer_id: consumerId });
        }
        return;
      }
      const layer = layerForWidth(view.width);
      if (layer !== entry.layer) {
        entry.layer = layer;
        await link.request('upstream-consumer-layers', {
          consumer_id: consumerId,
          spatialLayer: layer,
        });
      }
      await this.resumeConsumer(consumerId);
    } catch {
      // The consumer went away meanwhile.
    }
  }

  /** Frames decoded per remote video (by producer id), from the receive PeerConnection's stats: for the connection info view and tests. */
  videoStats(): Promise<VideoStats> {
    return this.receiveStats('video');
  }

  /** Bytes received per remote audio (by producer id; framesDecoded stays 0): for tests. */
  audioStats(): Promise<VideoStats> {
    return this.receiveStats('audio');
  }

  /** Our link's transports and consumers as they are now (window.roundtable.diagnostics). */
  async diagnostics() {
    const link = this.link;
    if (!link) return { link: 'none' };
    const [send, receive] = await Promise.all([
      transportReport(link.sendTransport),
      transportReport(link.recvTransport),
    ]);
    const consumers = [...this.consumers.values()].map(
      ({ consumer, peerId, paused }) =>
        `${peerId} ${consumer.kind} of ${consumer.producerId}: ${paused ? 'paused' : 'resumed'}` +
        `${consumer.closed ? ', closed' : ''}, track ${consumer.track.readyState}`,
    );
    return { send, receive, consumers };
  }

  private async receiveStats(kind: 'audio' | 'video'): Promise<VideoStats> {
    const result: VideoStats = {};
    for (const { consumer } of this.consumers.values()) {
      if (consumer.kind !== kind || consumer.closed) continue;
      const stats = await consumer.getStats().catch(() => undefined);
      stats?.forEach((report: { type: string; framesDecoded?: number; bytesReceived?: number }) => {
        if (report.type === 'inbound-rtp') {
          result[consumer.producerId] = {
            framesDecoded: report.framesDecoded ?? 0,
            bytesReceived: report.bytesReceived ?? 0,
          };
        }
      });
    }
    return result;
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.consumers.delete(consumerId);
    this.state.removeTrack(entry.peerId, entry.consumer.producerId);
  }

  /** The hub's members with their presence, for the People panel. */
  async refreshMembers(): Promise<void> {
    const target = this.state.session.target;
    const link = this.link;
    if (!link || !target || this.membersRefusedOn === link) return;
    try {
      const members = await link.services.call('hub.get_members_by_type', {
        socket_id: link.socket.socketId,
        device_id: link.deviceId,
        hub_id: target.hubId,
        type: 'all',
      });
      if (this.link === link) this.state.setMembers(members);
    } catch (error) {
      // A visitor (let in from the lobby without an invite) may not see the hub's members: stop asking.
      if (error instanceof ServiceCallError && error.reason === 'forbidden')
        this.membersRefusedOn = link;
      // Presence is a nicety; the meeting goes on without it.
    }
  }
}
