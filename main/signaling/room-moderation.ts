import type {
  Actor,
  Knock,
  ModerationPayloads,
  ModeratedSource,
  RoomSettings,
} from '../../shared/protocol/moderation';
import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import { Lobby } from './lobby';
import type { ClientSession, SessionRegistry } from './session';

/**
 * One meeting's moderation state, kept while its room lives (a new meeting
 * starts open): its settings (locked, ask to unmute), who has been let in
 * (people in the meeting stay in after a lock, and come back after a drop
 * without knocking), who was removed (refused until the meeting ends), who
 * may unmute, and the lobby. The messages that change it are in
 * moderation-messages.ts.
 */
export class RoomModeration {
  readonly settings: RoomSettings = { locked: false, ask_to_unmute: false };
  readonly lobby: Lobby;
  /** Users who got in (entered, or were admitted from the lobby). */
  private readonly admitted = new Set<string>();
  /** Users removed by an admin, and the devices they used. */
  private readonly bannedUsers = new Set<string>();
  private readonly bannedDevices = new Set<string>();
  /** Users an admin let unmute while the meeting asks to. */
  private readonly allowedToUnmute = new Set<string>();

  constructor(
    private readonly room: Room,
    private readonly sessions: SessionRegistry,
    onKnock: (knock: Knock) => void = () => undefined,
  ) {
    this.lobby = new Lobby(room, {
      knocksChanged: (knocks) => this.toAdmins('downstream-knocks', { room_id: room.id, knocks }),
      knocked: onKnock,
    });
    room.on('closed', () => {
      for (const { session, roomType, knock } of this.lobby.drain())
        session.send(roomType, 'downstream-lobby-declined', {
          room_id: room.id,
          knock_id: knock.knock_id,
          message: 'the meeting ended while you were waiting; try again',
        });
    });
  }

  /** Refuses someone an admin removed from this meeting (by their account or their device). */
  assertNotBanned(userId: string, deviceId: string | undefined): void {
    if (this.bannedUsers.has(userId) || (deviceId && this.bannedDevices.has(deviceId)))
      throw new HostError(
        'forbidden',
        'you were removed from this meeting; you can join again once it has ended',
      );
  }

  /**
   * Whether someone with `privilege` goes straight in: admins always, people
   * let in before (a rejoin after a drop), and members while the meeting is open.
   */
  entersDirectly(userId: string, privilege: number): boolean {
    if (privilege >= PRIVILEGE.admin || this.admitted.has(userId)) return true;
    return privilege >= PRIVILEGE.member && !this.settings.locked;
  }

  admit(userId: string): void {
    this.admitted.add(userId);
  }

  ban(userId: string, deviceId: string | undefined): void {
    this.bannedUsers.add(userId);
    if (deviceId) this.bannedDevices.add(deviceId);
    this.admitted.delete(userId);
  }

  allowUnmute(peer: Peer): void {
    this.allowedToUnmute.add(peer.userId);
    this.applyUnmutePolicy(peer);
  }

  /** Sets `peer.mayUnmute` from the settings, the peer's privilege and any permission it got. */
  applyUnmutePolicy(peer: Peer): void {
    peer.mayUnmute =
      !this.settings.ask_to_unmute ||
      peer.privilege >= PRIVILEGE.admin ||
      this.allowedToUnmute.has(peer.userId);
  }

  /** Changes the settings and tells everyone. Returns whether ask-to-unmute was just turned on. */
  change(patch: Partial<RoomSettings>, by: Actor | null): boolean {
    const askingNow = patch.ask_to_unmute === true && !this.settings.ask_to_unmute;
    Object.assign(this.settings, patch);
    if (patch.ask_to_unmute === false) this.allowedToUnmute.clear();
    for (const peer of this.room.peers.values()) this.applyUnmutePolicy(peer);
    this.toRoom('downstream-room-settings', { room_id: this.room.id, by, ...this.settings });
    return askingNow;
  }

  /**
   * Turns `source` off for `peer` (a microphone is paused, a camera or
   * screen share closed), says so to the peer, and returns whether anything was on.
   */
  async turnOff(peer: Peer, source: ModeratedSource, by: Actor | null): Promise<boolean> {
    const sources = source === 'screen' ? ['screen', 'screen-audio'] : [source];
    let changed = false;
    for (const producer of [...peer.producers.values()]) {
      if (!sources.includes(producer.appData.source)) continue;
      if (source !== 'microphone') {
        this.room.closeProducer(peer, producer.id);
        changed = true;
      } else if (!producer.paused) {
        await this.room.setProducerPaused(peer, producer.id, true);
        changed = true;
      }
    }
    this.toPeer(peer, 'downstream-muted', { room_id: this.room.id, source, by });
    return changed;
  }

  /** Sends a moderation message to whoever speaks for `peer` now (none for a REST user or a held peer). */
  toPeer<N extends keyof ModerationPayloads>(
    peer: Peer,
    name: N,
    payload: ModerationPayloads[N],
  ): void {
    const session = this.sessionOf(peer);
    if (session?.roomType) session.send(session.roomType, name, payload as never);
  }

  sessionOf(peer: Peer): ClientSession | undefined {
    return this.sessions.inRoom(this.room).find((session) => session.peer === peer);
  }

  /** Sends a message to everyone in the room but `except`. */
  toRoom<N extends keyof ModerationPayloads>(
    name: N,
    payload: ModerationPayloads[N],
    except?: Peer,
  ): void {
    for (const session of this.sessions.inRoom(this.room))
      if (session.roomType && session.peer !== except)
        session.send(session.roomType, name, payload as never);
  }

  /** Sends a message to the room's admins and owners (those who answer knocks). */
  toAdmins<N extends keyof ModerationPayloads>(name: N, payload: ModerationPayloads[N]): void {
    for (const session of this.sessions.inRoom(this.room))
      if (session.roomType && (session.peer?.privilege ?? 0) >= PRIVILEGE.admin)
        session.send(session.roomType, name, payload as never);
  }
}

/** A peer as the others see it when it acts. */
export function actorOf(peer: Peer): Actor {
  return { peer_id: peer.id, display_name: peer.displayName };
}
