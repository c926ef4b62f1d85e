import type { StateCreator } from 'zustand';
import type { ChatMessage, RaisedHand, Reaction } from '../../../shared/protocol/room-tools';

// The store's slice for chat, raised hands and reactions (written by
// room-tools-client.ts, read by the chat panel, the hand queue and the tiles).

export interface FloatingReaction {
  id: string;
  peerId: string;
  emoji: Reaction;
}

export interface RoomToolsSlice {
  chat: {
    /** The meeting's messages, oldest first (the host's history, then what arrives). */
    messages: ChatMessage[];
    /** Messages from others since the panel was last open. */
    unread: number;
    panelOpen: boolean;
  };
  /** Raised hands, first raised first. */
  hands: RaisedHand[];
  /** Reactions on screen now; each leaves after a few seconds. */
  reactions: FloatingReaction[];
  setChatHistory(messages: ChatMessage[]): void;
  /** A new message; counted unread unless the panel is open or it is ours (`selfPeerId`). */
  addChatMessage(message: ChatMessage, selfPeerId: string | null): void;
  setChatPanelOpen(open: boolean): void;
  setHands(hands: RaisedHand[]): void;
  addReaction(reaction: FloatingReaction): void;
  removeReaction(id: string): void;
  clearRoomTools(): void;
}

const EMPTY = {
  chat: { messages: [], unread: 0, panelOpen: false },
  hands: [],
  reactions: [],
};

export const roomToolsSlice: StateCreator<RoomToolsSlice, [], [], RoomToolsSlice> = (set) => ({
  ...EMPTY,
  setChatHistory: (messages) =>
    set((s) => {
      // A rejoin brings the whole history again: keep one copy of each message.
      const known = new Set(messages.map((m) => m.message_id));
      const newer = s.chat.messages.filter((m) => !known.has(m.message_id));
      return { chat: { ...s.chat, messages: [...messages, ...newer] } };
    }),
  addChatMessage: (message, selfPeerId) =>
    set((s) => {
      if (s.chat.messages.some((m) => m.message_id === message.message_id)) return s;
      const unread =
        s.chat.panelOpen || message.peer_id === selfPeerId ? s.chat.unread : s.chat.unread + 1;
      return { chat: { ...s.chat, messages: [...s.chat.messages, message], unread } };
    }),
  setChatPanelOpen: (panelOpen) =>
    set((s) => ({ chat: { ...s.chat, panelOpen, unread: panelOpen ? 0 : s.chat.unread } })),
  setHands: (hands) => set({ hands }),
  addReaction: (reaction) => set((s) => ({ reactions: [...s.reactions, reaction] })),
  removeReaction: (id) => set((s) => ({ reactions: s.reactions.filter((r) => r.id !== id) })),
  clearRoomTools: () => set(EMPTY),
});
