import { z } from 'zod';
import type { RecordingSummary } from './recording';

// Service calls (seed 000): `POST /-/svc/<service>` with a JSON body that
// repeats the name in `service`, and the credential in the `x-param-auth`
// header. Answers use the envelope below. One schema per call; the host
// validates with them and the client builds its requests from the same types.

export const idSchema = z.string().min(1).max(64);

/** A member's presence as the seed spells it: offline, online, in a meeting. */
export const onlineStatusSchema = z.enum(['0', '1', '2']);
export type OnlineStatus = z.infer<typeof onlineStatusSchema>;
export const ONLINE: Record<'offline' | 'online' | 'inMeeting', OnlineStatus> = {
  offline: '0',
  online: '1',
  inMeeting: '2',
};

/**
 * Seed privilege bit flags: 7 member, 31 admin, 63 owner. 0 is a visitor: someone
 * who came without an invite, may only knock at the lobby and is not listed as a member.
 */
export const PRIVILEGE = { visitor: 0, member: 7, admin: 31, owner: 63 } as const;

export const roomTypeSchema = z.enum(['meeting']);
export type RoomType = z.infer<typeof roomTypeSchema>;

export const serviceRequestSchemas = {
  /** Not in the seed: a person on the LAN has no account, so the host issues one for a display name. */
  'yp.create_guest': z.object({
    service: z.literal('yp.create_guest'),
    hub_id: idSchema,
    device_id: idSchema,
    fullname: z.string().trim().min(1).max(64),
    /**
     * The hub's invite secret (from the invite link) makes a member; the owner
     * key makes the hub's owner; without one the account is a visitor, who can
     * only knock at a meeting's lobby.
     */
    invite: z.string().min(1).max(128).optional(),
  }),
  /** Not in the seed: the host's hub, for someone who opened the host's address without an invite link. */
  'hub.about': z.object({ service: z.literal('hub.about') }),
  /** Not in the seed: the invite secret to share now (members and up). */
  'hub.get_invite': z.object({ service: z.literal('hub.get_invite'), hub_id: idSchema }),
  /** Not in the seed: a new invite secret (admins); links with the old one stop working at once. */
  'hub.rotate_invite': z.object({ service: z.literal('hub.rotate_invite'), hub_id: idSchema }),
  /** Not in the seed: forget a member and their credential (admins; never the owner). */
  'hub.revoke_member': z.object({
    service: z.literal('hub.revoke_member'),
    hub_id: idSchema,
    user_id: idSchema,
  }),
  /** Not in the seed: the hub's recordings, newest first, with what became of each (admins). */
  'recording.list': z.object({ service: z.literal('recording.list'), hub_id: idSchema }),
  /**
   * Not in the seed: is this invite good for this hub? Answered without making an
   * account, so a client can say a link is wrong before asking for a camera.
   */
  'hub.check_invite': z.object({
    service: z.literal('hub.check_invite'),
    hub_id: idSchema,
    invite: z.string().min(1).max(128),
  }),
  'room.get': z.object({
    service: z.literal('room.get'),
    socket_id: idSchema,
    hub_id: idSchema,
    device_id: idSchema,
    room_type: roomTypeSchema,
  }),
  'yp.bind_socket': z.object({
    service: z.literal('yp.bind_socket'),
    socket_id: idSchema,
    hub_id: idSchema,
    endpointAddress: z.string().min(1).max(256),
    endpointRoute: z.string().min(1).max(256),
    device_id: idSchema,
  }),
  'hub.get_members_by_type': z.object({
    service: z.literal('hub.get_members_by_type'),
    socket_id: idSchema,
    device_id: idSchema,
    hub_id: idSchema,
    type: z.enum(['all', 'online', 'offline']),
  }),
  'desk.set_online_status': z.object({
    service: z.literal('desk.set_online_status'),
    socket_id: idSchema,
    hub_id: idSchema,
    status: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  }),
} as const;

export type ServiceName = keyof typeof serviceRequestSchemas;
export type ServiceRequest<S extends ServiceName> = z.infer<(typeof serviceRequestSchemas)[S]>;

