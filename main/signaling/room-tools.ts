import { randomUUID } from 'node:crypto';
import type {
  ChatMessage,
  RaisedHand,
  Reaction,
  RoomToolPayloads,
} from '../../shared/protocol/room-tools';
import { HostError } from '../host/host-error';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';

// What people in a room say and signal besides media: the meeting's chat
// (kept while the room lives, so late joiners and rejoiners see it), the
// queue of raised hands, and reactions. One RoomTools per room.

/** Chat messages a room keeps; older ones drop off. */
export const CHAT_HISTORY = 500;
/** A raised hand goes down by itself once its owner, taking the floor, stays the active speaker this long. */
export const SPEAKING_LOWERS_HAND_MS = 4_000;
/** Per person: at most `count` of a kind of message in `windowMs`. */
export const TOOL_RATES = {
  chat: { count: 5, windowMs: 10_000 },
  hand: { count: 10, windowMs: 10_000 },
  reaction: { count: 10, windowMs: 10_000 },
} as const;

type Broadcast = <N extends keyof RoomToolPayloads>(name: N, payload: RoomToolPayloads[N]) => void;

export class RoomTools {
  private readonly chat: ChatMessage[] = [];
  /** By peer id, in the order the hands went up. */
  private readonly hands = new Map<string, RaisedHand>();
  /** Recent message times per `${kind}:${peerId}`. */
  private readonly recent = new Map<string, number[]>();
  private speaking: { peerId: string; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly room: Room,
    private readonly broadcast: Broadcast,
  ) {
    room.on('active-speaker', (peer) => this.speakerChanged(peer));
    room.on('peer-left', (peer) => {
      this.recent.forEach((_, key) => key.endsWith(`:${peer.id}`) && this.recent.delete(key));
      // A peer replaced by its own reconnect keeps its id, and its hand.
      if (this.room.peers.has(peer.id)) return;
      if (this.hands.delete(peer.id)) this.announceHands({ peer_id: peer.id, why: 'left' });
    });
    room.on('closed', () => clearTimeout(this.speaking?.timer));
  }

  /** What a client that just got access is told: the chat so far and the raised hands. */
  history(): [RoomToolPayloads['downstream-chat-history'], RoomToolPayloads['downstream-hands']] {
    return [
      { room_id: this.room.id, messages: [...this.chat] },
      { room_id: this.room.id, hands: [...this.hands.values()] },
    ];
  }

  say(peer: Peer, text: string): void {
    this.limit('chat', peer);
    const message: ChatMessage = {
      message_id: randomUUID(),
      peer_id: peer.id,
      user_id: peer.userId,
      fullname: peer.fullname,
      text,
      sent_at: Date.now(),
    };
    this.chat.push(message);
    if (this.chat.length > CHAT_HISTORY) this.chat.splice(0, this.chat.length - CHAT_HISTORY);
    this.broadcast('downstream-chat', { room_id: this.room.id, message });
  }

  setHand(peer: Peer, raised: boolean): void {
    this.limit('hand', peer);
    if (raised === this.hands.has(peer.id)) return;
    if (raised)
      this.hands.set(peer.id, {
        peer_id: peer.id,
        user_id: peer.userId,
        fullname: peer.fullname,
        raised_at: Date.now(),
      });
    else this.hands.delete(peer.id);
    this.announceHands();
  }

  react(peer: Peer, emoji: Reaction): void {
    this.limit('reaction', peer);
    this.broadcast('downstream-reaction', {
      room_id: this.room.id,
      reaction_id: randomUUID(),
      peer_id: peer.id,
      emoji,
    });
  }

  private announceHands(lowered?: RoomToolPayloads['downstream-hands']['lowered']): void {
    this.broadcast('downstream-hands', {
      room_id: this.room.id,
      hands: [...this.hands.values()],
      ...(lowered ? { lowered } : {}),
    });
  }

  /**
   * Someone raised their hand, then took the floor (became the active speaker)
   * and kept it for SPEAKING_LOWERS_HAND_MS: they got to speak, their hand goes down.
   */
  private speakerChanged(peer: Peer | undefined): void {
    clearTimeout(this.speaking?.timer);
    this.speaking = undefined;
    if (!peer || !this.hands.has(peer.id)) return;
    const peerId = peer.id;
    const timer = setTimeout(() => {
      if (this.speaking?.peerId !== peerId || !this.hands.delete(peerId)) return;
      this.speaking = undefined;
      this.announceHands({ peer_id: peerId, why: 'spoke' });
    }, SPEAKING_LOWERS_HAND_MS);
    timer.unref();
    this.speaking = { peerId, timer };
  }

  private limit(kind: keyof typeof TOOL_RATES, peer: Peer): void {
    const { count, windowMs } = TOOL_RATES[kind];
    const key = `${kind}:${peer.id}`;
    const now = Date.now();
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < windowMs);
    if (times.length >= count)
      throw new HostError(
        'rate_limited',
        `at most ${count} ${kind} messages in ${windowMs / 1000} s; wait a moment`,
      );
    times.push(now);
    this.recent.set(key, times);
  }
}
