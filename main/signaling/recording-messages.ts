import type { RecordingName } from '../../shared/protocol/recording';
import { PRIVILEGE } from '../../shared/protocol/services';
import type { Recordings } from '../recording/recordings';
import type { Room } from '../sfu/room';
import { admin } from './moderation-messages';
import type { MessageHandler } from './room-messages';
import { actorOf } from './room-moderation';
import type { SessionRegistry } from './session';

// Starting and stopping a recording from the room: owners and admins only
// (recordings.ts does the work). Each handler answers downstream-ack last,
// so a refusal (forbidden, unavailable without ffmpeg, conflict) is the
// single downstream-error.

export const recordingHandlers: { [N in RecordingName]: MessageHandler<N> } = {
  'upstream-recording-start': async (session, message, roomType, { recordings }) => {
    const actor = admin(session);
    await recordings.start(session.room, {
      actor: actorOf(actor),
      userId: actor.userId,
      name: actor.displayName,
    });
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-recording-stop': async (session, message, roomType, { recordings }) => {
    const actor = admin(session);
    await recordings.stop(session.room.id, actorOf(actor));
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
};

/**
 * Tells the rooms what recordings.ts does: everyone in a room whether it is
 * being recorded (and who started or stopped it), its admins how each
 * recording of it is composed.
 */
export function fanOutRecordingEvents(
  recordings: Recordings,
  sessions: SessionRegistry,
  roomById: (roomId: string) => Room | undefined,
): void {
  recordings.on('status', (room, status, by, message) => {
    for (const session of sessions.inRoom(room))
      if (session.roomType)
        session.send(session.roomType, 'downstream-recording', {
          room_id: room.id,
          by,
          message,
          ...status,
        });
  });
  recordings.on('progress', (_hubId, roomId, summary) => {
    const room = roomById(roomId);
    if (!room) return;
    for (const session of sessions.inRoom(room))
      if (session.roomType && (session.peer?.privilege ?? 0) >= PRIVILEGE.admin)
        session.send(session.roomType, 'downstream-recording-progress', {
          room_id: roomId,
          ...summary,
        });
  });
}
