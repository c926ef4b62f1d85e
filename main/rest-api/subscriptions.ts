import type { types } from 'mediasoup';
import type { RestRequest } from '../../shared/protocol/rest';
import type { Peer } from '../sfu/peer';
import type { Room } from '../sfu/room';
import { HostError } from '../host/host-error';
import { parseAnswer } from '../sfu/sdp/parse';
import { buildConsumerOffer } from '../sfu/sdp/subscriber-offer';
import type { RestUser } from './rest-users';
import type { Undo } from './undo';

// What a REST user receives from another user: the offer the door makes it
// (a connection of its own per pair, as the seed's SDP offer/answer implies)
// and the answer that connects it.

/**
 * What a REST user receives from one other user: a transport of its own and
 * every consumer ever offered on it, in m-section order. Consumers that closed
 * (their broadcaster stopped) stay as inactive m-sections, so a later offer on
 * the same connection keeps the m-lines the receiver already has.
 */
export interface Subscription {
  transport: types.WebRtcTransport;
  sections: types.Consumer[];
  /** Whether an answer connected the transport (renegotiations do not connect again). */
  connected: boolean;
}

/** How often an offer is rebuilt when the broadcaster's tracks change while it is built. */
const CONSUME_ATTEMPTS = 3;

/**
 * An offer that lets `user` receive `producerPeer`: its subscription's
 * transport with a consumer per track (new tracks added, the offer always
 * covering every m-section so the subscriber can renegotiate). Undefined
 * when there is nothing to receive. What it makes goes into `undo`.
 */
export async function offerTo(
  room: Room,
  user: RestUser,
  producerPeer: Peer,
  undo: Undo,
): Promise<{ type: 'offer'; sdp: string } | undefined> {
  const key = producerPeer.userId;
  let subscription = user.subscriptions.get(key);
  if (subscription?.transport.closed) {
    user.subscriptions.delete(key);
    subscription = undefined;
  }
  if (!subscription) {
    const transport = await room.createTransport(user.peer, 'recv');
    const created: Subscription = { transport, sections: [], connected: false };
    user.subscriptions.set(key, created);
    undo.push(() => {
      transport.close();
      if (user.subscriptions.get(key) === created) user.subscriptions.delete(key);
    });
    subscription = created;
  }
  const own = subscription;
  const added = await consumeTracks(room, user.peer, producerPeer, own.transport, undo);
  own.sections.push(...added);
  undo.push(() => {
    own.sections = own.sections.filter((consumer) => !added.includes(consumer));
  });
  // Its broadcaster left meanwhile, which closes the connections to it.
  if (own.transport.closed) return undefined;
  if (!own.sections.some((consumer) => !consumer.closed)) {
    // Nothing it can receive (the broadcaster stopped meanwhile, or no codec fits).
    if (!own.sections.length) {
      own.transport.close();
      user.subscriptions.delete(key);
    }
    return undefined;
  }
  return {
    type: 'offer',
    sdp: buildConsumerOffer(own.transport, own.sections, `user-${producerPeer.userId}`),
  };
}

/**
 * Consumers of every track of `producerPeer` on `transport`. The client
 * door may close one of those tracks while this runs (mediasoup then
 * refuses to consume it): the consumers are built again for what is left.
 */
async function consumeTracks(
  room: Room,
  consumerPeer: Peer,
  producerPeer: Peer,
  transport: types.WebRtcTransport,
  undo: Undo,
): Promise<types.Consumer[]> {
  const added: types.Consumer[] = [];
  const collect = (consumer: types.Consumer) => added.push(consumer);
  undo.push(() => {
    for (const consumer of added) consumer.close();
  });
  transport.observer.on('newconsumer', collect);
  try {
    for (let attempt = 1; ; attempt++) {
      const producers = [...producerPeer.producers.keys()];
      try {
        await room.consumePeer(consumerPeer, producerPeer, { recv: transport });
        // A failed attempt closed what it had made (all or nothing).
        return added.filter((consumer) => !consumer.closed);
      } catch (error) {
        if (error instanceof HostError) throw error;
        // It left meanwhile: nothing more to receive from it.
        if (room.peers.get(producerPeer.id) !== producerPeer)
          return added.filter((consumer) => !consumer.closed);
        if (producers.every((id) => producerPeer.producers.has(id))) throw error;
        if (attempt === CONSUME_ATTEMPTS) {
          throw new HostError(
            'conflict',
            `user ${producerPeer.userId} kept changing what it broadcasts; try again`,
          );
        }
      }
    }
  } finally {
    transport.observer.off('newconsumer', collect);
  }
}

/**
 * `user`'s answer to the latest offer for `body.producerUserId`: the first
 * one connects the subscription's transport, and every live consumer resumes.
 */
export async function acceptAnswer(user: RestUser, body: RestRequest<'consume'>) {
  const userId = user.peer.userId;
  const subscription = user.subscriptions.get(body.producerUserId);
  if (!subscription) {
    throw new HostError(
      'conflict',
      `no offer was made to ${userId} for user ${body.producerUserId}: it must broadcast first`,
    );
  }
  const live = subscription.sections.filter((consumer) => !consumer.closed);
  if (!live.length) {
    throw new HostError(
      'conflict',
      `user ${body.producerUserId} stopped broadcasting; its next broadcast comes with a new offer`,
    );
  }
  const answer = parseAnswer(body.answer.sdp);
  const unanswered = live.find((consumer) => !answer.mids.has(consumer.rtpParameters.mid!));
  if (unanswered) {
    throw new HostError(
      'invalid_sdp',
      `the answer has no a=mid:${unanswered.rtpParameters.mid!}: answer the latest offer for user ${body.producerUserId}`,
    );
  }
  // Not dtlsState: once ICE is up mediasoup may already run DTLS as server, but it
  // still needs connect() for the subscriber's fingerprint.
  if (!subscription.connected) {
    await subscription.transport
      .connect({ dtlsParameters: answer.dtlsParameters })
      .catch((error: unknown) => {
        // The broadcaster left meanwhile and took this transport along (the worker may say so first).
        if (subscription.transport.closed || (error as Error).name === 'NotFoundError')
          throw new HostError('conflict', `user ${body.producerUserId} stopped broadcasting`);
        throw error;
      });
    subscription.connected = true;
  }
  await Promise.all(
    live.map((consumer) =>
      consumer.resume().catch((error: unknown) => {
        // Its broadcaster stopped meanwhile (the client door): nothing left to resume. The
        // worker may say so (NotFoundError) before the close reaches this side.
        if (!consumer.closed && (error as Error).name !== 'NotFoundError') throw error;
      }),
    ),
  );
  return { status: 'connected' as const };
}
