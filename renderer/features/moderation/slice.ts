import type { StateCreator } from 'zustand';
import type { Knock, RoomSettings } from '../../../shared/protocol/moderation';

// The store's slice for moderation (written by moderation-client.ts and the
// publisher): the meeting's settings, who waits in the lobby (admins only get
// knocks), whether we may unmute ourselves while the meeting asks people to
// ask, what to tell people, which confirmation is open, the invite to share,
// and the host's words when it ended the meeting for us.

/**
 * Something to tell: `toast` false only announces it (the lobby card shows
 * knocks itself); `announce` false only toasts it (the recording indicator
 * says recording's starts and stops itself).
 */
export interface ModerationNotice {
  seq: number;
  text: string;
  toast: boolean;
  announce: boolean;
  sound: 'knock' | null;
}

/** What a confirmation dialog asks before a moderation step that cannot be undone. */
export type ConfirmRequest =
  | { kind: 'remove'; peerId: string; name: string }
  | { kind: 'end' }
  /** `showLink`: the dialog shows the new link afterwards (the Invite dialog shows it itself). */
  | { kind: 'rotate-invite'; showLink: boolean };

/** The host ended the meeting for us on purpose, in its words ("Ada removed you from the meeting"). */
export interface MeetingClosed {
  reason: 'removed' | 'ended' | 'revoked';
  message: string;
}

export interface ModerationSlice {
  moderation: {
    settings: RoomSettings;
    knocks: Knock[];
    /** False while the meeting asks to unmute and no admin has let us (the host refuses our unmute then). */
    mayUnmute: boolean;
    /** An admin let us unmute while the meeting asks people to (until the setting is switched on again). */
    unmuteAllowed: boolean;
    /** Our unmute was held back by ask-to-unmute: the room offers raising the hand (a new seq each time). */
    unmutePrompt: number | null;
    notice: ModerationNotice | null;
    confirming: ConfirmRequest | null;
    /** The invite secret to share, as hub.get_invite or hub.rotate_invite last gave it. */
    shareInvite: string | null;
    /** Kept after the meeting is cleared: the ended screen shows it. */
    closed: MeetingClosed | null;
  };
  setRoomSettings(settings: RoomSettings): void;
  setKnocks(knocks: Knock[]): void;
  setMayUnmute(mayUnmute: boolean): void;
  setUnmuteAllowed(allowed: boolean): void;
  /** The host refused our unmute (or we held it back): muted, not allowed, and the prompt shows. */
  unmuteRefused(): void;
  dismissUnmutePrompt(): void;
  showModerationNotice(
    text: string,
    options?: { toast?: boolean; announce?: boolean; sound?: 'knock' },
  ): void;
  setConfirming(request: ConfirmRequest | null): void;
  setShareInvite(invite: string | null): void;
  setMeetingClosed(closed: MeetingClosed | null): void;
  /** The meeting is over for us: everything goes but why it ended. */
  clearModeration(): void;
}

const EMPTY: ModerationSlice['moderation'] = {
  settings: { locked: false, ask_to_unmute: false },
  knocks: [],
  mayUnmute: true,
  unmuteAllowed: false,
  unmutePrompt: null,
  notice: null,
  confirming: null,
  shareInvite: null,
  closed: null,
};

let seq = 0;

export const moderationSlice: StateCreator<ModerationSlice, [], [], ModerationSlice> = (set) => {
  const patch = (change: Partial<ModerationSlice['moderation']>) =>
    set((s) => ({ moderation: { ...s.moderation, ...change } }));
  return {
    moderation: EMPTY,
    setRoomSettings: (settings) => patch({ settings }),
    setKnocks: (knocks) => patch({ knocks }),
    setMayUnmute: (mayUnmute) =>
      patch(mayUnmute ? { mayUnmute, unmutePrompt: null } : { mayUnmute }),
    setUnmuteAllowed: (unmuteAllowed) => patch({ unmuteAllowed }),
    unmuteRefused: () => patch({ mayUnmute: false, unmuteAllowed: false, unmutePrompt: ++seq }),
    dismissUnmutePrompt: () => patch({ unmutePrompt: null }),
    showModerationNotice: (text, options = {}) =>
      patch({
        notice: {
          seq: ++seq,
          text,
          toast: options.toast ?? true,
          announce: options.announce ?? true,
          sound: options.sound ?? null,
        },
      }),
    setConfirming: (confirming) => patch({ confirming }),
    setShareInvite: (shareInvite) => patch({ shareInvite }),
    setMeetingClosed: (closed) => patch({ closed }),
    clearModeration: () => set((s) => ({ moderation: { ...EMPTY, closed: s.moderation.closed } })),
  };
};
