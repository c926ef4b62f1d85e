import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import type { User } from '../storage/hub-store';
import type { Handler, ServiceDeps } from './services';

export type RequireMember = (hubId: string, user: User, least?: number) => number;

/**
 * The hub's invite and membership calls: the invite to share now (members),
 * a new invite that retires the old one, and revoking a member (admins).
 */
export function hubHandlers(deps: ServiceDeps, requireMember: RequireMember) {
  const inviteOf = (hubId: string) => {
    const hub = deps.store.getHub(hubId);
    if (!hub) throw new HostError('not_found', `no hub ${hubId}`);
    return { hub_id: hub.id, share_invite: hub.inviteSecret };
  };
  const handlers: {
    'hub.get_invite': Handler<'hub.get_invite'>;
    'hub.rotate_invite': Handler<'hub.rotate_invite'>;
    'hub.revoke_member': Handler<'hub.revoke_member'>;
  } = {
    'hub.get_invite': (request, user) => {
      requireMember(request.hub_id, user);
      return inviteOf(request.hub_id);
    },
    'hub.rotate_invite': (request, user) => {
      requireMember(request.hub_id, user, PRIVILEGE.admin);
      const hub = deps.store.rotateInvite(request.hub_id);
      deps.log.info(
        { hubId: hub.id, by: user.id },
        'invite link replaced: old links no longer work',
      );
      deps.onInviteRotated?.(hub.id);
      return { hub_id: hub.id, share_invite: hub.inviteSecret };
    },
    'hub.revoke_member': (request, user) => {
      const mine = requireMember(request.hub_id, user, PRIVILEGE.admin);
      const theirs = deps.store.privilegeOf(request.hub_id, request.user_id);
      if (theirs === undefined)
        throw new HostError('not_found', `no member ${request.user_id} in hub ${request.hub_id}`);
      if (theirs >= PRIVILEGE.owner && mine < PRIVILEGE.owner)
        throw new HostError('forbidden', "an admin cannot revoke the hub's owner");
      if (request.user_id === user.id)
        throw new HostError('invalid_request', 'you cannot revoke your own membership');
      deps.store.revoke(request.hub_id, request.user_id);
      deps.onRevoked?.(
        request.hub_id,
        request.user_id,
        `${user.fullname} revoked your membership; ask for a new invite to come back`,
      );
      return { hub_id: request.hub_id, user_id: request.user_id };
    },
  };
  return handlers;
}
