import { encodeMessage } from '../../shared/protocol/frames';
import type { RoomType } from '../../shared/protocol/services';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import type { Membership } from './membership';
import type { SessionRegistry } from './session';

/** What a closed room tells its clients, by reason. */
export const CLOSED_MESSAGES = {
  host_ended: 'the host ended the meeting',
  room_deleted: 'the meeting was ended',
  replaced: 'you joined this meeting again from another tab or device',
  media_restarted: 'the media server restarted; join again',
  join_timeout: 'the client did not enter the room in time',
  removed: 'an admin removed you from the meeting',
  ended: 'an admin ended the meeting for everyone',
  revoked: 'an admin revoked your membership of this meeting',
} as const;

/**
 * Tells the client door's sockets in `room` what happens there, whichever
 * door caused it: peers lists, leaves, producer changes, the active speaker,
 * and the end of the room.
 */
export function fanOutRoomEvents(room: Room, sessions: SessionRegistry, membership: Membership) {
  const toRoom = (except: Peer | undefined, frame: (roomType: RoomType) => string) => {
    for (const session of sessions.inRoom(room)) {
      if (session.peer !== except && session.roomType) session.sendEncoded(frame(session.roomType));
    }
  };
  room.on('peer-updated', () => {
    const peers = room.peerInfos();
    toRoom(undefined, (type) =>
      encodeMessage(type, 'downstream-peers-list', { room_id: room.id, peers }),
    );
  });
  room.on('peer-left', (peer) => {
    // Nobody was told of a peer that never entered.
    if (!peer.entered) return;
    const payload = { room_id: room.id, peer_id: peer.id, user_id: peer.userId };
    toRoom(peer, (type) => encodeMessage(type, 'downstream-peer-left', payload));
  });
  room.on('producer-state', (peer, producer) => {
    const payload = {
      room_id: room.id,
      peer_id: peer.id,
      producer_id: producer.id,
      source: producer.appData.source,
      paused: producer.paused,
    };
    toRoom(peer, (type) => encodeMessage(type, 'downstream-producer-state', payload));
  });
  room.on('producer-closed', (peer, producerId) => {
    const payload = { room_id: room.id, peer_id: peer.id, producer_id: producerId };
    toRoom(peer, (type) => encodeMessage(type, 'downstream-producer-closed', payload));
  });
  room.on('consumer-closed', (peer, consumerId, producerId) => {
    const owner = sessions.inRoom(room).find((session) => session.peer === peer);
    owner?.send(owner.roomType!, 'downstream-consumer-closed', {
      room_id: room.id,
      consumer_id: consumerId,
      producer_id: producerId,
    });
  });
  room.on('closed', (reason, message) => {
    // A room closes without a reason only when its last peer left: nobody to tell.
    if (!reason) return;
    for (const session of sessions.inRoom(room))
      membership.sendAway(session, reason, message ?? CLOSED_MESSAGES[reason]);
  });
  room.on('active-speaker', (peer) => {
    const payload = { room_id: room.id, peer_id: peer?.id ?? null };
    toRoom(undefined, (type) => encodeMessage(type, 'downstream-active-speaker', payload));
  });
}
