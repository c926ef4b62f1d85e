import type { RestUserSummary } from '../../shared/protocol/rest';
import type { Peer } from '../sfu/peer';
import type { SdpLink } from '../sfu/sdp-link';
import type { Room } from '../sfu/room';
import type { RoomRegistry } from '../sfu/rooms';
import { HostError } from '../host/host-error';
import type { Subscription } from './subscriptions';

// Who the REST door's users are, room by room, and how any peer of a room
// (REST user or React client) is described to them.

export interface RestUser {
  peer: Peer;
  userInfo: Record<string, unknown>;
  /** The connection this user publishes on (POST .../produce). */
  publishing: SdpLink | undefined;
  /** By the producing user's id. */
  subscriptions: Map<string, Subscription>;
}

export class RestUsers {
  /**
   * REST users by room, then user id. Keyed by the Room itself, not its id: a
   * room that closes and opens again under the same id starts with no users.
   */
  private readonly users = new WeakMap<Room, Map<string, RestUser>>();

  constructor(rooms: RoomRegistry) {
    rooms.onRoomCreated((room) => {
      room.on('peer-left', (peer) => {
        const users = this.users.get(room);
        if (users?.get(peer.userId)?.peer === peer) users.delete(peer.userId);
        // Nobody of that user id left to receive from: its connections to REST users go.
        if ([...room.peers.values()].some((other) => other.userId === peer.userId)) return;
        for (const user of users?.values() ?? []) {
          user.subscriptions.get(peer.userId)?.transport.close();
          user.subscriptions.delete(peer.userId);
        }
      });
      room.on('closed', () => this.users.delete(room));
    });
  }

  add(room: Room, user: RestUser): void {
    let users = this.users.get(room);
    if (!users) this.users.set(room, (users = new Map()));
    users.set(user.peer.userId, user);
  }

  get(room: Room, userId: string): RestUser {
    const user = this.users.get(room)?.get(userId);
    if (!user) throw new HostError('not_found', `no user ${userId} in room ${room.id}`);
    return user;
  }

  /** Every REST user of `room`. */
  all(room: Room): RestUser[] {
    return [...(this.users.get(room)?.values() ?? [])];
  }

  /** Whether `peer` came through the REST door. */
  isRest(room: Room, peer: Peer): boolean {
    return this.users.get(room)?.get(peer.userId)?.peer === peer;
  }

  /** The REST users of `room` but `self`. */
  othersThan(room: Room, self: RestUser): RestUser[] {
    return [...(this.users.get(room)?.values() ?? [])].filter((user) => user !== self);
  }

  /** How `peer` is shown to REST users: its userInfo (a React client's name) and what it sends. */
  summary(room: Room, peer: Peer): RestUserSummary {
    const rest = this.users.get(room)?.get(peer.userId);
    const summary: RestUserSummary = {
      userId: peer.userId,
      userInfo: rest?.userInfo ?? { fullname: peer.fullname },
    };
    if (peer.producers.size) {
      const kinds = [...peer.producers.values()]
        .filter((producer) => !producer.paused)
        .map((producer) => producer.kind);
      summary.constraints = { audio: kinds.includes('audio'), video: kinds.includes('video') };
    }
    return summary;
  }
}
