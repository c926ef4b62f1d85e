import { RequestTimeoutError, type MessageSocket } from '../../shared/client/message-socket';
import type { RoomClosedReason } from '../../shared/protocol/messages';
import type { JoinTarget, MeetingStore } from '../state/store';
import { describeJoinError, isFatalRejoinError } from './errors';
import { JoinAbandonedError, JoinFlow, type JoinTimeouts } from './join-flow';
import { restartIce, type Link } from './link';
import { LobbyDeclinedError } from './lobby-wait';
import * as sessionView from './session-view';
import type { Publisher } from './publisher';
import {
  Reconnector,
  systemClock,
  type Clock,
  type ReconnectOptions,
  type ReconnectView,
} from './reconnector';
import type { Subscriber } from './subscriber';

export interface ConnectionOptions extends JoinTimeouts {
  clock?: Clock;
  reconnect?: Partial<ReconnectOptions>;
}

/**
 * A part of the meeting client that lives on the connection besides media
 * (chat and hands, moderation): it listens on each new socket, may send over
 * the link once we are in the room, and forgets the meeting when it is over.
 */
export interface RoomFeature {
  listen(socket: MessageSocket): void;
  attach(link: Link): void;
  detach(): void;
  clear(): void;
}

/**
 * The connection to the host: joins, rejoins and leaves, each join a walk of
 * the join flow (join-flow.ts) on a fresh link, and owns the reconnect
 * machine, which it feeds with what happens (socket closed, room closed, ICE
 * state, request timeouts) and whose decisions it carries out: restart ICE,
 * tear down, walk the flow again. The machine's state is mirrored into the
 * store (session-view.ts) for the banner and screens.
 */
export class Connection {
  readonly machine: Reconnector;
  private link: Link | undefined;
  private socket: MessageSocket | undefined;
  /** Bumped by every teardown: an attempt that sees another value was abandoned. */
  private generation = 0;
  private abort = new AbortController();
  private target: JoinTarget | undefined;
  private fullname = '';
  private leaving = false;
  /** Bumped by every join(): a join that sees another value was superseded. */
  private joinRun = 0;
  /** What the host said when it closed the room during the first join. */
  private closedDuringJoin: string | undefined;
  /** Why the last rejoin attempt failed, for the words on the ended screen. */
  private lastError: unknown;
  private readonly clock: Clock;
  private readonly flow: JoinFlow;

  constructor(
    private readonly store: MeetingStore,
    private readonly publisher: Publisher,
    private readonly subscriber: Subscriber,
    private readonly features: readonly RoomFeature[],
    storage: Storage = localStorage,
    options: ConnectionOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.flow = new JoinFlow(store, publisher, subscriber, features, storage, options);
    this.machine = new Reconnector(
      {
        rejoin: () =>
          this.open().catch((error: unknown) => {
            this.lastError = error;
            throw error;
          }),
        resume: (transportId) =>
          this.link ? restartIce(this.link, transportId) : Promise.reject(new Error('no link')),
        teardown: () => this.teardown(),
        isFatal: isFatalRejoinError,
        changed: (view) => this.show(view),
      },
      options.reconnect,
      this.clock,
    );
    // The network is back: no need to sit out the rest of the wait.
    globalThis.addEventListener?.('online', () => {
      if (this.machine.current.state === 'waiting') this.machine.retryNow();
    });
  }

  private get state() {
    return this.store.getState();
  }

  /**
   * The first join, from the pre-join screen (or, `fromEnded`, from the ended
   * screen, and after a decline from the lobby screen, which stay up
   * meanwhile): a failure goes to the pre-join screen with words for it.
   */
  async join(target: JoinTarget, fullname: string, fromEnded = false): Promise<void> {
    const starting = sessionView.joinStarting(this.state.session, target, fullname, fromEnded);
    this.machine.stop();
    const joinRun = ++this.joinRun;
    this.leaving = false;
    this.closedDuringJoin = undefined;
    this.target = target;
    this.fullname = fullname;
    this.state.setSession(starting);
    try {
      await this.open();
    } catch (error) {
      if (this.leaving || joinRun !== this.joinRun) return;
      // Lost while waiting in the lobby: the machine knocks again (or the meeting ended meanwhile).
      const machineState = this.machine.current.state;
      if (machineState !== 'idle' && machineState !== 'lobby') return;
      this.machine.stop();
      this.teardown();
      if (error instanceof LobbyDeclinedError)
        return this.state.setSession(sessionView.lobbyDeclined(fullname, error.hostMessage));
      // The pre-join screen opens its own tracks.
      if (fromEnded) this.publisher.release();
      const closed = error instanceof JoinAbandonedError ? this.closedDuringJoin : undefined;
      return this.state.setSession(
        sessionView.joinFailed(
          closed !== undefined
            ? `The host closed the meeting while you were joining: ${closed}`
            : describeJoinError(error, target),
        ),
      );
    }
    this.state.setSession({ phase: 'in-room', connection: 'connected', ended: null, lobby: null });
    this.machine.connected();
    // Lost in the instant between the last step and here: the machine takes it from now.
    if (this.socket?.closed) this.machine.socketClosed();
  }

