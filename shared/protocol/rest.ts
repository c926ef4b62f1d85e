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

/** Ids from the backend: strings or numbers (the seed uses both), kept as strings. */
const userId = z.union([z.string().min(1).max(128), z.number().int()]).transform(String);
/** Free-form information about a user, echoed back to everyone. */
const userInfo = z.record(z.string(), z.unknown()).optional();

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
