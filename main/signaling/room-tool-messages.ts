import type { RoomToolName } from '../../shared/protocol/room-tools';
import { HostError } from '../host/host-error';
import type { MessageHandler, SessionInRoom } from './room-messages';

// Handlers of chat, hands and reactions (room-tools.ts keeps their state).
// Only people who entered the room take part: the others are not listed yet.

function entered(session: SessionInRoom): void {
  if (!session.peer.entered)
    throw new HostError('out_of_order', 'enter the room (upstream-peer-enter) first');
}

export const roomToolHandlers: { [N in RoomToolName]: MessageHandler<N> } = {
  'upstream-chat': (session, message, roomType, { toolsOf }) => {
    entered(session);
    toolsOf(session.room).say(session.peer, message.text);
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-hand': (session, message, roomType, { toolsOf }) => {
    entered(session);
    toolsOf(session.room).setHand(session.peer, message.raised);
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-reaction': (session, message, roomType, { toolsOf }) => {
    entered(session);
    toolsOf(session.room).react(session.peer, message.emoji);
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
};
