import type { StateCreator } from 'zustand';
import type {
  ChatMessage,
  RaisedHand,
  Reaction,
  RoomToolPayloads,
} from '../../../shared/protocol/room-tools';

// The store's slice for chat, raised hands and reactions (written by
// room-tools-client.ts, read by the chat panel, the hand queue and the tiles).

export interface FloatingReaction {
  id: string;
  peerId: string;
  emoji: Reaction;
}

/** Why a hand went down: its owner lowered it, or the host did (they spoke, they left). */
export type LoweredWhy =
  'self' | NonNullable<RoomToolPayloads['downstream-hands']['lowered']>['why'];

/** What changed in the hand queue with the host's last push (not on a (re)join's first list). */
export interface HandChange {
  /** Counts changes, so the same change twice is still two. */
  seq: number;
  raised: RaisedHand[];
  lowered: Array<{ hand: RaisedHand; why: LoweredWhy }>;
}

/** Something to tell the person briefly (a refused request, a hand the host lowered). */
export interface ToolNotice {
  seq: number;
  text: string;
}

export interface RoomToolsSlice {
  chat: {
    /** The meeting's messages, oldest first (the host's history, then what arrives). */
    messages: ChatMessage[];
    /** Messages from others since the panel was last open. */
    unread: number;
    panelOpen: boolean;
    /** The last message from someone else that arrived live (not history), with a counter. */
    incoming: { seq: number; message: ChatMessage } | null;
  };
  /** Raised hands, first raised first. */
  hands: RaisedHand[];
  handChange: HandChange | null;
  /** Reactions on screen now; each leaves after a few seconds. */
  reactions: FloatingReaction[];
  toolNotice: ToolNotice | null;
  setChatHistory(messages: ChatMessage[]): void;
  /** A new message; counted unread unless the panel is open or it is ours (`selfPeerId`). */
  addChatMessage(message: ChatMessage, selfPeerId: string | null): void;
  setChatPanelOpen(open: boolean): void;
  /**
   * The host's hand queue. `baseline` is the list a (re)join starts with: it
   * replaces ours without counting as a change anyone made.
   */
  setHands(
    hands: RaisedHand[],
    options?: { lowered?: RoomToolPayloads['downstream-hands']['lowered']; baseline?: boolean },
  ): void;
  addReaction(reaction: FloatingReaction): void;
  removeReaction(id: string): void;
  showToolNotice(text: string): void;
  clearRoomTools(): void;
}

const EMPTY = {
  chat: { messages: [], unread: 0, panelOpen: false, incoming: null },
  hands: [],
  handChange: null,
  reactions: [],
  toolNotice: null,
};

let seq = 0;

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
      const messages = [...s.chat.messages, message];
      if (message.peer_id === selfPeerId) return { chat: { ...s.chat, messages } };
      return {
        chat: {
          ...s.chat,
          messages,
          unread: s.chat.panelOpen ? s.chat.unread : s.chat.unread + 1,
          incoming: { seq: ++seq, message },
        },
      };
    }),
  setChatPanelOpen: (panelOpen) =>
    set((s) => ({ chat: { ...s.chat, panelOpen, unread: panelOpen ? 0 : s.chat.unread } })),
  setHands: (hands, { lowered, baseline = false } = {}) =>
    set((s) => {
      if (baseline) return { hands };
      const before = new Set(s.hands.map((h) => h.peer_id));
      const after = new Set(hands.map((h) => h.peer_id));
      const change: HandChange = {
        seq: ++seq,
        raised: hands.filter((h) => !before.has(h.peer_id)),
        lowered: s.hands
          .filter((h) => !after.has(h.peer_id))
          .map((hand) => ({
            hand,
            why: lowered?.peer_id === hand.peer_id ? lowered.why : 'self',
          })),
      };
      if (change.raised.length === 0 && change.lowered.length === 0) return { hands };
      return { hands, handChange: change };
    }),
  addReaction: (reaction) => set((s) => ({ reactions: [...s.reactions, reaction] })),
  removeReaction: (id) => set((s) => ({ reactions: s.reactions.filter((r) => r.id !== id) })),
  showToolNotice: (text) => set({ toolNotice: { seq: ++seq, text } }),
  clearRoomTools: () => set(EMPTY),
});
