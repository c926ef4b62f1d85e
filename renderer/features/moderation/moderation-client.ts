import type { MessageSocket } from '../../../shared/client/message-socket';
import type { Actor, ModeratedSource, RoomSettings } from '../../../shared/protocol/moderation';
import { PRIVILEGE } from '../../../shared/protocol/services';
import type { Link } from '../../meeting/link';
import type { MeetingStore } from '../../state/store';
import { RoomFeatureClient } from '../room-feature-client';
import {
  describeKnocks,
  describeMuted,
  describeRemoved,
  describeRoleChange,
  describeSettingsChange,
  describeUnmuteAllowed,
} from './describe';

/** What the client asks of our own media when an admin switches a source off. */
export interface SwitchOff {
  /** The host already paused (microphone) or closed (camera, screen) the producer: follow locally. */
  switchedOffByHost(source: ModeratedSource): void;
}

/** Whether we may unmute: always, unless the meeting asks to and we are neither admin nor allowed. */
export function mayUnmute(settings: RoomSettings, privilege: number, allowed: boolean): boolean {
  return !settings.ask_to_unmute || privilege >= PRIVILEGE.admin || allowed;
}

/**
 * Moderation for the meeting client: what the host pushes (settings, knocks,
 * mutes, removals, role changes) goes into the store with words for people;
 * what an admin does goes to the host over the current link. The host checks
 * every request against the sender's privilege; refusals reject.
 */
export class ModerationClient extends RoomFeatureClient {
  /** The first settings since the meeting began are where it stands, not a change to announce. */
  private knowsSettings = false;

  constructor(
    store: MeetingStore,
    private readonly media: SwitchOff,
  ) {
    super(store);
  }

  private get selfPeerId(): string | null {
    return this.state.session.self?.peerId ?? null;
  }

  private notify(text: string): void {
    this.state.showModerationNotice(text);
  }

  /** mayUnmute in the store, from the settings, our privilege and an admin's leave. */
  private refreshMayUnmute(): void {
    const { settings, unmuteAllowed } = this.state.moderation;
    const privilege = this.state.session.self?.privilege ?? PRIVILEGE.member;
    this.state.setMayUnmute(mayUnmute(settings, privilege, unmuteAllowed));
  }

  protected listenOn(socket: MessageSocket, current: () => boolean): void {
    socket.on('downstream-room-settings', ({ locked, ask_to_unmute, by }) => {
      if (!current()) return;
      const before = this.state.moderation.settings;
      const after = { locked, ask_to_unmute };
      if (this.knowsSettings)
        for (const line of describeSettingsChange(before, after, by, this.selfPeerId))
          this.notify(line);
      this.knowsSettings = true;
      // Switched on again: an earlier leave to unmute no longer counts.
      if (ask_to_unmute && !before.ask_to_unmute) this.state.setUnmuteAllowed(false);
      this.state.setRoomSettings(after);
      this.refreshMayUnmute();
    });
    socket.on('downstream-muted', ({ source, by }) => {
      if (!current()) return;
      const { micOn, camOn, sharing } = this.state.localMedia;
      const wasOn = { microphone: micOn, camera: camOn, screen: sharing }[source];
      this.media.switchedOffByHost(source);
      // The host tells everyone "muted" when all are muted; it is news only to those who were on.
      if (wasOn) this.notify(describeMuted(source, by));
    });
    socket.on('downstream-unmute-allowed', ({ by }) => {
      if (!current()) return;
      this.state.setUnmuteAllowed(true);
      this.refreshMayUnmute();
      this.notify(describeUnmuteAllowed(by));
    });
    socket.on('downstream-peer-removed', ({ display_name, by }) => {
      if (current()) this.notify(describeRemoved(display_name, by, this.selfPeerId));
    });
    socket.on('downstream-role-changed', ({ peer_id, user_id, privilege, by }) => {
      if (!current()) return;
      // The hub's member list shows roles too: the role lasts beyond this meeting.
      this.store.setState((s) => ({
        presence: {
          members: s.presence.members.map((member) =>
            member.id === user_id ? { ...member, privilege } : member,
          ),
        },
      }));
      this.roleChanged(peer_id, privilege, by);
    });
    socket.on('downstream-knocks', ({ knocks }) => {
      if (!current()) return;
      const known = new Set(this.state.moderation.knocks.map((knock) => knock.knock_id));
      const arrived = knocks.filter((knock) => !known.has(knock.knock_id));
      this.state.setKnocks(knocks);
      // The lobby card shows them; this says it aloud and plays the sound.
      if (arrived.length)
        this.state.showModerationNotice(describeKnocks(arrived), { toast: false, sound: 'knock' });
    });
    // The connection ends the meeting on these (and clears us first): the ended screen wants the host's words.
    socket.on('downstream-room-closed', ({ reason, message }) => {
      if (this.superseded(socket)) return;
      if (reason === 'removed' || reason === 'ended' || reason === 'revoked')
        this.state.setMeetingClosed({ reason, message });
    });
  }

