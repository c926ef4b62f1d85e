import { errors as mediasoupErrors } from 'mediasoup';
import type { WsErrorReason } from '../../shared/protocol/messages';
import type { RestErrorBody } from '../../shared/protocol/rest';
import type { ServiceErrorReason } from '../../shared/protocol/services';

/**
 * Why the host refused or could not do something, whichever door asked.
 * Every module throws HostError; each door turns the reason into its own
 * reply with the tables below, so one cause always reads the same way.
 */
export type HostErrorReason =
  | 'invalid_request'
  | 'invalid_sdp'
  /** No such service or message. */
  | 'unknown'
  | 'unauthenticated'
  | 'not_bound'
  | 'forbidden'
  | 'not_found'
  | 'out_of_order'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  /** Something the host depends on (storage, a media worker) fails for now: try again later. */
  | 'unavailable'
  | 'media_error'
  | 'internal';

export class HostError extends Error {
  constructor(
    readonly reason: HostErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Any thrown value as a HostError: mediasoup refusing parameters the client
 * sent (TypeError, UnsupportedError) is the input's fault; anything else is ours.
 */
export function asHostError(error: unknown): HostError {
  if (error instanceof HostError) return error;
  if (error instanceof mediasoupErrors.UnsupportedError || error instanceof TypeError)
    return new HostError('media_error', error.message);
  return new HostError('internal', 'the host could not complete this request');
}

/** Reasons a bug of ours, not the request, caused: worth a log line. */
export function isHostFault(error: HostError): boolean {
  return error.reason === 'internal' || error.reason === 'unavailable';
}

/** The client door's WebSocket reply (`downstream-error.reason`). */
export const WS_REASON: Record<HostErrorReason, WsErrorReason> = {
  invalid_request: 'invalid_message',
  invalid_sdp: 'invalid_message',
  unknown: 'unknown_message',
  unauthenticated: 'not_bound',
  not_bound: 'not_bound',
  forbidden: 'forbidden',
  not_found: 'not_found',
  out_of_order: 'out_of_order',
  conflict: 'out_of_order',
  too_large: 'frame_too_large',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  media_error: 'media_error',
  internal: 'internal',
};

/** The client door's service-call envelope reason and HTTP status. */
export const SERVICE_REPLY: Record<HostErrorReason, [ServiceErrorReason, number]> = {
  invalid_request: ['invalid_request', 400],
  invalid_sdp: ['invalid_request', 400],
  unknown: ['unknown_service', 404],
  unauthenticated: ['unauthenticated', 401],
  not_bound: ['forbidden', 403],
  forbidden: ['forbidden', 403],
  not_found: ['not_found', 404],
  out_of_order: ['invalid_request', 409],
  conflict: ['invalid_request', 409],
  too_large: ['invalid_request', 413],
  rate_limited: ['rate_limited', 429],
  unavailable: ['unavailable', 503],
  media_error: ['invalid_request', 400],
  internal: ['internal', 500],
};

/** The REST door's error code and HTTP status. */
export const REST_REPLY: Record<HostErrorReason, [RestErrorBody['error']['code'], number]> = {
  invalid_request: ['invalid_request', 400],
  invalid_sdp: ['invalid_sdp', 400],
  unknown: ['not_found', 404],
  unauthenticated: ['unauthorized', 401],
  not_bound: ['unauthorized', 401],
  forbidden: ['unauthorized', 403],
  not_found: ['not_found', 404],
  out_of_order: ['conflict', 409],
  conflict: ['conflict', 409],
  too_large: ['invalid_request', 413],
  rate_limited: ['rate_limited', 429],
  unavailable: ['unavailable', 503],
  media_error: ['invalid_sdp', 400],
  internal: ['internal', 500],
};

/**
 * Awaits a mediasoup operation driven by what a client sent (connect, produce,
 * resume, layers, ICE restart): mediasoup refusing it ("connect() already
 * called", an unknown SSRC) is the request's media_error, not a host fault.
 */
export async function clientMediaCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof HostError) throw error;
    throw new HostError('media_error', error instanceof Error ? error.message : String(error));
  }
}
