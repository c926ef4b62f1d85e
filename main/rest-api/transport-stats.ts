import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';

// GET /rooms/:room_id/stats: the bytes moving per user, from mediasoup's transport counters.

/** Every peer of `room` (REST users and React clients alike) with what it sends and receives. */
export async function transportStats(room: Room) {
  const transportBytes = async (peer: Peer, direction: 'send' | 'recv') => {
    const transports = [...peer.transports.values()].filter(
      (t) => t.appData.direction === direction,
    );
    const stats = (
      await Promise.all(
        transports.map((t) =>
          t.getStats().catch((error: unknown) => {
            // Closed meanwhile (a React client left): it moves no more bytes.
            if (t.closed) return [];
            throw error;
          }),
        ),
      )
    ).flat();
    const bytes = stats.reduce(
      (sum, s) => sum + (direction === 'send' ? s.bytesReceived : s.bytesSent),
      0,
    );
    return { count: transports.length, bytes };
  };
  const users = await Promise.all(
    [...room.peers.values()].map(async (peer) => {
      const [sent, received] = await Promise.all([
        transportBytes(peer, 'send'),
        transportBytes(peer, 'recv'),
      ]);
      return {
        userId: peer.userId,
        produce: peer.producers.size
          ? { producerCount: peer.producers.size, bytesReceived: sent.bytes }
          : (false as const),
        consume: { consumeTransportCount: received.count, bytesSent: received.bytes },
      };
    }),
  );
  return { users };
}
