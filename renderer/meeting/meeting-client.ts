import { Device, type types } from 'mediasoup-client';
import { consumerOptions } from '../../shared/client/consumer-options';
import { MessageSocket } from '../../shared/client/message-socket';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import type { PeerInfo } from '../../shared/protocol/messages';
import type { MediaSource } from '../../shared/protocol/rtc';
import {
  credentialFor,
  forgetCredential,
  rememberJoin,
  type Credential,
} from '../state/preferences';
import type { JoinTarget, MeetingStore, RemotePeer } from '../state/store';
import { describeMediaError, openCamera, openMicrophone, openScreen } from './media';

/** Camera simulcast: three spatial layers, so each viewer gets the one that fits its tile. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
];

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000, 8000];

/** The spatial layer for a tile of this width (CSS pixels, times the device pixel ratio). */
export function layerForWidth(width: number): number {
  if (width <= 320) return 0;
  if (width <= 640) return 1;
  return 2;
}

/** Words for a person, from whatever failed while joining. */
export function describeJoinError(error: unknown, target: JoinTarget): string {
  if (error instanceof ServiceCallError) {
    if (error.reason === 'forbidden')
      return 'This invite link is not valid for this host. Ask for a new one.';
    if (error.reason === 'not_found')
      return 'The meeting in this invite link no longer exists on the host.';
    return `The host refused to let you in: ${error.message}`;
  }
  if (error instanceof TypeError || (error instanceof Error && /WebSocket/.test(error.message))) {
    return target.origin.startsWith('https:')
      ? `Cannot reach the host at ${target.origin}. Check that it is still hosting and on your network. ` +
          'If this is your first visit, open the address in a browser tab and accept its certificate ' +
          '(compare the fingerprint with the one the host shows).'
      : `Cannot reach the host at ${target.origin}. Check that it is still hosting and on your network.`;
  }
  return error instanceof Error ? error.message : String(error);
}

interface ConsumerEntry {
  consumer: types.Consumer;
  peerId: string;
  paused: boolean;
  layer: number | null;
}

/**
 * The one module that walks the seed flow for the React client: service
 * calls, the WebSocket, mediasoup-client transports, producers and consumers.
 * It writes what happens into the store; components call its methods and
 * never touch the socket.
 */
export class MeetingClient {
  private services: ServiceClient | undefined;
  private socket: MessageSocket | undefined;
  private device: Device | undefined;
  private sendTransport: types.Transport | undefined;
  private recvTransport: types.Transport | undefined;
  private readonly producers = new Map<MediaSource, types.Producer>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Peers whose streams are being requested, so a burst of peers-lists asks once. */
  private readonly requesting = new Set<string>();
  private leaving = false;
  private fullname = '';

  constructor(
    private readonly store: MeetingStore,
    private readonly storage: Storage = localStorage,
  ) {}

  private get state() {
    return this.store.getState();
  }

  /** Joins the target's meeting as `fullname`, with the local tracks already in the store. */
  async join(target: JoinTarget, fullname: string): Promise<void> {
    this.leaving = false;
    this.fullname = fullname;
    this.state.setSession({ phase: 'joining', connection: 'connecting', error: null, target });
    try {
      await this.connect(target);
      this.state.setSession({ phase: 'in-room', connection: 'connected' });
    } catch (error) {
      this.teardown();
      this.state.setSession({
        phase: 'prejoin',
        connection: 'failed',
        error: describeJoinError(error, target),
      });
    }
  }

  private async credential(target: JoinTarget, services: ServiceClient): Promise<Credential> {
    const known = credentialFor(target, this.storage);
    if (known && known.fullname === this.fullname) return known;
    const guest = await services.call('yp.create_guest', {
      hub_id: target.hubId,
      invite: target.invite,
      fullname: this.fullname,
      device_id: this.deviceId(),
    });
    return { auth: guest.auth, userId: guest.user_id, fullname: guest.fullname };
  }

  private deviceId(): string {
    let id = this.storage.getItem('roundtable.device-id');
    if (!id) {
      id = crypto.randomUUID();
      this.storage.setItem('roundtable.device-id', id);
    }
    return id;
  }