export interface GuestData {
  user_id: string;
  hub_id: string;
  fullname: string;
  privilege: number;
  /** The credential to send as `x-param-auth`. */
  auth: string;
}

export interface InviteCheckData {
  hub_id: string;
  /** What the invite makes its holder: 7 member (the invite secret), 63 owner (the owner key). */
  privilege: number;
  /**
   * The invite secret to put in links the holder shares: the hub's invite
   * secret whichever invite was checked, never the owner key.
   */
  share_invite: string;
  /** Whether the hub's meeting is being recorded now: people are told before they join. */
  recording: boolean;
}

export interface HubAbout {
  hub_id: string;
  name: string;
  /** Whether the hub's meeting is being recorded now (as in InviteCheckData). */
  recording: boolean;
}

export interface InviteData {
  hub_id: string;
  /** The invite secret to put in the links people share. */
  share_invite: string;
}

export interface RevokeData {
  hub_id: string;
  user_id: string;
}

export interface RoomData {
  id: string;
  room_id: string;
  hub_id: string;
  user_id: string;
  socket_id: string;
  type: RoomType;
  guest_name: string;
  fullname: string;
  role: 'presenter' | 'attendee';
  permission: number;
  ctime: number;
  status: 'started' | 'idle';
  /** Where the room's WebSocket lives (host:port) and its path. */
  endpointAddress: string;
  endpointRoute: string;
  /** The socket of a presenter (owner or admin) in the room, the caller's when it is one; null when none is there. */
  presenter_id: string | null;
  /** The user whose avatar to show: the caller (guests have no picture, clients draw initials). */
  avatar_id: string;
  /** The socket sharing its screen in the room, or null. */
  screen_id: string | null;
  /** Guests on a LAN host have no e-mail address. */
  email: string | null;
  firstname: string;
  lastname: string | null;
  /**
   * The room's router RTP capabilities (not in the seed), as access-granted
   * will carry them: a client loads its mediasoup Device while it binds and
   * asks for access.
   */
  routerRtpCapabilities: unknown;
  /** The seed's media node and push channel: on a LAN host both are the host itself (endpointAddress/Route). */
  use_node: string;
  use_location: string;
  pushNode: string;
  pushLocation: string;
}

export interface BindSocketData {
  user_id: string;
  uid: string;
  username: string;
  ident: string;
  connection: 'ok';
  socket_id: string;
}

export interface HubMember {
  id: string;
  fullname: string;
  firstname: string;
  lastname: string | null;
  surname: string;
  email: string | null;
  privilege: number;
  online: OnlineStatus;
  status: 'active' | null;
  is_drumate: 1;
  contact_id: string | null;
  page: number;
}

export interface OnlineStatusData {
  hub_id: string;
  user_id: string;
  status: 0 | 1 | 2;
}

export interface ServiceResponseData {
  'yp.create_guest': GuestData;
  'hub.check_invite': InviteCheckData;
  'hub.about': HubAbout;
  'hub.get_invite': InviteData;
  'hub.rotate_invite': InviteData;
  'hub.revoke_member': RevokeData;
  'room.get': RoomData;
  'recording.list': RecordingSummary[];
  'yp.bind_socket': BindSocketData;
  'hub.get_members_by_type': HubMember[];
  'desk.set_online_status': OnlineStatusData;
}

/** Machine-readable reasons in an error envelope. */
export const SERVICE_ERROR_REASONS = [
  'invalid_json',
  'invalid_request',
  'unknown_service',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ServiceErrorReason = (typeof SERVICE_ERROR_REASONS)[number];

export interface ServiceErrorData {
  reason: ServiceErrorReason;
  message: string;
}

export type ServiceEnvelope<S extends string, D> =
  | { __ack__: S; __status__: 'ok'; __timestamp__: number; data: D }
  | { __ack__: S; __status__: 'error'; __timestamp__: number; data: ServiceErrorData };

export type ServiceResponse<S extends ServiceName> = ServiceEnvelope<S, ServiceResponseData[S]>;

/** The HTTP header that carries the credential. */
export const AUTH_HEADER = 'x-param-auth';
