import { z } from 'zod';
import { roomTypeSchema, type RoomType } from './services';
import {
  SOCKET_PREFIX,
  upstreamEnvelope,
  upstreamMessageSchemas,
  type DownstreamName,
  type DownstreamPayloads,
  type MessagePrefix,
  type UpstreamMessage,
  type UpstreamName,
  type WsErrorReason,
} from './messages';

// Reading and writing WebSocket frames: `["<prefix>.<name>", payload]`,
// each client frame validated against its message's schema (messages.ts).

/** `socket.upstream-ping`: keeps the socket known to be alive, bound or not; answered with `socket.downstream-pong`. */
export const pingSchema = z.object({ cid: upstreamEnvelope.cid });

export type ParsedUpstream =
  | { ok: true; ping: true; cid: string }
  | {
      [N in UpstreamName]: {
        ok: true;
        ping?: undefined;
        roomType: RoomType;
        name: N;
        payload: UpstreamMessage<N>;
      };
    }[UpstreamName]
  | {
      ok: false;
      /** The prefix to answer with: the message's room type when it names one, else `socket`. */
      prefix: MessagePrefix;
      cid: string | null;
      reason: WsErrorReason;
      message: string;
    };

/**
 * The schema to read `payload` with: a message that exists in two forms is
 * read in the seed's SDP form when it carries `sdpOffer`, so a mistake is
 * reported against that one form rather than as "matches neither".
 */
function schemaFor(name: UpstreamName, payload: unknown): z.ZodType {
  const schema = upstreamMessageSchemas[name];
  if (!(schema instanceof z.ZodUnion)) return schema;
  const sdpForm = typeof payload === 'object' && payload !== null && 'sdpOffer' in payload;
  const [sdp, mediasoup] = schema.options as readonly [z.ZodType, z.ZodType];
  return sdpForm ? sdp : mediasoup;
}

/** Parses and validates one client frame. Never throws. */
export function parseUpstream(frame: string): ParsedUpstream {
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return {
      ok: false,
      prefix: SOCKET_PREFIX,
      cid: null,
      reason: 'invalid_json',
      message: 'frame is not valid JSON',
    };
  }
  if (!Array.isArray(raw) || raw.length !== 2 || typeof raw[0] !== 'string') {
    return {
      ok: false,
      prefix: SOCKET_PREFIX,
      cid: null,
      reason: 'invalid_message',
      message: 'a message is a JSON array ["<room_type>.<name>", payload]',
    };
  }
  const [fullName, payload] = raw as [string, unknown];
  const cid =
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { cid?: unknown }).cid === 'string'
      ? (payload as { cid: string }).cid
      : null;
  if (fullName === `${SOCKET_PREFIX}.upstream-ping`) {
    const ping = pingSchema.safeParse(payload);
    return ping.success
      ? { ok: true, ping: true, cid: ping.data.cid }
      : {
          ok: false,
          prefix: SOCKET_PREFIX,
          cid,
          reason: 'invalid_message',
          message: 'a ping is {"cid": "<id>"}',
        };
  }
  const dot = fullName.indexOf('.');
  const roomType = roomTypeSchema.safeParse(fullName.slice(0, dot));
  const name = fullName.slice(dot + 1);
  if (dot < 0 || !roomType.success || !Object.hasOwn(upstreamMessageSchemas, name)) {
    return {
      ok: false,
      prefix: dot >= 0 && roomType.success ? roomType.data : SOCKET_PREFIX,
      cid,
      reason: 'unknown_message',
      message: `unknown message "${fullName}"`,
    };
  }
  const result = schemaFor(name as UpstreamName, payload).safeParse(payload);
  if (!result.success) {
    return {
      ok: false,
      prefix: roomType.data,
      cid,
      reason: 'invalid_message',
      message: `${fullName}: ${z.prettifyError(result.error)}`,
    };
  }
  return { ok: true, roomType: roomType.data, name, payload: result.data } as ParsedUpstream;
}

export function encodeMessage<N extends DownstreamName>(
  prefix: MessagePrefix,
  name: N,
  payload: DownstreamPayloads[N],
): string {
  return JSON.stringify([`${prefix}.${name}`, payload]);
}
