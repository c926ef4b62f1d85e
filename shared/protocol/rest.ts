import { z } from 'zod';

// The media-server REST API (seed 002), for software rather than people:
// `Authorization: Bearer <token>` on every call. One schema per request body;
// docs/rest-api.md describes each route.

const sessionDescription = (type: 'offer' | 'answer') =>
  z.object({
    type: z.literal(type),
    sdp: z
      .string()
      .min(10)
      .max(64 * 1024),
  });

export const constraintsSchema = z.object({ audio: z.boolean(), video: z.boolean() });
export type Constraints = z.infer<typeof constraintsSchema>;

/** The longest room or user id: what fits in a URL path segment of the API (Fastify's limit). */
export const MAX_ID_LENGTH = 100;

/** Ids from the backend: strings or numbers (the seed uses both), kept as strings. */
const userId = z.union([z.string().min(1).max(MAX_ID_LENGTH), z.number().int()]).transform(String);
/** How deeply `userInfo` may nest: the object itself is level 1. */
export const USER_INFO_MAX_DEPTH = 8;
/** The most bytes `userInfo` may take as JSON: it is echoed in every reply about its user. */
export const USER_INFO_MAX_BYTES = 8 * 1024;

/** Whether `value` nests deeper than `limit` levels; looks no further than that, so it is cheap on any input. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  return Object.values(value).some((child) => nestsDeeperThan(child, limit - 1));
}

/**
 * Free-form information about a user, echoed back to everyone: a JSON object
 * of bounded depth and size, so echoing it can never fail or grow without end.
 */
const userInfo = z
  .record(z.string(), z.unknown())
  .superRefine((value, context) => {
    if (nestsDeeperThan(value, USER_INFO_MAX_DEPTH)) {
      context.addIssue({
        code: 'custom',
        message: `userInfo nests deeper than ${USER_INFO_MAX_DEPTH} levels`,
      });
    } else if (new TextEncoder().encode(JSON.stringify(value)).length > USER_INFO_MAX_BYTES) {
      context.addIssue({
        code: 'custom',
        message: `userInfo is larger than ${USER_INFO_MAX_BYTES} bytes as JSON`,
      });
    }
  })
  .optional();

export const restRequestSchemas = {
  createRoom: z.object({ userId: userId.optional(), userInfo }).default({}),
  addUser: z.object({ userInfo }).default({}),
  produce: z.object({
    offer: sessionDescription('offer'),
    constraints: constraintsSchema.optional(),
  }),
  consume: z.object({ producerUserId: userId, answer: sessionDescription('answer') }),
} as const;

export type RestRequest<K extends keyof typeof restRequestSchemas> = z.infer<
  (typeof restRequestSchemas)[K]
>;

export interface RestUserSummary {
  userId: string;
  userInfo: Record<string, unknown>;
  /** For a user who broadcasts: an offer to receive them, and what they send. */
  offer?: { type: 'offer'; sdp: string };
  constraints?: Constraints;
}

export interface RestErrorBody {
  error: {
    code:
      | 'unauthorized'
      | 'invalid_request'
      | 'invalid_sdp'
      | 'not_found'
      | 'conflict'
      | 'rate_limited'
      | 'unavailable'
      | 'internal';
    message: string;
  };
}

/** Why an event stream ends with `room-closed`: the room's reason, `empty` when its last user left, or the host stopping. */
export const REST_ROOM_CLOSED_REASONS = [
  'host_ended',
  'room_deleted',
  'replaced',
  'media_restarted',
  'join_timeout',
  'ended',
  'removed',
  'revoked',
  'empty',
  'host_stopped',
] as const;

const eventUser = {
  userId: z.string(),
  userInfo: z.record(z.string(), z.unknown()),
};

/**
 * The payloads of `GET /rooms/:room_id/events` (server-sent events): the SSE
 * `event:` field is the key, `data:` one line of JSON in that shape.
 */
export const restEventSchemas = {
  'user-joined': z.object(eventUser),
  /** An offer per REST user of the room (by its user id) to receive this one: answer with `.../consume`. */
  'user-published': z.object({
    ...eventUser,
    constraints: constraintsSchema,
    offers: z.record(z.string(), sessionDescription('offer')),
  }),
  'user-unpublished': z.object(eventUser),
  'user-left': z.object(eventUser),
  'room-closed': z.object({ reason: z.enum(REST_ROOM_CLOSED_REASONS) }),
} as const;

export type RestEventName = keyof typeof restEventSchemas;
export type RestEventData<K extends RestEventName> = z.infer<(typeof restEventSchemas)[K]>;