  /** "Retry now" while reconnecting; after the meeting ended for us, join again from here. */
  async retry(): Promise<void> {
    if (this.machine.current.state !== 'ended') return this.machine.retryNow();
    // Already on its way back (a second click): the ended screen says "Rejoining…".
    if (!this.target || this.state.session.connection === 'connecting') return;
    this.state.setSession({ connection: 'connecting' });
    try {
      await this.publisher.reopen();
    } catch {
      // The pre-join screen opens the devices and says what is wrong with them.
      this.state.setSession({ phase: 'prejoin', ended: null, error: null });
      return;
    }
    await this.join(this.target, this.fullname, true);
  }

  /** Leaves the room, or the lobby (then back to pre-join, or home once declined). */
  async leave(): Promise<void> {
    this.leaving = true;
    const leaving = this.state.session;
    this.machine.stop();
    const socket = this.socket;
    if (socket?.identity && !socket.closed) {
      // Say goodbye (the admins' list loses our knock) if the host is there; do not keep the person waiting if it is not.
      await Promise.race([
        socket.request('upstream-leave', {}).catch(() => undefined),
        new Promise((resolve) => this.clock.setTimeout(() => resolve(undefined), 2000)),
      ]);
    }
    this.teardown();
    this.publisher.release();
    this.subscriber.clear();
    for (const feature of this.features) feature.clear();
    this.state.setSession(sessionView.afterLeaving(leaving));
  }

  /** One walk of the join flow on a fresh link; rejects when any step fails or the attempt is abandoned. */
  private async open(): Promise<void> {
    this.teardown();
    const generation = this.generation;
    await this.flow.walk({
      target: this.target!,
      fullname: this.fullname,
      signal: this.abort.signal,
      isCurrent: () => generation === this.generation,
      socketOpened: (socket) => {
        this.socket = socket;
        socket.onClose(() => {
          if (this.socket === socket) this.machine.socketClosed();
        });
        socket.on('downstream-room-closed', ({ reason, message }) => {
          if (this.socket === socket) this.roomClosed(reason, message);
        });
        return this.requester(socket);
      },
      waitingInLobby: () => this.machine.waitingInLobby(),
      transportState: (id, state) => this.machine.transportState(id, state),
      linkOpened: (link) => {
        this.link = link;
      },
    });
  }

  /** socket.request, telling the machine when the host stops answering on the current socket. */
  private requester(socket: MessageSocket): Link['request'] {
    return (name, payload) =>
      socket.request(name, payload).catch((error: unknown) => {
        if (error instanceof RequestTimeoutError && this.socket === socket)
          this.machine.requestTimedOut();
        throw error;
      });
  }

  private roomClosed(reason: RoomClosedReason, message: string): void {
    if (this.machine.current.state !== 'idle') return this.machine.roomClosed(reason);
    // During the first join there is nothing to repair yet: the join fails and says why.
    this.closedDuringJoin = message || reason;
    this.teardown();
  }

  /** Closes the link and whatever an attempt in flight built so far; local tracks stay. */
  private teardown(): void {
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    const { link, socket } = this;
    this.link = this.socket = undefined;
    this.publisher.detach();
    this.subscriber.detach();
    for (const feature of this.features) feature.detach();
    link?.sendTransport.close();
    link?.recvTransport.close();
    socket?.close();
  }

  /** The machine's view, as the store shows it. */
  private show(view: ReconnectView): void {
    if (view.state !== 'ended') {
      const patch = sessionView.reconnectSession(view, this.state.session);
      if (patch) this.state.setSession(patch);
      return;
    }
    const { target, lastError } = this;
    this.subscriber.clear();
    for (const feature of this.features) feature.clear();
    const refused = view.reason === 'refused';
    // Turned away at the lobby on the way back: the lobby screen says so, the camera stays for asking again.
    if (refused && lastError instanceof LobbyDeclinedError)
      return this.state.setSession(sessionView.lobbyDeclined(this.fullname, lastError.hostMessage));
    this.publisher.release();
    this.state.setSession(
      sessionView.meetingEnded(
        view.reason,
        refused && target ? describeJoinError(lastError, target) : null,
      ),
    );
  }
}
