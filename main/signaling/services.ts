import { z } from 'zod';
import {
  PRIVILEGE,
  serviceRequestSchemas,
  type ServiceEnvelope,
  type ServiceErrorReason,
  type ServiceName,
  type ServiceRequest,
  type ServiceResponseData,
} from '../../shared/protocol/services';
import { asHostError, HostError, isHostFault, SERVICE_REPLY } from '../host/host-error';
import type { Logger } from '../host/logger';
import type { RoomRegistry } from '../sfu/rooms';
import type { HubStore, User } from '../storage/hub-store';
import type { Presence } from '../presence/presence';
import type { SessionRegistry } from './session';
import type { Recordings } from '../recording/recordings';
import { hubHandlers, type RequireMember } from './hub-services';
import { memberHandlers } from './member-services';
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
 * x-param-auth credential. The open calls are answered here, the others by
 * member-services.ts, hub-services.ts and recording-services.ts.
 */
export class ServiceApi {
  private readonly signUps: SignUpLimiter;
  /** Invite checks are capped like sign-ups, in buckets of their own. */
  private readonly inviteChecks: SignUpLimiter;

  private readonly recording: ReturnType<typeof recordingServices>;
  private readonly handlers: { [S in Exclude<ServiceName, OpenService>]: Handler<S> };

  constructor(private readonly deps: ServiceDeps) {
    const requireMember: RequireMember = (hubId, user, least) =>
      this.requireMember(hubId, user, least);
    this.recording = recordingServices(deps, requireMember);
    this.signUps = new SignUpLimiter(deps.guestSignUps);
    this.inviteChecks = new SignUpLimiter(deps.guestSignUps);
    this.handlers = {
      ...memberHandlers(deps, requireMember),
      ...hubHandlers(deps, requireMember),
      ...this.recording.handlers,
    };
  }

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
}
