import type { MessageSocket } from '../../../shared/client/message-socket';
import type { Reaction } from '../../../shared/protocol/room-tools';
import { RoomFeatureClient } from '../room-feature-client';

/** How long a reaction floats over its sender's tile. */
export const REACTION_MS = 4_000;

/**
 * Chat, hands and reactions for the meeting client: what the host pushes
 * goes into the store; what people do goes to the host over the current link.
 */
export class RoomToolsClient extends RoomFeatureClient {
  protected listenOn(socket: MessageSocket, current: () => boolean): void {
    socket.on('downstream-chat-history', ({ messages }) => {
      if (current()) this.state.setChatHistory(messages);
    });
    socket.on('downstream-chat', ({ message }) => {
      if (current()) this.state.addChatMessage(message, this.state.session.self?.peerId ?? null);
    });
    // The first list on a socket comes with access: where the queue stands, not a change.
    let baseline = true;
    socket.on('downstream-hands', ({ hands, lowered }) => {
      if (!current()) return;
      this.state.setHands(hands, { lowered, baseline });
      baseline = false;
    });
    socket.on('downstream-reaction', ({ reaction_id, peer_id, emoji }) => {
      if (!current()) return;
      this.state.addReaction({ id: reaction_id, peerId: peer_id, emoji });
      setTimeout(() => this.state.removeReaction(reaction_id), REACTION_MS);
    });
  }

  /** The meeting is over for us: its chat and hands go. */
  protected forgetMeeting(): void {
    this.state.clearRoomTools();
  }

  async sendChat(text: string): Promise<void> {
    await this.request()('upstream-chat', { text });
  }

  async setHandRaised(raised: boolean): Promise<void> {
    await this.request()('upstream-hand', { raised });
  }

  async react(emoji: Reaction): Promise<void> {
    await this.request()('upstream-reaction', { emoji });
  }
}
