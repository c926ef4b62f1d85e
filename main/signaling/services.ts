import { z } from 'zod';
import {
  ONLINE,
  PRIVILEGE,
  serviceRequestSchemas,
  type OnlineStatus,
  type ServiceEnvelope,
  type ServiceErrorReason,
  type ServiceName,
  type ServiceRequest,
  type ServiceResponseData,
} from '../../shared/protocol/services';
import { asHostError, HostError, isHostFault, SERVICE_REPLY } from '../host/host-error';
import type { Logger } from '../host/logger';
import type { RoomRegistry } from '../sfu/rooms';
import { nameParts, type HubStore, type User } from '../storage/hub-store';
import type { Presence } from '../presence/presence';
import type { SessionRegistry } from './session';
import type { Recordings } from '../recording/recordings';
import { hubHandlers } from './hub-services';
import { recordingServices } from './recording-services';
import { SignUpLimiter, type SignUpLimits } from './sign-up-limiter';

/** The WebSocket path, returned by room.get as endpointRoute. */
export const WS_ROUTE = '/-/ws';

export interface ServiceDeps {
  store: HubStore;
  rooms: RoomRegistry;
  sessions: SessionRegistry;
  presence: Presence;
  log: Logger;
  recordings: Recordings;
  /** Guest sign-up caps; GUEST_SIGN_UP_LIMITS unless the host is configured otherwise. */
  guestSignUps?: SignUpLimits;
  /** An admin revoked a member: take them out of every meeting (the client door). */
  onRevoked?(hubId: string, userId: string, message: string): void;
  /** An admin made a new invite secret (the desktop app shows the new link). */
  onInviteRotated?(hubId: string): void;
}

/** What the HTTP request adds to a call: its credential and the address the client used to reach us. */
export interface CallContext {
  auth: string | undefined;
  /** host:port from the request, returned as endpointAddress so the WebSocket goes where HTTP went. */
  hostHeader: string;
  /** The client's address (the TCP peer; the host sits behind no proxy): sign-ups are capped per address. */
  ip: string;
}

export type Handler<S extends ServiceName> = (
  request: ServiceRequest<S>,
  user: User,
  context: CallContext,
) => ServiceResponseData[S] | Promise<ServiceResponseData[S]>;

function envelope<S extends string, D>(
  service: S,
  outcome: { ok: true; data: D } | { ok: false; reason: ServiceErrorReason; message: string },
): ServiceEnvelope<S, D> {
  const base = { __ack__: service, __timestamp__: Date.now() };
  return outcome.ok
    ? { ...base, __status__: 'ok', data: outcome.data }
    : {
        ...base,
        __status__: 'error',
        data: { reason: outcome.reason, message: outcome.message },
      };
}

export function errorEnvelope(
  service: string,
  reason: ServiceErrorReason,
  message: string,
): ServiceEnvelope<string, never> {
  return envelope(service, { ok: false, reason, message });
}

/** The calls anyone who can reach the host may make: they come with an invite (or nothing), not a credential. */
type OpenService = 'yp.create_guest' | 'hub.check_invite' | 'hub.about';

/**
 * The seed's service calls. Each body is validated with its schema from
 * shared/; every call but yp.create_guest and hub.check_invite needs the
 * x-param-auth credential.
 */
export class ServiceApi {
  private readonly signUps: SignUpLimiter;
  /** Invite checks are capped like sign-ups, in buckets of their own. */
  private readonly inviteChecks: SignUpLimiter;

  private readonly recording: ReturnType<typeof recordingServices>;
  private readonly handlers: { [S in Exclude<ServiceName, OpenService>]: Handler<S> };

  constructor(private readonly deps: ServiceDeps) {
    this.recording = recordingServices(deps, (hubId, user, least) =>
      this.requireMember(hubId, user, least),
    );
    this.signUps = new SignUpLimiter(deps.guestSignUps);
    this.inviteChecks = new SignUpLimiter(deps.guestSignUps);
    this.handlers = {
      ...this.memberHandlers,
      ...hubHandlers(deps, (hubId, user, least) => this.requireMember(hubId, user, least)),
      ...this.recording.handlers,
    };
  }