  /** room.get → yp.bind_socket → request-access → offer → peer-enter, then consume everyone. */
  private async connect(target: JoinTarget): Promise<void> {
    const services = new ServiceClient(target.origin);
    this.services = services;
    let credential = await this.credential(target, services);
    services.auth = credential.auth;
    const socket = await MessageSocket.connect(
      new URL('/-/ws', target.origin.replace(/^http/, 'ws')),
    );
    this.socket = socket;
    const deviceId = this.deviceId();
    const roomRequest = {
      socket_id: socket.socketId,
      hub_id: target.hubId,
      device_id: deviceId,
      room_type: 'meeting',
    } as const;
    let room;
    try {
      room = await services.call('room.get', roomRequest);
    } catch (error) {
      // A host that lost its data (or a reset) no longer knows the stored credential: get a new one.
      if (!(error instanceof ServiceCallError && error.reason === 'unauthenticated')) throw error;
      forgetCredential(target, this.storage);
      credential = await this.credential(target, services);
      services.auth = credential.auth;
      room = await services.call('room.get', roomRequest);
    }
    await services.call('yp.bind_socket', {
      socket_id: socket.socketId,
      hub_id: credential.userId,
      endpointAddress: room.endpointAddress,
      endpointRoute: room.endpointRoute,
      device_id: deviceId,
    });
    rememberJoin(target, credential, this.storage);
    socket.identity = { user_id: credential.userId, hub_id: target.hubId, room_id: room.room_id };
    this.listen(socket);

    const granted = await socket.request('upstream-request-access', { deviceId });
    this.state.setSession({
      self: { userId: credential.userId, peerId: granted.peer_id, roomId: room.room_id },
    });
    const device = new Device();
    await device.load({
      routerRtpCapabilities: granted.routerRtpCapabilities as types.RtpCapabilities,
    });
    this.device = device;
    this.sendTransport = this.createTransport(
      device.createSendTransport(granted.sendTransport as never),
    );
    this.recvTransport = this.createTransport(
      device.createRecvTransport(granted.recvTransport as never),
    );
    this.sendTransport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      socket
        .request('upstream-offer', {
          outbound_id: this.sendTransport!.id,
          inbound_id: null,
          video: kind === 'video' ? 1 : 0,
          audio: kind === 'audio' ? 1 : 0,
          kind,
          source: appData.source as MediaSource,
          rtpParameters,
          paused: Boolean(appData.paused),
        })
        .then(({ producer_id }) => done({ id: producer_id }), fail);
    });

    await this.publishLocalTracks();
    await socket.request('upstream-peer-enter', {
      outbound_id: this.sendTransport.id,
      rtpCapabilities: device.rtpCapabilities,
    });
    this.applyPeers(granted.peers);
    void this.refreshMembers();
  }

  private createTransport(transport: types.Transport): types.Transport {
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.socket!.request('upstream-transport-connect', {
        transport_id: transport.id,
        dtlsParameters,
      }).then(() => done(), fail);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed') void this.restartIce(transport);
      else if (state === 'disconnected') this.state.setSession({ connection: 'reconnecting' });
      else if (state === 'connected' && this.state.session.phase === 'in-room')
        this.state.setSession({ connection: 'connected' });
    });
    return transport;
  }

  /** An ICE failure (the network changed under us): new ICE credentials, same transport. */
  private async restartIce(transport: types.Transport): Promise<void> {
    this.state.setSession({ connection: 'reconnecting' });
    try {
      const { iceParameters } = await this.socket!.request('upstream-restart-ice', {
        transport_id: transport.id,
      });
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch {
      this.reconnect();
    }
  }

  private listen(socket: MessageSocket): void {
    socket.on('downstream-peers-list', ({ peers }) => this.applyPeers(peers));
    socket.on('downstream-peer-left', ({ peer_id }) => {
      for (const [id, entry] of this.consumers) if (entry.peerId === peer_id) this.dropConsumer(id);
      this.state.removePeer(peer_id);
    });
    socket.on('downstream-producer-state', ({ peer_id, producer_id, paused }) =>
      this.state.updateTrack(peer_id, producer_id, { paused }),
    );
    socket.on('downstream-producer-closed', ({ peer_id, producer_id }) =>
      this.state.removeTrack(peer_id, producer_id),
    );
    socket.on('downstream-consumer-closed', ({ consumer_id }) => this.dropConsumer(consumer_id));
    socket.on('downstream-active-speaker', ({ peer_id }) => this.state.setActiveSpeaker(peer_id));
    socket.on('downstream-presence', ({ user_id, online }) => {
      if (this.state.presence.members.some((member) => member.id === user_id))
        this.state.setMemberStatus(user_id, online);
      else void this.refreshMembers();
    });
    socket.on('downstream-room-closed', () => this.reconnect());
    socket.onClose(() => {
      if (!this.leaving && this.socket === socket) this.reconnect();
    });
  }

  /** Takes the room's peers list into the store and asks for streams we do not receive yet. */
  private applyPeers(peers: PeerInfo[]): void {
    const selfId = this.state.session.self?.peerId;
    const others = peers.filter((peer) => peer.peer_id !== selfId);
    this.state.setPeers(
      others.map((peer): RemotePeer => ({
        peerId: peer.peer_id,
        userId: peer.user_id,
        fullname: peer.fullname,
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
    for (const peer of others) {
      const wanted = peer.producers.some(
        (p) => !this.state.room.peers[peer.peer_id]?.tracks[p.producer_id]?.consumerId,
      );
      if (wanted) void this.consumePeer(peer.peer_id);
    }
  }

  /** downstream-offer → downstream-response: consumers for the peer's new tracks, resumed once wired. */
  private async consumePeer(peerId: string): Promise<void> {
    if (this.requesting.has(peerId) || !this.socket || !this.recvTransport) return;
    this.requesting.add(peerId);
    try {
      const response = await this.socket.request('downstream-offer', { peer_id: peerId });
      for (const info of response.consumers) {
        const consumer = await this.recvTransport.consume(consumerOptions(info, peerId));
        this.consumers.set(consumer.id, { consumer, peerId, paused: true, layer: null });
        this.state.updateTrack(peerId, info.producer_id, {
          consumerId: consumer.id,
          track: consumer.track,
          paused: info.producerPaused,
        });
        // Audio plays at once; video resumes when its tile says it is visible (setVideoView).
        if (consumer.kind === 'audio') await this.resumeConsumer(consumer.id);
      }
    } catch {
      // The peer left meanwhile, or the socket closed: the next peers-list or the reconnect covers it.
    } finally {
      this.requesting.delete(peerId);
    }
  }

  private async resumeConsumer(consumerId: string): Promise<void> {
    const entry = this.consumers.get(consumerId);
    if (!entry?.paused) return;
    entry.paused = false;
    await this.socket?.request('upstream-consumer-resume', { consumer_id: consumerId });
  }

  /**
   * A video tile reports whether it is on screen and how wide it is: hidden
   * tiles pause their consumer, visible ones ask for the layer that fits.
   */
  async setVideoView(consumerId: string, view: { visible: boolean; width: number }): Promise<void> {
    const entry = this.consumers.get(consumerId);
    if (!entry || !this.socket) return;
    try {
      if (!view.visible) {
        if (!entry.paused) {
          entry.paused = true;
          await this.socket.request('upstream-consumer-pause', { consumer_id: consumerId });
        }
        return;
      }
      const layer = layerForWidth(view.width);
      if (layer !== entry.layer) {
        entry.layer = layer;
        await this.socket.request('upstream-consumer-layers', {
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
  async videoStats(): Promise<Record<string, { framesDecoded: number; bytesReceived: number }>> {
    const result: Record<string, { framesDecoded: number; bytesReceived: number }> = {};
    for (const { consumer } of this.consumers.values()) {
      if (consumer.kind !== 'video') continue;
      (await consumer.getStats()).forEach(
        (report: { type: string; framesDecoded?: number; bytesReceived?: number }) => {
          if (report.type === 'inbound-rtp') {
            result[consumer.producerId] = {
              framesDecoded: report.framesDecoded ?? 0,
              bytesReceived: report.bytesReceived ?? 0,
            };
          }
        },
      );
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

  /** Publishes the microphone and camera tracks in the store; a muted microphone is sent paused. */
  private async publishLocalTracks(): Promise<void> {
    const { micTrack, camTrack, micOn, camOn } = this.state.localMedia;
    if (micTrack && this.device?.canProduce('audio'))
      await this.produce('microphone', micTrack, !micOn);
    if (camTrack && camOn && this.device?.canProduce('video'))
      await this.produce('camera', camTrack, false);
  }

  private async produce(
    source: MediaSource,
    track: MediaStreamTrack,
    paused: boolean,
  ): Promise<types.Producer> {
    const producer = await this.sendTransport!.produce({
      track,
      stopTracks: false,
      zeroRtpOnPause: true,
      disableTrackOnPause: true,
      ...(source === 'camera'
        ? { encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } }
        : {}),
      ...(source === 'microphone' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
      appData: { source, paused },
    });
    if (paused) producer.pause();
    this.producers.set(source, producer);
    return producer;
  }

  private async closeProducer(source: MediaSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    await this.socket
      ?.request('upstream-producer-close', { producer_id: producer.id })
      .catch(() => undefined);
  }

  /** Mute and unmute: the producer is paused, the track kept, so unmuting is instant. */
  async setMicOn(on: boolean): Promise<void> {
    this.state.setLocalMedia({ micOn: on });
    const producer = this.producers.get('microphone');
    if (!producer || !this.socket) return;
    if (on) producer.resume();
    else producer.pause();
    await this.socket.request(on ? 'upstream-producer-resume' : 'upstream-producer-pause', {
      producer_id: producer.id,
    });
  }

  /** Camera off releases the camera (its light goes out); on opens it again. */
  async setCamOn(on: boolean): Promise<void> {
    const { camTrack } = this.state.localMedia;
    if (!on) {
      camTrack?.stop();
      this.state.setLocalMedia({ camOn: false, camTrack: null });
      await this.closeProducer('camera');
      return;
    }
    try {
      const track = await openCamera(this.state.devices.cameraId);
      this.state.setLocalMedia({ camOn: true, camTrack: track });
      if (this.sendTransport) await this.produce('camera', track, false);
    } catch (error) {
      this.state.setSession({ error: describeMediaError(error, 'camera') });
    }
  }

  /** Switches devices mid-call without rejoining: the producer's track is replaced. */
  async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const camera = kind === 'camera';
    this.state.setDevices(camera ? { cameraId: deviceId } : { microphoneId: deviceId });
    // A camera that is off stays off; the choice applies when it is turned on.
    if (camera && !this.state.localMedia.camOn) return;
    const trackKey = camera ? 'camTrack' : 'micTrack';
    try {
      const track = await (camera ? openCamera : openMicrophone)(deviceId);
      this.state.localMedia[trackKey]?.stop();
      this.state.setLocalMedia({ [trackKey]: track });
      await this.producers.get(kind)?.replaceTrack({ track });
    } catch (error) {
      this.state.setSession({ error: describeMediaError(error, kind) });
    }
  }

  async startScreenShare(): Promise<void> {
    if (this.producers.has('screen')) return;
    let stream: MediaStream;
    try {
      stream = await openScreen();
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotAllowedError')) {
        this.state.setSession({ error: describeMediaError(error, 'screen') });
      }
      return;
    }
    const [video] = stream.getVideoTracks();
    if (!video) return;
    // The browser's own "Stop sharing" button ends the track.
    video.addEventListener('ended', () => void this.stopScreenShare());
    this.state.setLocalMedia({ sharing: true, screenTrack: video });
    await this.produce('screen', video, false);
    const [audio] = stream.getAudioTracks();
    if (audio) await this.produce('screen-audio', audio, false);
  }

  async stopScreenShare(): Promise<void> {
    this.state.localMedia.screenTrack?.stop();
    this.state.setLocalMedia({ sharing: false, screenTrack: null });
    await Promise.all([this.closeProducer('screen'), this.closeProducer('screen-audio')]);
  }

  async refreshMembers(): Promise<void> {
    const target = this.state.session.target;
    if (!this.services || !this.socket || !target) return;
    try {
      const members = await this.services.call('hub.get_members_by_type', {
        socket_id: this.socket.socketId,
        device_id: this.deviceId(),
        hub_id: target.hubId,
        type: 'all',
      });
      this.state.setMembers(members);
    } catch {
      // Presence is a nicety; the meeting goes on without it.
    }
  }

  /** The socket dropped or the room ended under us: rejoin with the same local tracks. */
  private reconnect(): void {
    if (this.leaving || this.state.session.connection === 'reconnecting') return;
    const target = this.state.session.target;
    if (!target) return;
    this.state.setSession({ connection: 'reconnecting' });
    void (async () => {
      for (const delay of RECONNECT_DELAYS_MS) {
        this.teardown();
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.leaving) return;
        try {
          await this.connect(target);
          this.state.setSession({ connection: 'connected', error: null });
          return;
        } catch {
          // Try again after the next delay.
        }
      }
      this.teardown();
      this.state.setSession({
        connection: 'failed',
        error: describeJoinError(new TypeError(), target),
      });
    })();
  }

  /** After a failed reconnect: one more full attempt, from the Retry button. */
  async retry(): Promise<void> {
    const target = this.state.session.target;
    if (!target) return;
    this.teardown();
    this.state.setSession({ connection: 'reconnecting', error: null });
    try {
      await this.connect(target);
      this.state.setSession({ phase: 'in-room', connection: 'connected' });
    } catch (error) {
      this.teardown();
      this.state.setSession({ connection: 'failed', error: describeJoinError(error, target) });
    }
  }

  /** Closes everything of the connection; local tracks stay for a rejoin. */
  private teardown(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = this.device = undefined;
    this.producers.clear();
    this.consumers.clear();
    this.requesting.clear();
    this.state.clearRoom();
  }

  async leave(): Promise<void> {
    this.leaving = true;
    await this.socket?.request('upstream-leave', {}).catch(() => undefined);
    this.teardown();
    const { micTrack, camTrack, screenTrack } = this.state.localMedia;
    for (const track of [micTrack, camTrack, screenTrack]) track?.stop();
    this.state.setLocalMedia({ micTrack: null, camTrack: null, screenTrack: null, sharing: false });
    this.state.setSession({ phase: 'left', self: null });
  }
}
