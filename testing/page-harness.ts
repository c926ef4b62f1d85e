// Runs inside Chromium pages in integration tests: a scripted client of the
// host's client door built from the same shared/client code the renderer
// uses, with mediasoup-client and the fake camera and microphone. Tests call
// each step through `window.harness` and read what the host pushed from
// `pushed`.
import { Device, types } from 'mediasoup-client';
import { consumerOptions } from '../shared/client/consumer-options';
import { bindSocketToRoom } from '../shared/client/hub-session';
import { MessageSocket } from '../shared/client/message-socket';
import { signalConnect, signalProduce, type Requester } from '../shared/client/transport-signaling';
import { ServiceClient } from '../shared/client/service-client';
import type {
  DownstreamName,
  DownstreamPayloads,
  TransportOptions,
} from '../shared/protocol/messages';
import type { RoomData } from '../shared/protocol/services';

const PUSHED: DownstreamName[] = [
  'downstream-peers-list',
  'downstream-peer-left',
  'downstream-producer-state',
  'downstream-producer-closed',
  'downstream-consumer-closed',
  'downstream-active-speaker',
  'downstream-presence',
];

/** What publish() sends from the fake camera. */
export interface PublishOptions {
  width: number;
  height: number;
  /** Simulcast encodings (e.g. the app's three camera layers); one encoding when absent. */
  encodings?: types.RtpEncodingParameters[];
}

export class Harness {
  services = new ServiceClient(location.origin);
  socket!: MessageSocket;
  room!: RoomData;
  device = new Device();
  sendTransport!: types.Transport;
  recvTransport!: types.Transport;
  pushed: { name: DownstreamName; payload: unknown }[] = [];
  producers = new Map<string, types.Producer>();
  consumers = new Map<string, types.Consumer>();
  peerId = '';

  /** room.get → yp.bind_socket, after a guest account for `fullname`. */
  async join(hubId: string, invite: string, fullname: string) {
    const guest = await this.services.call('yp.create_guest', {
      hub_id: hubId,
      device_id: 'device-' + fullname,
      fullname,
      invite,
    });
    this.services.auth = guest.auth;
    this.socket = await MessageSocket.connect(
      new URL('/-/ws', location.origin.replace(/^http/, 'ws')),
    );
    for (const name of PUSHED)
      this.socket.on(name, (payload) => this.pushed.push({ name, payload }));
    this.room = await bindSocketToRoom(this.services, {
      socketId: this.socket.socketId,
      hubId,
      userId: guest.user_id,
      deviceId: 'device-' + fullname,
    });
    this.socket.identity = { user_id: guest.user_id, hub_id: hubId, room_id: this.room.room_id };
    return { user_id: guest.user_id, room: this.room };
  }

  /** upstream-request-access → downstream-access-granted; loads the device and creates both transports. */
  async requestAccess() {
    const granted = await this.socket.request('upstream-request-access', { deviceId: 'device' });
    if (!('peer_id' in granted))
      throw new Error('the harness waits in the lobby: unlock the meeting');
    this.peerId = granted.peer_id;
    await this.device.load({
      routerRtpCapabilities: granted.routerRtpCapabilities as types.RtpCapabilities,
    });
    this.sendTransport = this.device.createSendTransport(
      granted.sendTransport as TransportOptions as never,
    );
    this.recvTransport = this.device.createRecvTransport(
      granted.recvTransport as TransportOptions as never,
    );
    const request: Requester = (name, payload) => this.socket.request(name, payload);
    signalConnect(this.sendTransport, request);
    signalConnect(this.recvTransport, request);
    signalProduce(this.sendTransport, request);
    return {
      peers: granted.peers,
      peer_id: granted.peer_id,
      sendTransportId: granted.sendTransport.id,
    };
  }

  /**
   * upstream-offer for the fake camera and microphone: 320×240 in one
   * encoding, or the size and (simulcast) encodings `camera` asks for.
   */
  async publish(camera: PublishOptions = { width: 320, height: 240 }) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: camera.width, height: camera.height },
    });
    for (const track of stream.getTracks()) {
      const source = track.kind === 'audio' ? 'microphone' : 'camera';
      const producer = await this.sendTransport.produce({
        track,
        appData: { source },
        ...(track.kind === 'video' && camera.encodings ? { encodings: camera.encodings } : {}),
      });
      this.producers.set(source, producer);
    }
    return [...this.producers.values()].map((producer) => producer.id);
  }

  /** upstream-peer-enter, with what this device can receive. */
  async enter() {
    await this.socket.request('upstream-peer-enter', {
      outbound_id: this.sendTransport.id,
      rtpCapabilities: this.device.rtpCapabilities,
    });
  }

  /**
   * downstream-offer → downstream-response → consume and resume each stream;
   * with `spatialLayer`, video consumers ask for that simulcast layer first
   * (upstream-consumer-layers), as the app's tiles do for their width.
   */
  async consume(peerId: string, spatialLayer?: number) {
    const response = await this.socket.request('downstream-offer', { peer_id: peerId });
    for (const info of response.consumers) {
      const consumer = await this.recvTransport.consume(consumerOptions(info, peerId));
      this.consumers.set(consumer.id, consumer);
      if (spatialLayer !== undefined && consumer.kind === 'video')
        await this.socket.request('upstream-consumer-layers', {
          consumer_id: consumer.id,
          spatialLayer,
        });
      await this.socket.request('upstream-consumer-resume', { consumer_id: consumer.id });
    }
    return response;
  }

  /** Frames decoded per remote video consumer, from the receiving RTCPeerConnection's stats. */
  async framesDecoded() {
    const result: Record<string, number> = {};
    for (const consumer of this.consumers.values()) {
      if (consumer.kind !== 'video') continue;
      const stats = await consumer.getStats();
      stats.forEach((report: { type: string; framesDecoded?: number }) => {
        if (report.type === 'inbound-rtp') result[consumer.producerId] = report.framesDecoded ?? 0;
      });
    }
    return result;
  }

  async setMuted(source: string, muted: boolean) {
    const producer = this.producers.get(source)!;
    await this.socket.request(muted ? 'upstream-producer-pause' : 'upstream-producer-resume', {
      producer_id: producer.id,
    });
  }

  async closeProducer(source: string) {
    const producer = this.producers.get(source)!;
    producer.close();
    this.producers.delete(source);
    await this.socket.request('upstream-producer-close', { producer_id: producer.id });
  }

  messages<N extends DownstreamName>(name: N): DownstreamPayloads[N][] {
    return this.pushed
      .filter((entry) => entry.name === name)
      .map((entry) => entry.payload as DownstreamPayloads[N]);
  }

  async leave() {
    await this.socket.request('upstream-leave', {});
  }

  disconnect() {
    this.socket.close();
  }
}

(window as unknown as { harness: Harness }).harness = new Harness();
