import type { MessageSocket } from '../../shared/client/message-socket';
import type { RoomFeature } from '../meeting/connection';
import type { Link } from '../meeting/link';
import type { MeetingStore } from '../state/store';

/**
 * What every room feature client (chat and hands, moderation, recording)
 * does the same way: it follows the newest socket only (pushes from an older
 * one are stale after a reconnect), sends over the link while we are in the
 * room, and forgets the meeting when it is over. Subclasses say what they
 * listen for and what they forget.
 */
export abstract class RoomFeatureClient implements RoomFeature {
  private socket: MessageSocket | undefined;
  private attachedLink: Link | undefined;

  constructor(protected readonly store: MeetingStore) {}

  protected get state() {
    return this.store.getState();
  }

  /** The link we are in the room over, if any. */
  protected get link(): Link | undefined {
    return this.attachedLink;
  }

  listen(socket: MessageSocket): void {
    this.socket = socket;
    this.listenOn(socket, () => this.socket === socket);
  }

  /** Subscribes to the socket's pushes; `current` says whether it is still the newest socket. */
  protected abstract listenOn(socket: MessageSocket, current: () => boolean): void;

  /** Whether a newer socket listens now (after clear(), none does). */
  protected superseded(socket: MessageSocket): boolean {
    return this.socket !== undefined && this.socket !== socket;
  }

  attach(link: Link): void {
    this.attachedLink = link;
  }

  detach(): void {
    this.attachedLink = undefined;
  }

  clear(): void {
    this.socket = undefined;
    this.attachedLink = undefined;
    this.forgetMeeting();
  }

  /** The feature's own part of clear(): its state in the store and what it remembers. */
  protected abstract forgetMeeting(): void;

  protected request(): Link['request'] {
    if (!this.attachedLink) throw new Error('not connected to the meeting right now');
    return this.attachedLink.request;
  }

  /** The link and hub for a service call, or the same error as request() when not in the room. */
  protected services(): { link: Link; hubId: string } {
    const hubId = this.state.session.target?.hubId;
    if (!this.attachedLink || !hubId) throw new Error('not connected to the meeting right now');
    return { link: this.attachedLink, hubId };
  }
}
