import type { ModerationName } from '../../shared/protocol/moderation';
import { PRIVILEGE } from '../../shared/protocol/services';
import { HostError } from '../host/host-error';
import type { Peer } from '../sfu/peer';
import type { MessageHandler, SessionInRoom } from './room-messages';
import { actorOf } from './room-moderation';

// Handlers of what owners and admins may do in a meeting (room-moderation.ts
// keeps the state). The host decides, never the UI: every handler first
// checks the sender's privilege, and each answers downstream-ack last, so a
// refusal is the single downstream-error.

/** The sender must be an owner or admin who entered the room. */
export function admin(session: SessionInRoom): Peer {
  if (!session.peer.entered)
    throw new HostError('out_of_order', 'enter the room (upstream-peer-enter) first');
  if (session.peer.privilege < PRIVILEGE.admin)
    throw new HostError('forbidden', "only the meeting's owner and admins can do this");
  return session.peer;
}

/** The peer of the room a message names. */
function peerNamed(session: SessionInRoom, peerId: string): Peer {
  const target = session.room.peers.get(peerId);
  if (!target) throw new HostError('not_found', `no peer ${peerId} in this room`);
  return target;
}

/** Nobody but an owner may remove an owner or change an owner's role. */
function assertOutranks(actor: Peer, target: Peer, what: string): void {
  if (target.privilege >= PRIVILEGE.owner && actor.privilege < PRIVILEGE.owner)
    throw new HostError('forbidden', `an admin cannot ${what} the meeting's owner`);
}

export const moderationHandlers: { [N in ModerationName]: MessageHandler<N> } = {
  'upstream-mute-peer': async (session, message, roomType, { moderationOf }) => {
    const actor = admin(session);
    const target = peerNamed(session, message.peer_id);
    await moderationOf(session.room).turnOff(target, message.source, actorOf(actor));
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-mute-all': async (session, message, roomType, { moderationOf }) => {
    const actor = admin(session);
    const moderation = moderationOf(session.room);
    const others = [...session.room.peers.values()].filter((peer) => peer !== actor);
    await Promise.all(
      others.map((peer) => moderation.turnOff(peer, message.source, actorOf(actor))),
    );
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-allow-unmute': (session, message, roomType, { moderationOf }) => {
    const actor = admin(session);
    const target = peerNamed(session, message.peer_id);
    const moderation = moderationOf(session.room);
    moderation.allowUnmute(target);
    moderation.toPeer(target, 'downstream-unmute-allowed', {
      room_id: session.room.id,
      by: actorOf(actor),
    });
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-remove-peer': (session, message, roomType, { moderationOf, membership }) => {
    const actor = admin(session);
    const target = peerNamed(session, message.peer_id);
    if (target === actor)
      throw new HostError('invalid_request', 'to leave the meeting yourself, send upstream-leave');
    assertOutranks(actor, target, 'remove');
    const moderation = moderationOf(session.room);
    moderation.ban(target.userId, moderation.sessionOf(target)?.deviceId);
    const by = actorOf(actor);
    membership.remove(
      session.room,
      target,
      'removed',
      `${by.display_name} removed you from the meeting`,
    );
    moderation.toRoom('downstream-peer-removed', {
      room_id: session.room.id,
      peer_id: target.id,
      display_name: target.displayName,
      by,
    });
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-end-meeting': (session, message, roomType, { membership }) => {
    const actor = admin(session);
    const room = session.room;
    // Acknowledged first; the sender is told in their own words, then everyone else.
    session.send(roomType, 'downstream-ack', { cid: message.cid });
    membership.sendAway(session, 'ended', 'You ended the meeting for everyone');
    room.close('ended', `${actor.displayName} ended the meeting for everyone`);
  },
  'upstream-room-settings': async (session, message, roomType, { moderationOf }) => {
    const actor = admin(session);
    const moderation = moderationOf(session.room);
    const by = actorOf(actor);
    const patch = {
      ...(message.locked !== undefined ? { locked: message.locked } : {}),
      ...(message.ask_to_unmute !== undefined ? { ask_to_unmute: message.ask_to_unmute } : {}),
    };
    if (moderation.change(patch, by)) {
      // Asking to unmute starts with everyone but the admins muted, as in a lecture.
      const muted = [...session.room.peers.values()].filter((peer) => !peer.mayUnmute);
      await Promise.all(muted.map((peer) => moderation.turnOff(peer, 'microphone', by)));
    }
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-lobby-answer': (session, message, roomType, { moderationOf }) => {
    admin(session);
    const moderation = moderationOf(session.room);
    const {
      session: knocker,
      roomType: knockerType,
      knock,
    } = moderation.lobby.answer(message.knock_id);
    const about = { room_id: session.room.id, knock_id: knock.knock_id };
    if (message.admit) {
      moderation.admit(knock.user_id);
      knocker.send(knockerType, 'downstream-lobby-admitted', about);
    } else {
      knocker.send(knockerType, 'downstream-lobby-declined', {
        ...about,
        message: 'Someone in the meeting declined your request to join.',
      });
    }
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
  'upstream-set-role': (session, message, roomType, { moderationOf, store }) => {
    const actor = admin(session);
    const target = peerNamed(session, message.peer_id);
    if (target.privilege >= PRIVILEGE.owner)
      throw new HostError('forbidden', "the owner's role cannot change");
    assertOutranks(actor, target, 'change the role of');
    const privilege = message.role === 'admin' ? PRIVILEGE.admin : PRIVILEGE.member;
    // Stored first: the role lasts beyond this meeting, and a storage failure changes nothing.
    store.setPrivilege(session.room.hubId, target.userId, privilege);
    const moderation = moderationOf(session.room);
    session.room.setPrivilege(target, privilege);
    moderation.applyUnmutePolicy(target);
    moderation.toRoom('downstream-role-changed', {
      room_id: session.room.id,
      peer_id: target.id,
      user_id: target.userId,
      privilege,
      by: actorOf(actor),
    });
    // A new admin answers knocks from now on.
    if (privilege >= PRIVILEGE.admin)
      moderation.toPeer(target, 'downstream-knocks', {
        room_id: session.room.id,
        knocks: moderation.lobby.knocks,
      });
    session.send(roomType, 'downstream-ack', { cid: message.cid });
  },
};
