import { randomUUID } from 'node:crypto';
import type { Knock } from '../../shared/protocol/moderation';
import type { RoomType } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import type { Room } from '../sfu/room';
import type { ClientSession } from './session';

/** Knocks one room keeps waiting at once: more is a flood, not a queue of people. */
export const MAX_KNOCKS = 32;

/** What the lobby needs of the door: who to tell about knocks, and how to tell a knocker the answer. */
export interface LobbyOutlets {
  /** The waiting list changed: tell the room's admins. */
  knocksChanged(knocks: Knock[]): void;
  /** Someone new knocked (the desktop app's host shows a notification). */
  knocked(knock: Knock): void;
}

export interface Waiting {
  session: ClientSession;
  /** The prefix to answer the knocker with. */
  roomType: RoomType;
  knock: Knock;
}

/**
 * One room's lobby: the people who asked to join a locked meeting (or came
 * without an invite) and wait for an admin's answer, first come first. A
 * knock lives as long as its socket waits: closing it, leaving or knocking
 * again from the same socket takes it away.
 */
export class Lobby {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly room: Room,
    private readonly outlets: LobbyOutlets,
  ) {}

  get knocks(): Knock[] {
    return [...this.waiting.values()].map((entry) => entry.knock);
  }

  get size(): number {
    return this.waiting.size;
  }

  /** `session` asks to be let in; returns its knock. */
  knock(session: ClientSession, roomType: RoomType, displayName: string, invited: boolean): Knock {
    this.cancel(session, false);
    if (this.waiting.size >= MAX_KNOCKS)
      throw new HostError('rate_limited', 'too many people are waiting to join; try again later');
    const knock: Knock = {
      knock_id: randomUUID(),
      user_id: session.user!.id,
      display_name: displayName,
      device: session.device,
      invited,
      since: Date.now(),
    };
    this.waiting.set(knock.knock_id, { session, roomType, knock });
    session.knock = { room: this.room, id: knock.knock_id };
    this.outlets.knocksChanged(this.knocks);
    this.outlets.knocked(knock);
    return knock;
  }

  /** Takes `session`'s knock away (it left, closed, or knocks anew). Returns whether it had one. */
  cancel(session: ClientSession, announce = true): boolean {
    const id = session.knock?.id;
    if (!id || this.waiting.get(id)?.session !== session) return false;
    this.waiting.delete(id);
    session.knock = undefined;
    if (announce) this.outlets.knocksChanged(this.knocks);
    return true;
  }

  /** An admin's answer: the knock leaves the lobby and its session, still connected, is returned. */
  answer(knockId: string): Waiting {
    const entry = this.waiting.get(knockId);
    if (!entry) throw new HostError('not_found', `nobody waits with knock ${knockId}`);
    this.waiting.delete(knockId);
    entry.session.knock = undefined;
    this.outlets.knocksChanged(this.knocks);
    return entry;
  }

  /** Everyone waiting, taken out of the lobby (the meeting ended). */
  drain(): Waiting[] {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const entry of all) entry.session.knock = undefined;
    return all;
  }
}
