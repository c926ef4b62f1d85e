// A client of the host written only from seed 000, the way its clients were
// written before mediasoup: fetch for the service calls, a WebSocket with
// `["meeting.<name>", payload]` frames, one send-only RTCPeerConnection for
// its own stream (`upstream-offer` with `sdpOffer`) and one receive-only
// RTCPeerConnection per remote peer (`downstream-offer` with `sdpOffer`).
// Nothing from this project's client code is used. It runs in Chromium test
// pages as `window.seedClient`; tests call its steps and read its stats.

type Payload = Record<string, unknown>;

interface SeedPeer {
  peer_id: string;
  fullname: string;
  producers: { producer_id: string; kind: 'audio' | 'video'; source: string; paused: boolean }[];
}

interface SeedStream {
  mid: string;
  kind: 'audio' | 'video';
  source: string;
  producer_id: string;
  paused: boolean;
}

/** One receive-only connection and what the host last said it carries. */
interface Reception {
  pc: RTCPeerConnection;
  streams: SeedStream[];
  /** Renegotiations for this peer run one after another. */
  turn: Promise<unknown>;
}

export class SeedClient {
  private socket!: WebSocket;
  private nextCid = 1;
  private readonly waiting = new Map<string, (frame: [string, Payload]) => void>();
  private envelope: Payload = {};
  private auth = '';
  outboundId = crypto.randomUUID();
  send: RTCPeerConnection | undefined;
  published: SeedStream[] = [];
  private stream: MediaStream | undefined;
  readonly receptions = new Map<string, Reception>();
  peers: SeedPeer[] = [];
  /** Every downstream-error answering a request, with its frame name. */
  errors: Payload[] = [];
  /** Renegotiate receive connections on every downstream-peers-list, as a seed client would. */
  autoRenegotiate = true;

  private async service(name: string, params: Payload): Promise<Payload> {
    const response = await fetch(`/-/svc/${name}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.auth ? { 'x-param-auth': this.auth } : {}),
      },
      body: JSON.stringify({ service: name, ...params }),
    });
    const reply = (await response.json()) as { __status__: string; data: Payload };
    if (reply.__status__ !== 'ok') throw new Error(`${name}: ${JSON.stringify(reply.data)}`);
    return reply.data;
  }

  /** A guest account, the socket, room.get and yp.bind_socket. */
  async join(hubId: string, invite: string, fullname: string): Promise<Payload> {
    const deviceId = `seed-${fullname}`.replace(/[^A-Za-z0-9-]/g, '');
    const guest = await this.service('yp.create_guest', {
      hub_id: hubId,
      device_id: deviceId,
      fullname,
      invite,
    });
    this.auth = guest.auth as string;
    this.socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/-/ws`);
    const hello = await new Promise<Payload>((resolve, reject) => {
      this.socket.onerror = () => reject(new Error('the WebSocket failed'));
      this.socket.onmessage = (event) => {
        const [name, payload] = JSON.parse(String(event.data)) as [string, Payload];
        if (name === 'socket.downstream-hello') resolve(payload);
      };
    });
    this.socket.onmessage = (event) => this.onFrame(JSON.parse(String(event.data)));
    const ssid = hello.socket_id as string;
    const room = await this.service('room.get', {
      socket_id: ssid,
      hub_id: hubId,
      device_id: deviceId,
      room_type: 'meeting',
    });
    await this.service('yp.bind_socket', {
      socket_id: ssid,
      hub_id: guest.user_id,
      endpointAddress: room.endpointAddress,
      endpointRoute: room.endpointRoute,
      device_id: deviceId,
    });
    this.envelope = { user_id: guest.user_id, ssid, hub_id: hubId, room_id: room.room_id };
    this.roomId = room.room_id as string;
    this.userId = guest.user_id as string;
    return room;
  }

  private onFrame([name, payload]: [string, Payload]): void {
    const cid = payload.cid as string | undefined;
    const waiter = cid ? this.waiting.get(cid) : undefined;
    if (waiter) {
      this.waiting.delete(cid!);
      waiter([name, payload]);
      return;
    }
    if (name === 'meeting.downstream-peers-list') {
      this.peers = (payload.peers as SeedPeer[]).filter((peer) => peer.peer_id !== this.peerId);
      if (this.autoRenegotiate)
        for (const peer of this.peers)
          if (this.receptions.has(peer.peer_id)) void this.receive(peer.peer_id).catch(() => {});
    }
  }

  peerId = '';
  roomId = '';
  userId = '';

  /** One room message; resolves with the reply's payload, rejects on downstream-error. */
  request(name: string, payload: Payload): Promise<Payload> {
    const cid = `seed${this.nextCid++}`;
    return new Promise((resolve, reject) => {
      this.waiting.set(cid, ([replyName, reply]) => {
        if (replyName.endsWith('.downstream-error')) {
          this.errors.push({ name: replyName, ...reply });
          reject(new Error(`${reply.reason}: ${reply.message}`));
        } else resolve(reply);
      });
      this.socket.send(JSON.stringify([`meeting.${name}`, { cid, ...this.envelope, ...payload }]));
    });
  }

  async requestAccess(): Promise<Payload> {
    const granted = await this.request('upstream-request-access', { deviceId: 'seed' });
    this.peerId = granted.peer_id as string;
    this.peers = granted.peers as SeedPeer[];
    return granted;
  }