  private readonly memberHandlers: {
    [
      S in Exclude<
        ServiceName,
        | OpenService
        | keyof ReturnType<typeof hubHandlers>
        | keyof ReturnType<typeof recordingServices>['handlers']
      >
    ]: Handler<S>;
  } = {
    'room.get': async (request, user, context) => {
      // Visitors too: they need the room to knock at its lobby.
      const privilege = this.requireMember(request.hub_id, user, PRIVILEGE.visitor);
      this.requireSocket(request.socket_id);
      const roomId = this.deps.store.roomIdFor(request.hub_id, request.room_type);
      const room = await this.deps.rooms.open(roomId, request.hub_id);
      const now = Math.floor(Date.now() / 1000);
      const inRoom = this.deps.sessions.inRoom(room);
      const isPresenter = (userId: string) =>
        (this.deps.store.privilegeOf(request.hub_id, userId) ?? 0) >= PRIVILEGE.admin;
      const presenter =
        privilege >= PRIVILEGE.admin
          ? request.socket_id
          : (inRoom.find((session) => session.user && isPresenter(session.user.id))?.id ?? null);
      const sharing = inRoom.find((session) =>
        [...(session.peer?.producers.values() ?? [])].some((p) => p.appData.source === 'screen'),
      );
      const endpoint = { address: context.hostHeader, route: WS_ROUTE };
      return {
        id: room.id,
        room_id: room.id,
        hub_id: request.hub_id,
        user_id: user.id,
        socket_id: request.socket_id,
        type: request.room_type,
        guest_name: user.fullname,
        fullname: user.fullname,
        role: privilege >= PRIVILEGE.admin ? 'presenter' : 'attendee',
        permission: privilege,
        ctime: now,
        status: room.peers.size > 0 ? 'started' : 'idle',
        routerRtpCapabilities: room.router.rtpCapabilities,
        endpointAddress: endpoint.address,
        endpointRoute: endpoint.route,
        presenter_id: presenter,
        avatar_id: user.id,
        screen_id: sharing?.id ?? null,
        email: null,
        ...nameParts(user.fullname),
        use_node: endpoint.address,
        use_location: endpoint.route,
        pushNode: endpoint.address,
        pushLocation: endpoint.route,
      };
    },
    'yp.bind_socket': (request, user) => {
      if (request.hub_id !== user.id) this.requireMember(request.hub_id, user, PRIVILEGE.visitor);
      const session = this.requireSocket(request.socket_id);
      if (session.user && session.user.id !== user.id) {
        throw new HostError('forbidden', 'this socket is bound to another user');
      }
      if (!session.user) {
        session.user = user;
        session.deviceId = request.device_id;
        session.hubIds = new Set(this.deps.store.hubsOf(user.id));
        this.deps.presence.socketBound(user.id);
        this.keepAccount(user);
      }
      return {
        user_id: user.id,
        uid: user.id,
        username: user.fullname,
        ident: user.fullname,
        connection: 'ok',
        socket_id: session.id,
      };
    },
    'hub.get_members_by_type': (request, user) => {
      this.requireMember(request.hub_id, user);
      // The live status: storage may still be catching up (a write outage).
      const members = this.deps.presence.withLiveStatus(this.deps.store.membersOf(request.hub_id));
      if (request.type === 'all') return members;
      return members.filter(
        (member) => (member.online === ONLINE.offline) === (request.type === 'offline'),
      );
    },
    'desk.set_online_status': (request, user) => {
      if (request.hub_id !== user.id) this.requireMember(request.hub_id, user, PRIVILEGE.visitor);
      const session = this.requireSocket(request.socket_id);
      if (session.user?.id !== user.id)
        throw new HostError('forbidden', 'bind this socket (yp.bind_socket) first');
      this.deps.presence.choose(user.id, String(request.status) as OnlineStatus);
      return { hub_id: request.hub_id, user_id: user.id, status: request.status };
    },
  };

  /** Runs one call and always answers with an envelope; `status` is the HTTP status to send. */
  async call(
    service: string,
    body: unknown,
    context: CallContext,
  ): Promise<{ status: number; body: ServiceEnvelope<string, unknown> }> {
    try {
      const data = await this.dispatch(service, body, context);
      return { status: 200, body: envelope(service, { ok: true, data }) };
    } catch (error) {
      const hostError = asHostError(error);
      if (hostError.reason === 'unavailable')
        this.deps.log.warn({ err: error, service }, 'service call failed: storage unavailable');
      else if (isHostFault(hostError))
        this.deps.log.error({ err: error, service }, 'service call failed');
      const [reason, status] = SERVICE_REPLY[hostError.reason];
      return { status, body: envelope(service, { ok: false, reason, message: hostError.message }) };
    }
  }

