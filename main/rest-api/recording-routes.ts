import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { HostError } from '../host/host-error';
import type { Recordings } from '../recording/recordings';
import type { RoomRegistry } from '../sfu/rooms';

/** Who a recording started from the REST API (or its command line) was started by. */
const HOST_STARTER = { actor: null, userId: 'host', name: 'the host' } as const;

/**
 * Recording over the REST API, for a headless host and its command line
 * (dist/main/record-cli.js): the meeting's room id and status with the hub's
 * recordings, start and stop in a room that is open, and a composed file.
 * Registered inside restApiRoutes' scope: the bearer token and JSON errors apply.
 */
export function recordingRoutes(
  app: FastifyInstance,
  options: { recordings: Recordings; rooms: RoomRegistry; hubId: string; meetingRoomId(): string },
) {
  const { recordings, rooms, hubId } = options;
  const openRoom = (roomId: string) => {
    const room = rooms.get(roomId);
    if (!room || room.isClosed)
      throw new HostError('not_found', `nobody is in room ${roomId}: there is nothing to record`);
    return room;
  };

  app.get('/recordings', async () => {
    const meetingRoomId = options.meetingRoomId();
    return {
      meetingRoomId,
      status: recordings.status(meetingRoomId),
      recordings: await recordings.list(hubId),
    };
  });
  app.post<{ Params: { room_id: string } }>('/rooms/:room_id/recording', async (request, reply) => {
    const status = await recordings.start(openRoom(request.params.room_id), HOST_STARTER);
    return reply.status(201).send(status);
  });
  app.delete<{ Params: { room_id: string } }>('/rooms/:room_id/recording', async (request) => {
    await recordings.stop(request.params.room_id, null);
    return recordings.status(request.params.room_id);
  });
  app.get<{ Params: { id: string } }>('/recordings/:id/file', async (request, reply) => {
    const file = await recordings.composedFile(hubId, request.params.id);
    return reply
      .header('content-type', 'video/mp4')
      .header('content-length', String(file.bytes))
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .send(createReadStream(file.path));
  });
}
