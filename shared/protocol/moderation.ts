import { z } from 'zod';
import { idSchema } from './services';

// Moderation: what an owner or admin may do to a meeting and the people in it
// (mute, remove, end, lock with a lobby, ask to unmute, promote and demote),
// in the protocol's style (`meeting.upstream-remove-peer` → `downstream-*`).
// The host checks every one of these against the sender's hub privilege and
// answers anyone below admin with `downstream-error` reason `forbidden`.
// docs/protocol.md describes each message.

/** What an admin can switch off for someone: the microphone is paused, a camera or screen share stopped. */
export const moderatedSourceSchema = z.enum(['microphone', 'camera', 'screen']);
export type ModeratedSource = z.infer<typeof moderatedSourceSchema>;

export function moderationSchemas<E extends z.ZodRawShape>(envelope: E) {
  return {
    /** Mute someone's microphone, or stop their camera or screen share. */
    'upstream-mute-peer': z.object({
      ...envelope,
      peer_id: idSchema,
      source: moderatedSourceSchema,
    }),
    /** Mute every microphone (or stop every camera) in the room but the sender's own. */
    'upstream-mute-all': z.object({
      ...envelope,
      source: z.enum(['microphone', 'camera']),
    }),
    /** Let one person unmute while the meeting asks people to (ask_to_unmute). */
    'upstream-allow-unmute': z.object({ ...envelope, peer_id: idSchema }),
    /** Remove someone from the meeting; they cannot come back with the same credential until it ends. */
    'upstream-remove-peer': z.object({ ...envelope, peer_id: idSchema }),
    /** End the meeting for everyone in it. */
    'upstream-end-meeting': z.object({ ...envelope }),
    /** Lock the meeting (newcomers wait in the lobby) and/or ask people to ask before they unmute. */
    'upstream-room-settings': z
      .object({
        ...envelope,
        locked: z.boolean().optional(),
        ask_to_unmute: z.boolean().optional(),
      })
      .refine(
        (message: unknown) => {
          const { locked, ask_to_unmute } = message as {
            locked?: boolean;
            ask_to_unmute?: boolean;
          };
          return locked !== undefined || ask_to_unmute !== undefined;
        },
        {
          message: 'give locked, ask_to_unmute or both',
        },
      ),
    /** Admit or decline someone waiting in the lobby. */
    'upstream-lobby-answer': z.object({
      ...envelope,
      knock_id: idSchema,
      admit: z.boolean(),
    }),
    /** Make someone an admin of the hub, or a member again. The owner's role never changes. */
    'upstream-set-role': z.object({
      ...envelope,
      peer_id: idSchema,
      role: z.enum(['admin', 'member']),
    }),
  };
}

export const MODERATION_NAMES = [
  'upstream-mute-peer',
  'upstream-mute-all',
  'upstream-allow-unmute',
  'upstream-remove-peer',
  'upstream-end-meeting',
  'upstream-room-settings',
  'upstream-lobby-answer',
  'upstream-set-role',
] as const;
export type ModerationName = (typeof MODERATION_NAMES)[number];

/** Who did something: their peer in the room and the name everyone sees. */
export interface Actor {
  peer_id: string;
  display_name: string;
}

/** Someone waiting in the lobby to be let in. */
export interface Knock {
  knock_id: string;
  user_id: string;
  /** The name they gave, told apart from people with the same name as in the room. */
  display_name: string;
  /** Their browser and system, e.g. "Chrome on Android", from the connection's User-Agent. */
  device: string;
  /** Whether they came with the hub's invite (a member) or without one (a visitor). */
  invited: boolean;
  /** When they knocked, ms since the epoch. */
  since: number;
}

export interface RoomSettings {
  /** Newcomers wait in the lobby until an admin lets them in. */
  locked: boolean;
  /** Members whose microphone is off must be allowed (upstream-allow-unmute) to turn it on. */
  ask_to_unmute: boolean;
}

export interface ModerationPayloads {
  /** To everyone in the room: the meeting's settings, right after access and on every change (`by` null then). */
  'downstream-room-settings': { room_id: string; by: Actor | null } & RoomSettings;
  /**
   * To the person concerned: their microphone was muted (or camera or share
   * stopped) by an admin, or, with `by` null, by the meeting's ask-to-unmute setting.
   */
  'downstream-muted': { room_id: string; source: ModeratedSource; by: Actor | null };
  /** To the person concerned: they may unmute now. */
  'downstream-unmute-allowed': { room_id: string; by: Actor };
  /** To everyone else in the room when an admin removes someone (the person gets downstream-room-closed `removed`). */
  'downstream-peer-removed': {
    room_id: string;
    peer_id: string;
    display_name: string;
    by: Actor;
  };
  /** To everyone in the room (the person too): someone's hub privilege changed (7 member, 31 admin). */
  'downstream-role-changed': {
    room_id: string;
    peer_id: string;
    user_id: string;
    privilege: number;
    by: Actor;
  };
  /** To the admins in the room: who waits in the lobby, first come first; after access and on every change. */
  'downstream-knocks': { room_id: string; knocks: Knock[] };
  /**
   * The reply to upstream-request-access when the meeting is locked (or the
   * person came without an invite): they wait in the lobby. Keep the socket
   * open; downstream-lobby-admitted or -declined follows.
   */
  'downstream-lobby-waiting': { cid: string; room_id: string; knock_id: string };
  /** The knock was answered yes: send upstream-request-access again to enter. */
  'downstream-lobby-admitted': { room_id: string; knock_id: string };
  /** The knock was answered no, or the meeting ended while waiting. */
  'downstream-lobby-declined': { room_id: string; knock_id: string; message: string };
}