  private async dispatch(service: string, body: unknown, context: CallContext): Promise<unknown> {
    if (!Object.hasOwn(serviceRequestSchemas, service)) {
      throw new HostError('unknown', `unknown service "${service}"`);
    }
    const name = service as ServiceName;
    const parsed = serviceRequestSchemas[name].safeParse(body);
    if (!parsed.success) throw new HostError('invalid_request', z.prettifyError(parsed.error));
    if (parsed.data.service !== name)
      throw new HostError('invalid_request', 'body.service must match the URL');
    if (name === 'yp.create_guest') {
      this.signUps.take(context.ip);
      return this.createGuest(parsed.data as ServiceRequest<'yp.create_guest'>);
    }
    if (name === 'hub.check_invite') {
      try {
        this.inviteChecks.take(context.ip);
      } catch {
        throw new HostError(
          'rate_limited',
          'too many invite checks right now; try again in a minute',
        );
      }
      return this.checkInvite(parsed.data as ServiceRequest<'hub.check_invite'>);
    }
    if (name === 'hub.about') {
      const hub = this.deps.store.defaultHub();
      return {
        hub_id: hub.id,
        name: hub.name,
        recording: this.recording.meetingRecorded(hub.id),
      } satisfies ServiceResponseData['hub.about'];
    }
    const user = context.auth ? this.deps.store.authenticate(context.auth) : undefined;
    if (!user)
      throw new HostError('unauthenticated', 'a valid x-param-auth credential is required');
    const handler = this.handlers[name] as Handler<typeof name>;
    return handler(parsed.data as never, user, context);
  }

  private createGuest(
    request: ServiceRequest<'yp.create_guest'>,
  ): ServiceResponseData['yp.create_guest'] {
    const hub = this.deps.store.getHub(request.hub_id);
    if (!hub) throw new HostError('not_found', `no hub ${request.hub_id}`);
    // Without an invite: a visitor, who may knock at the lobby and nothing more.
    const privilege =
      request.invite === undefined
        ? PRIVILEGE.visitor
        : this.deps.store.privilegeForInvite(hub, request.invite);
    if (privilege === undefined)
      throw new HostError('forbidden', 'this invite is not valid for the hub');
    const { user, token } = this.deps.store.createGuest(
      hub.id,
      request.fullname,
      request.device_id,
      privilege,
    );
    return { user_id: user.id, hub_id: hub.id, fullname: user.fullname, privilege, auth: token };
  }

  /**
   * What an invite is good for, without making an account. The invite to
   * share is always the hub's invite secret: an owner who opened the owner
   * link learns the link to give out, never the other way round.
   */
  private checkInvite(
    request: ServiceRequest<'hub.check_invite'>,
  ): ServiceResponseData['hub.check_invite'] {
    const hub = this.deps.store.getHub(request.hub_id);
    if (!hub) throw new HostError('not_found', `no hub ${request.hub_id}`);
    const privilege = this.deps.store.privilegeForInvite(hub, request.invite);
    if (privilege === undefined)
      throw new HostError('forbidden', 'this invite is not valid for the hub');
    return {
      hub_id: hub.id,
      privilege,
      share_invite: hub.inviteSecret,
      recording: this.recording.meetingRecorded(hub.id),
    };
  }

  /** A recording's composed file for the admin whose credential is `auth` (recording-services.ts). */
  recordingFile(auth: string | undefined, recordingId: string) {
    return this.recording.file(auth, recordingId);
  }

  /** The user's privilege in the hub, which must be at least `least` (a member's by default). */
  private requireMember(hubId: string, user: User, least: number = PRIVILEGE.member): number {
    const privilege = this.deps.store.privilegeOf(hubId, user.id);
    if (privilege === undefined || privilege < least)
      throw new HostError(
        'forbidden',
        privilege === undefined
          ? `not a member of hub ${hubId}`
          : least >= PRIVILEGE.admin
            ? "only the hub's owner and admins can do this"
            : 'visitors can only ask to join; come with an invite link to do this',
      );
    return privilege;
  }

  /** The user came back: their account is kept for another while. Best effort: a full disk must not stop a join. */
  private keepAccount(user: User): void {
    try {
      this.deps.store.touch(user.id);
    } catch (error) {
      if (!(error instanceof HostError && error.reason === 'unavailable')) throw error;
    }
  }

  private requireSocket(socketId: string) {
    const session = this.deps.sessions.get(socketId);
    if (!session) throw new HostError('not_found', `no connected socket ${socketId}`);
    return session;
  }
}
