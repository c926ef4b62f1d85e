import { bindSocketToRoom } from '../../shared/client/hub-session';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import { PRIVILEGE, type HubAbout, type RoomData } from '../../shared/protocol/services';
import {
  credentialFor,
  forgetCredential,
  rememberJoin,
  type Credential,
} from '../state/preferences';
import type { JoinTarget } from '../state/store';
import { describeJoinError } from './errors';

/**
 * What the host says about an invite before anyone asks for a camera:
 * `valid` (with the invite secret to share, never the owner key, and whether
 * the meeting is being recorded now, to say before joining), `invalid`
 * (a wrong or cut-off invite, or a meeting that is gone: no use going on),
 * `unreachable` (no answer: try again), or `unchecked` (the host could not say
 * now, busy or too old to know the call: the join itself will tell). `none`:
 * there is no invite to check (the host's address opened without a link),
 * so there is none to share either; that person asks at the lobby.
 */
export type InviteCheck =
  | { state: 'checking' }
  | { state: 'valid'; owner: boolean; shareInvite: string; recording: boolean }
  | { state: 'invalid' | 'unreachable'; message: string }
  | { state: 'unchecked' }
  | { state: 'none' };

export async function checkInvite(
  target: JoinTarget,
  services: ServiceClient,
): Promise<InviteCheck> {
  if (target.invite === null) return { state: 'none' };
  try {
    const answer = await services.call('hub.check_invite', {
      hub_id: target.hubId,
      invite: target.invite,
    });
    return {
      state: 'valid',
      owner: answer.privilege >= PRIVILEGE.owner,
      shareInvite: answer.share_invite,
      // A host older than recording does not say: it records nothing.
      recording: answer.recording === true,
    };
  } catch (error) {
    if (error instanceof ServiceCallError) {
      const fatal = ['forbidden', 'not_found', 'invalid_request'].includes(error.reason);
      return fatal
        ? { state: 'invalid', message: describeJoinError(error, target) }
        : { state: 'unchecked' };
    }
    const unreachable =
      error instanceof TypeError ||
      (error instanceof DOMException && ['TimeoutError', 'AbortError'].includes(error.name));
    return unreachable
      ? { state: 'unreachable', message: describeJoinError(error, target) }
      : { state: 'unchecked' };
  }
}

/**
 * The hub of the host that served this page (hub.about), for someone who
 * opened its address without an invite link. Null when no host served it
 * (the desktop app's own app:// page) or the host did not say.
 */
export async function servingHub(
  page: Pick<Location, 'protocol' | 'origin'>,
  services = new ServiceClient(page.origin, (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(10_000) }),
  ),
): Promise<HubAbout | null> {
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return null;
  try {
    return await services.call('hub.about', {});
  } catch {
    // An older host, or none behind this address: the invite link box is still there.
    return null;
  }
}

/**
 * Service calls to the target's host, given up when `signal` aborts (the
 * attempt was abandoned) or after `timeoutMs`: without a network, fetch
 * would hang as long as TCP does.
 */
export function hostServices(
  target: JoinTarget,
  signal: AbortSignal,
  timeoutMs: number,
): ServiceClient {
  return new ServiceClient(target.origin, (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) }),
  );
}

/** This browser's device id, made once and kept (the host tells a person's devices apart by it). */
export function deviceIdOf(storage: Storage): string {
  let id = storage.getItem('roundtable.device-id');
  if (!id) {
    id = crypto.randomUUID();
    storage.setItem('roundtable.device-id', id);
  }
  return id;
}

/**
 * The credential this browser holds for the target's hub (by name), or a new
 * guest one: a member with the target's invite, a visitor (who can only ask
 * at the lobby) without. A visitor who now has an invite signs up again as a
 * member.
 */
export async function guestCredential(
  target: JoinTarget,
  services: ServiceClient,
  fullname: string,
  storage: Storage,
): Promise<Credential> {
  const known = credentialFor(target, storage);
  const visitorWithInvite = target.invite !== null && known?.privilege === PRIVILEGE.visitor;
  if (known && known.fullname === fullname && !visitorWithInvite) return known;
  const guest = await services.call('yp.create_guest', {
    hub_id: target.hubId,
    ...(target.invite !== null && { invite: target.invite }),
    fullname,
    device_id: deviceIdOf(storage),
  });
  return {
    auth: guest.auth,
    userId: guest.user_id,
    fullname: guest.fullname,
    privilege: guest.privilege,
  };
}

/**
 * The service calls that bind a new socket: room.get and yp.bind_socket for
 * `socketId`, with `known` (from `credential`, got before the socket opened so
 * it is bound quickly). The same credential every time means a rejoin is the
 * same person to the host, which lets it hand back the same peer.
 */
export async function enterHub(
  target: JoinTarget,
  services: ServiceClient,
  socketId: string,
  known: Credential,
  storage: Storage,
  onRoom?: (room: RoomData) => void,
): Promise<{ credential: Credential; room: RoomData; deviceId: string }> {
  const deviceId = deviceIdOf(storage);
  services.auth = known.auth;
  const bind = (userId: string) =>
    bindSocketToRoom(services, { socketId, hubId: target.hubId, userId, deviceId }, onRoom);
  let room;
  try {
    room = await bind(known.userId);
  } catch (error) {
    // A host that lost its data (or a reset) no longer knows the stored credential: get a new one.
    if (!(error instanceof ServiceCallError && error.reason === 'unauthenticated')) throw error;
    forgetCredential(target, storage);
    known = await guestCredential(target, services, known.fullname, storage);
    services.auth = known.auth;
    room = await bind(known.userId);
  }
  rememberJoin(target, known, storage);
  return { credential: known, room, deviceId };
}

/**
 * Waits for a credential and a socket asked for side by side; when either
 * fails, the other's socket is closed and the failure thrown.
 */
export async function credentialAndSocket<S extends { close(): void }>(
  credential: Promise<Credential>,
  socket: Promise<S>,
): Promise<[Credential, S]> {
  const [known, opened] = await Promise.allSettled([credential, socket]);
  if (known.status === 'rejected') {
    if (opened.status === 'fulfilled') opened.value.close();
    throw known.reason;
  }
  if (opened.status === 'rejected') throw opened.reason;
  return [known.value, opened.value];
}
