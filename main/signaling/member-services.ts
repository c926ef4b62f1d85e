import { ONLINE, PRIVILEGE, type OnlineStatus } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import { nameParts, type User } from '../storage/hub-store';
import type { RequireMember } from './hub-services';
import { WS_ROUTE, type Handler, type ServiceDeps } from './services';

type MemberService =
  'room.get' | 'yp.bind_socket' | 'hub.get_members_by_type' | 'desk.set_online_status';

/**
 * A signed-in client's calls about its socket and the people around it: the
 * room to join (and where its WebSocket goes), binding the socket to the
 * user, the user's online status, and the hub's members as they are now.
 */
export function memberHandlers(deps: ServiceDeps, requireMember: RequireMember) {
  const requireSocket = (socketId: string) => {
    const session = deps.sessions.get(socketId);
    if (!session) throw new HostError('not_found', `no connected socket ${socketId}`);
    return session;
  };
  // The user came back: their account is kept for another while. Best effort:
  // a full disk must not stop a join.
  const keepAccount = (user: User) => {
    try {
      deps.store.touch(user.id);
    } catch (error) {
      if (!(error instanceof HostError && error.reason === 'unavailable')) throw error;
    }
  };
  const handlers: { [S in MemberService]: Handler<S> } = {
    'room.get': async (request, user, context) => {
      // Visitors too: they need the room to knock at its lobby.
      const privilege = requireMember(request.hub_id, user, PRIVILEGE.visitor);
      requireSocket(request.socket_id);
      const roomId = deps.store.roomIdFor(request.hub_id, request.room_type);
      const room = await deps.rooms.open(roomId, request.hub_id);
      const now = Math.floor(Date.now() / 1000);
      const inRoom = deps.sessions.inRoom(room);
      const isPresenter = (userId: string) =>
        (deps.store.privilegeOf(request.hub_id, userId) ?? 0) >= PRIVILEGE.admin;
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
      if (request.hub_id !== user.id) requireMember(request.hub_id, user, PRIVILEGE.visitor);
      const session = requireSocket(request.socket_id);
      if (session.user && session.user.id !== user.id) {
        throw new HostError('forbidden', 'this socket is bound to another user');
      }
      if (!session.user) {
        session.user = user;
        session.deviceId = request.device_id;
        session.hubIds = new Set(deps.store.hubsOf(user.id));
        deps.presence.socketBound(user.id);
        keepAccount(user);
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
      requireMember(request.hub_id, user);
      // The live status: storage may still be catching up (a write outage).
      const members = deps.presence.withLiveStatus(deps.store.membersOf(request.hub_id));
      if (request.type === 'all') return members;
      return members.filter(
        (member) => (member.online === ONLINE.offline) === (request.type === 'offline'),
      );
    },
    'desk.set_online_status': (request, user) => {
      if (request.hub_id !== user.id) requireMember(request.hub_id, user, PRIVILEGE.visitor);
      const session = requireSocket(request.socket_id);
      if (session.user?.id !== user.id)
        throw new HostError('forbidden', 'bind this socket (yp.bind_socket) first');
      deps.presence.choose(user.id, String(request.status) as OnlineStatus);
      return { hub_id: request.hub_id, user_id: user.id, status: request.status };
    },
  };
  return handlers;
}
