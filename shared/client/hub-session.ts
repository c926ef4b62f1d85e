import type { RoomData } from '../protocol/services';
import type { ServiceClient } from './service-client';

export interface BindRequest {
  /** From the socket's `socket.downstream-hello`. */
  socketId: string;
  hubId: string;
  /** The user the client's credential (`services.auth`) belongs to. */
  userId: string;
  deviceId: string;
}

/**
 * The two service calls that let a new socket into a hub's meeting room, in
 * the seed's order: `room.get` (the room and its WebSocket endpoint), then
 * `yp.bind_socket` (the socket is now this user's). Every client (the React
 * app, the test harness, tests in Node) binds its sockets through this.
 */
export async function bindSocketToRoom(
  services: ServiceClient,
  request: BindRequest,
  /** Told the room as soon as room.get answers, before the bind. */
  onRoom?: (room: RoomData) => void,
): Promise<RoomData> {
  const room = await services.call('room.get', {
    socket_id: request.socketId,
    hub_id: request.hubId,
    device_id: request.deviceId,
    room_type: 'meeting',
  });
  onRoom?.(room);
  await services.call('yp.bind_socket', {
    socket_id: request.socketId,
    // As in the seed: the user's own "desk".
    hub_id: request.userId,
    endpointAddress: room.endpointAddress,
    endpointRoute: room.endpointRoute,
    device_id: request.deviceId,
  });
  return room;
}