  private roleChanged(peerId: string, privilege: number, by: Actor): void {
    const self = this.state.session.self;
    if (self && peerId === self.peerId) {
      this.state.setSession({ self: { ...self, privilege } });
      // No longer an admin: the host stops sending knocks, and we stop showing them.
      if (privilege < PRIVILEGE.admin) this.state.setKnocks([]);
      this.refreshMayUnmute();
      this.notify(describeRoleChange(null, privilege, by, self.peerId));
      return;
    }
    const peer = this.state.room.peers[peerId];
    // The peers-list that follows says so too; the badge changes now.
    if (peer)
      this.store.setState((s) => ({
        room: { ...s.room, peers: { ...s.room.peers, [peerId]: { ...peer, privilege } } },
      }));
    this.notify(describeRoleChange(peer?.displayName ?? 'someone', privilege, by, this.selfPeerId));
  }

  override attach(link: Link): void {
    super.attach(link);
    this.state.setMeetingClosed(null);
    void this.refreshInvite().catch(() => undefined);
  }

  /** The meeting is over for us: its settings, knocks and notices go (why it ended stays). */
  protected forgetMeeting(): void {
    this.knowsSettings = false;
    this.state.clearModeration();
  }

  async mutePeer(peerId: string, source: ModeratedSource): Promise<void> {
    await this.request()('upstream-mute-peer', { peer_id: peerId, source });
  }

  async muteAll(source: 'microphone' | 'camera'): Promise<void> {
    await this.request()('upstream-mute-all', { source });
  }

  async allowUnmute(peerId: string): Promise<void> {
    await this.request()('upstream-allow-unmute', { peer_id: peerId });
  }

  async removePeer(peerId: string): Promise<void> {
    await this.request()('upstream-remove-peer', { peer_id: peerId });
  }

  async endMeeting(): Promise<void> {
    await this.request()('upstream-end-meeting', {});
  }

  async setRoomSettings(change: Partial<RoomSettings>): Promise<void> {
    await this.request()('upstream-room-settings', change);
  }

  async answerKnock(knockId: string, admit: boolean): Promise<void> {
    await this.request()('upstream-lobby-answer', { knock_id: knockId, admit });
  }

  async setRole(peerId: string, role: 'admin' | 'member'): Promise<void> {
    await this.request()('upstream-set-role', { peer_id: peerId, role });
  }

  /** The invite secret to share now (hub.get_invite), into the store. */
  async refreshInvite(): Promise<void> {
    const { link, hubId } = this.services();
    const { share_invite } = await link.services.call('hub.get_invite', { hub_id: hubId });
    if (this.link === link) this.state.setShareInvite(share_invite);
  }

  /** A new invite secret (admins): links with the old one stop working; people in the meeting stay. */
  async rotateInvite(): Promise<string> {
    const { link, hubId } = this.services();
    const { share_invite } = await link.services.call('hub.rotate_invite', { hub_id: hubId });
    this.state.setShareInvite(share_invite);
    return share_invite;
  }
}
