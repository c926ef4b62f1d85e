import type { StateCreator } from 'zustand';
import type { Knock, RoomSettings } from '../../../shared/protocol/moderation';

// The store's slice for moderation (written by moderation-client.ts): the
// meeting's settings, who waits in the lobby (admins only get knocks), and
// whether we may unmute ourselves while the meeting asks people to ask.

export interface ModerationSlice {
  moderation: {
    settings: RoomSettings;
    knocks: Knock[];
    /** False while the meeting asks to unmute and no admin has let us (the host refuses our unmute then). */
    mayUnmute: boolean;
  };
  setRoomSettings(settings: RoomSettings): void;
  setKnocks(knocks: Knock[]): void;
  setMayUnmute(mayUnmute: boolean): void;
  clearModeration(): void;
}

const EMPTY: ModerationSlice['moderation'] = {
  settings: { locked: false, ask_to_unmute: false },
  knocks: [],
  mayUnmute: true,
};

export const moderationSlice: StateCreator<ModerationSlice, [], [], ModerationSlice> = (set) => ({
  moderation: EMPTY,
  setRoomSettings: (settings) => set((s) => ({ moderation: { ...s.moderation, settings } })),
  setKnocks: (knocks) => set((s) => ({ moderation: { ...s.moderation, knocks } })),
  setMayUnmute: (mayUnmute) => set((s) => ({ moderation: { ...s.moderation, mayUnmute } })),
  clearModeration: () => set({ moderation: EMPTY }),
});
