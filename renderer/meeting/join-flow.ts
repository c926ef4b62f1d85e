import type { types } from 'mediasoup-client';
import { MessageSocket } from '../../shared/client/message-socket';
import type { JoinTarget, MeetingStore } from '../state/store';
import type { RoomFeature } from './connection';
import { credentialAndSocket, enterHub, guestCredential, hostServices } from './hub-access';
import { joinPhase } from './join-phases';
import { DevicePreload, openLink, type Link } from './link';
import { requestAccessThroughLobby } from './lobby-wait';
import type { Publisher } from './publisher';
import * as sessionView from './session-view';
import type { Subscriber } from './subscriber';

export interface JoinTimeouts {
  /** WebSocket requests and the socket's hello. */
  requestTimeoutMs?: number;
  /** Service calls (fetch), which otherwise hang as long as TCP does when the network is gone. */
  fetchTimeoutMs?: number;
}

/** The join attempt was abandoned (left, torn down for the next attempt, or the host closed the room). */
export class JoinAbandonedError extends Error {}

/**
 * One walk's ties to the connection that runs it: whether the walk still
 * counts, and the reconnect machine's share of what it builds (the connection
 * owns the machine and tears down what the walk leaves behind).
 */
export interface JoinAttempt {
  readonly target: JoinTarget;
  readonly fullname: string;
  readonly signal: AbortSignal;
  /** False once the connection tore this attempt down. */
  isCurrent(): boolean;
  /** The socket is the connection's now; returns socket.request, reporting timeouts to the machine. */
  socketOpened(socket: MessageSocket): Link['request'];
  waitingInLobby(): void;
  transportState(transportId: string, state: types.ConnectionState): void;
  /** The link is the connection's now (ICE restarts, teardown). */
  linkOpened(link: Link): void;
}

/**
 * The join flow, step by step: credential → socket → room.get →
 * yp.bind_socket → request-access, through the lobby when the host says so →
 * transports → peer-enter → publish while receiving. The same walk serves the
 * first join and every rejoin, so a rejoin restores the room as it was.
 */
export class JoinFlow {
  constructor(
    private readonly store: MeetingStore,
    private readonly publisher: Publisher,
    private readonly subscriber: Subscriber,
    private readonly features: readonly RoomFeature[],
    private readonly storage: Storage,
    private readonly timeouts: JoinTimeouts,
  ) {}

  private get state() {
    return this.store.getState();
  }

  /** Rejects when any step fails, with JoinAbandonedError once the attempt no longer counts. */
  async walk(attempt: JoinAttempt): Promise<void> {
    const live = <T>(value: T): T => {
      if (!attempt.isCurrent()) throw new JoinAbandonedError('abandoned');
      return value;
    };
    const { target, fullname, signal } = attempt;
    joinPhase('start');
    const fetchTimeoutMs = this.timeouts.fetchTimeoutMs ?? 10_000;
    const services = hostServices(target, signal, fetchTimeoutMs);
    // The socket opens while the credential is fetched: neither needs the other.
    const [known, socket] = await credentialAndSocket(
      guestCredential(target, services, fullname, this.storage),
      MessageSocket.connect(new URL('/-/ws', target.origin.replace(/^http/, 'ws')), 'meeting', {
        requestTimeoutMs: this.timeouts.requestTimeoutMs,
        connectTimeoutMs: fetchTimeoutMs,
      }),
    );
    if (!attempt.isCurrent()) socket.close();
    live(socket);
    joinPhase('signed-in');
    const request = attempt.socketOpened(socket);
    this.subscriber.listen(socket);
    for (const feature of this.features) feature.listen(socket);

    // The Device loads while the socket binds and access is asked for.
    const preload = new DevicePreload();
    const { credential, room, deviceId } = live(
      await enterHub(target, services, socket.socketId, known, this.storage, (room) =>
        preload.start(room.routerRtpCapabilities),
      ),
    );
    socket.identity = { user_id: credential.userId, hub_id: target.hubId, room_id: room.room_id };
    joinPhase('bound');

    const lobby = (state: 'waiting' | 'admitted') => {
      if (!attempt.isCurrent()) return;
      this.state.setSession({ lobby: sessionView.lobbyStatus(state, fullname) });
      if (state === 'waiting') attempt.waitingInLobby();
    };
    // A rejoin within the host's grace period gets the same peer id back: the others keep our tile.
    const granted = live(
      await requestAccessThroughLobby(
        () => request('upstream-request-access', { deviceId }),
        socket,
        { waiting: () => lobby('waiting'), admitted: () => lobby('admitted') },
      ),
    );
    joinPhase('access-granted');
    this.state.setSession({
      self: {
        userId: credential.userId,
        peerId: granted.peer_id,
        roomId: room.room_id,
        displayName: granted.display_name,
        privilege: granted.privilege,
      },
    });
    const onState = (id: string, state: types.ConnectionState) => {
      if (attempt.isCurrent()) attempt.transportState(id, state);
    };
    const link = await openLink(granted, { services, socket, deviceId, request }, onState, preload);
    if (!attempt.isCurrent()) [link.sendTransport, link.recvTransport].map((t) => t.close());
    live(link);
    attempt.linkOpened(link);
    this.publisher.attach(link);
    joinPhase('device-ready');
    // Enter before publishing: entering needs only what this device can
    // receive, so the others' streams are asked for (the peers list came with
    // access) while ours are still on their way up.
    live(
      await request('upstream-peer-enter', {
        outbound_id: link.sendTransport.id,
        rtpCapabilities: link.device.rtpCapabilities,
      }),
    );
    joinPhase('entered');
    this.subscriber.attach(link, granted.peers);
    for (const feature of this.features) feature.attach(link);
    void this.subscriber.refreshMembers();
    live(await this.publisher.publishAll());
    joinPhase('published');
  }
}