  /** The fake camera and microphone on one send-only connection, with the seed's flags. */
  async publish(flags: { video: 0 | 1; audio: 0 | 1 }): Promise<SeedStream[]> {
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: 320, height: 240 },
    });
    this.send = new RTCPeerConnection();
    for (const track of this.stream.getTracks())
      this.send.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    return this.offer(flags);
  }

  /** upstream-offer on the send connection (again: a renegotiation), then its answer applied. */
  async offer(flags: { video: 0 | 1; audio: 0 | 1 }, extra: Payload = {}): Promise<SeedStream[]> {
    const pc = this.send!;
    await pc.setLocalDescription(await pc.createOffer());
    const ack = await this.request('upstream-offer', {
      outbound_id: this.outboundId,
      inbound_id: null,
      ...flags,
      sdpOffer: pc.localDescription!.sdp,
      ...extra,
    });
    await pc.setRemoteDescription({ type: 'answer', sdp: ack.sdpAnswer as string });
    this.published = ack.producers as SeedStream[];
    return this.published;
  }

  /** A second video (another fake camera track, sent as a screen) added by renegotiation. */
  async addScreen(flags: { video: 0 | 1; audio: 0 | 1 }): Promise<SeedStream[]> {
    const screen = await navigator.mediaDevices.getUserMedia({
      video: { width: 640, height: 360 },
    });
    const transceiver = this.send!.addTransceiver(screen.getVideoTracks()[0]!, {
      direction: 'sendonly',
    });
    // The new transceiver gets its a=mid when an offer is set; offer() makes the one it sends.
    await this.send!.setLocalDescription(await this.send!.createOffer());
    return this.offer(flags, { sources: { [transceiver.mid!]: 'screen' } });
  }

  /** Stops sending the screen (its m-section goes inactive), by renegotiation. */
  async removeScreen(flags: { video: 0 | 1; audio: 0 | 1 }): Promise<SeedStream[]> {
    const mid = this.published.find((stream) => stream.source === 'screen')!.mid;
    const transceiver = this.send!.getTransceivers().find((t) => t.mid === mid)!;
    this.send!.removeTrack(transceiver.sender);
    return this.offer(flags);
  }

  async enter(): Promise<void> {
    await this.request('upstream-peer-enter', { outbound_id: this.outboundId, inbound_id: null });
  }

  /**
   * downstream-offer for `peerId`: a receive-only connection with a
   * transceiver per track the peer sends (added when it sends more), its
   * offer, the host's answer. Again for the same peer: a renegotiation.
   */
  receive(peerId: string): Promise<SeedStream[]> {
    let reception = this.receptions.get(peerId);
    if (!reception) {
      const pc = new RTCPeerConnection();
      pc.ontrack = ({ track }) => {
        const element = document.createElement(track.kind === 'video' ? 'video' : 'audio');
        element.srcObject = new MediaStream([track]);
        element.autoplay = true;
        element.muted = true;
        document.body.append(element);
      };
      reception = { pc, streams: [], turn: Promise.resolve() };
      this.receptions.set(peerId, reception);
    }
    const own = reception;
    const run = own.turn.then(async () => {
      const peer = this.peers.find((p) => p.peer_id === peerId);
      for (const kind of ['audio', 'video'] as const) {
        const wanted = (peer?.producers ?? []).filter((p) => p.kind === kind).length;
        const carried = new Set(own.streams.map((s) => s.mid));
        const free = own.pc
          .getTransceivers()
          .filter((t) => t.receiver.track.kind === kind && !carried.has(t.mid ?? ''));
        const busy = own.streams.filter(
          (s) => s.kind === kind && peer?.producers.some((p) => p.producer_id === s.producer_id),
        ).length;
        for (let i = busy + free.length; i < wanted; i++)
          own.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
      await own.pc.setLocalDescription(await own.pc.createOffer());
      const response = await this.request('downstream-offer', {
        peer_id: peerId,
        sdpOffer: own.pc.localDescription!.sdp,
      });
      await own.pc.setRemoteDescription({ type: 'answer', sdp: response.sdpAnswer as string });
      own.streams = response.streams as SeedStream[];
      return own.streams;
    });
    own.turn = run.catch(() => {});
    return run;
  }

  /** Frames decoded per receive connection's videos, and audio bytes received, by peer. */
  async stats(): Promise<Record<string, { frames: number[]; audioBytes: number }>> {
    const result: Record<string, { frames: number[]; audioBytes: number }> = {};
    for (const [peerId, { pc }] of this.receptions) {
      const entry = { frames: [] as number[], audioBytes: 0 };
      (await pc.getStats()).forEach((report: Payload) => {
        if (report.type !== 'inbound-rtp') return;
        if (report.kind === 'video') entry.frames.push((report.framesDecoded as number) ?? 0);
        else entry.audioBytes += (report.bytesReceived as number) ?? 0;
      });
      result[peerId] = entry;
    }
    return result;
  }

  /** Bytes sent per kind on the send connection. */
  async sent(): Promise<{ audio: number; video: number }> {
    const sent = { audio: 0, video: 0 };
    (await this.send?.getStats())?.forEach((report: Payload) => {
      if (report.type === 'outbound-rtp')
        sent[report.kind as 'audio' | 'video'] += (report.bytesSent as number) ?? 0;
    });
    return sent;
  }
}

(window as unknown as { seedClient: SeedClient }).seedClient = new SeedClient();
