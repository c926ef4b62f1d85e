import { z } from 'zod';

// Chat, raised hands and reactions: what people in a room say and signal to
// each other besides media. Messages in the protocol's style
// (`meeting.upstream-chat` → `meeting.downstream-chat`), envelopes as every
// room message (messages.ts); docs/protocol.md describes each one.

/** The longest chat message, in characters (after trimming). */
export const MAX_CHAT_CHARS = 2000;
/** The fixed set of reactions, as the emoji everyone sees float over the sender's tile. */
export const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮'] as const;
export type Reaction = (typeof REACTIONS)[number];

export function roomToolSchemas<E extends z.ZodRawShape>(envelope: E) {
  return {
    /** Say something to everyone in the room. Text only: clients never render it as HTML. */
    'upstream-chat': z.object({
      ...envelope,
      text: z
        .string()
        .trim()
        .min(1, 'a chat message needs some text')
        .max(MAX_CHAT_CHARS, `a chat message has at most ${MAX_CHAT_CHARS} characters`),
    }),
    /** Raise (true) or lower (false) one's hand. */
    'upstream-hand': z.object({ ...envelope, raised: z.boolean() }),
    /** Send one of the fixed reactions. */
    'upstream-reaction': z.object({ ...envelope, emoji: z.enum(REACTIONS) }),
  };
}

export const ROOM_TOOL_NAMES = ['upstream-chat', 'upstream-hand', 'upstream-reaction'] as const;
export type RoomToolName = (typeof ROOM_TOOL_NAMES)[number];

export interface ChatMessage {
  message_id: string;
  peer_id: string;
  user_id: string;
  fullname: string;
  text: string;
  /** When the host received it, ms since the epoch. */
  sent_at: number;
}

export interface RaisedHand {
  peer_id: string;
  user_id: string;
  fullname: string;
  raised_at: number;
}

export interface RoomToolPayloads {
  /** One chat message, to everyone in the room (its sender too). */
  'downstream-chat': { room_id: string; message: ChatMessage };
  /** The meeting's chat so far, oldest first: sent right after access is granted (on every rejoin too). */
  'downstream-chat-history': { room_id: string; messages: ChatMessage[] };
  /**
   * Everyone's raised hands, first raised first: sent after access is granted
   * and whenever a hand goes up or down. `lowered` says why the last change
   * happened when the host lowered a hand itself.
   */
  'downstream-hands': {
    room_id: string;
    hands: RaisedHand[];
    lowered?: { peer_id: string; why: 'spoke' | 'left' };
  };
  'downstream-reaction': { room_id: string; reaction_id: string; peer_id: string; emoji: Reaction };
}
