import { ModerationClient } from '../features/moderation/moderation-client';
import { RecordingClient } from '../features/recording/recording-client';
import { RoomToolsClient } from '../features/room-tools/room-tools-client';
import type { JoinTarget, MeetingStore } from '../state/store';
import { Connection, type ConnectionOptions } from './connection';
import { Publisher } from './publisher';
import { Subscriber, type VideoStats } from './subscriber';

/*
 * The meeting client components talk to (through MeetingClientContext). It
 * writes what happens into the store; components call its methods and never
 * touch the socket. Behind it, one job per module:
 *
 *   connection.ts   join, rejoin, leave; the reconnect machine (reconnector.ts)
 *   join-flow.ts    one walk of the join flow, from credential to published
 *   publisher.ts    what we send: microphone, camera, screen; mute; devices
 *   producers.ts    how we send it: one producer per source, and what the host is told
 *   subscriber.ts   what we receive: peers, consumers, layers, stats, members
 *   features/room-tools/room-tools-client.ts   chat, hands, reactions
 *   features/moderation/moderation-client.ts   what owners and admins do, and its effects on us
 *   features/recording/recording-client.ts     whether the meeting is recorded; admins record
 *   link.ts         one connection's socket and transports, shared by the three
 */
export class MeetingClient {
  private readonly publisher: Publisher;
  private readonly subscriber: Subscriber;
  private readonly connection: Connection;
  /** Chat, raised hands and reactions. */
  readonly tools: RoomToolsClient;
  /** Mute, remove, end, lock, lobby, ask to unmute, roles, the invite link. */
  readonly moderation: ModerationClient;
  /** Whether the meeting is being recorded; start, stop, list and download (admins). */
  readonly recording: RecordingClient;

  constructor(
    private readonly store: MeetingStore,
    storage: Storage = localStorage,
    options?: ConnectionOptions,
  ) {
    this.publisher = new Publisher(store);
    this.subscriber = new Subscriber(store);
    this.tools = new RoomToolsClient(store);
    this.moderation = new ModerationClient(store, this.publisher);
    this.recording = new RecordingClient(store);
    this.connection = new Connection(
      store,
      this.publisher,
      this.subscriber,
      [this.tools, this.moderation, this.recording],
      storage,
      options,
    );
  }

  /** Joins the target's meeting as `fullname`, with the local tracks already in the store. */
  join(target: JoinTarget, fullname: string): Promise<void> {
    return this.connection.join(target, fullname);
  }

  leave(): Promise<void> {
    return this.connection.leave();
  }

  /** "Retry now" while reconnecting; "Rejoin here" once the meeting ended for this client. */
  retry(): Promise<void> {
    return this.connection.retry();
  }

  /** Pre-join's camera or microphone opened after the person joined: send it now. */
  deviceOpened(): Promise<void> {
    return this.publisher.deviceOpened();
  }

  setMicOn(on: boolean): Promise<void> {
    return this.publisher.setMicOn(on);
  }

  setCamOn(on: boolean): Promise<void> {
    return this.publisher.setCamOn(on);
  }

  /** The microphone could not be opened: ask for it again (and publish it when it opens). */
  retryMicrophone(): Promise<void> {
    return this.publisher.retryMicrophone();
  }

  switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    return this.publisher.switchDevice(kind, deviceId);
  }

  startScreenShare(): Promise<void> {
    return this.publisher.startScreenShare();
  }

  stopScreenShare(): Promise<void> {
    return this.publisher.stopScreenShare();
  }

  setVideoView(consumerId: string, view: { visible: boolean; width: number }): Promise<void> {
    return this.subscriber.setVideoView(consumerId, view);
  }

  /** Frames decoded per remote video, by producer id (window.roundtable.videoStats for e2e). */
  videoStats(): Promise<VideoStats> {
    return this.subscriber.videoStats();
  }

  /** What our connection carries now, and the people and tracks we know of (window.roundtable.diagnostics). */
  async diagnostics() {
    const { session, room } = this.store.getState();
    return {
      connection: session.connection,
      phase: session.phase,
      ...(await this.subscriber.diagnostics()),
      peers: Object.values(room.peers).map(
        (peer) =>
          `${peer.displayName} (${peer.peerId})${peer.reconnecting ? ' reconnecting' : ''}: ` +
          Object.values(peer.tracks)
            .map(
              (track) =>
                `${track.source} ${track.producerId}${track.paused ? ' paused' : ''}` +
                (track.consumerId ? '' : ' not consumed'),
            )
            .join(', '),
      ),
    };
  }

  /** Bytes received per remote audio, by producer id (window.roundtable.audioStats for e2e). */
  audioStats(): Promise<VideoStats> {
    return this.subscriber.audioStats();
  }

  refreshMembers(): Promise<void> {
    return this.subscriber.refreshMembers();
  }
}
