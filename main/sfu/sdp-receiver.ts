import type { types } from 'mediasoup';
import type { SdpStream } from '../../shared/protocol/sdp-form';
import { HostError } from '../host/host-error';
import type { Peer, ProducerAppData } from './peer';
import type { Room } from './room';
import {
  assertLinkIdFree,
  isNewConnection,
  openLink,
  connectLink,
  followIceRestart,
  type SdpLink,
} from './sdp-link';
import { parseReceiveOffer, type ParsedReceiveOffer } from './sdp/receive-offer';
import { buildReceiverAnswer } from './sdp/receiver-answer';

// A seed-form client's receive offer for one remote peer → consumers mapped
// onto the offer's m-sections → the host's answer (downstream-offer with
// sdpOffer). A later offer for the same peer renegotiates the same
// connection: a track the peer added takes a free m-section of its kind,
// one it removed leaves its m-section inactive.

export interface Reception {
  link: SdpLink;
  answer: string;
  streams: SdpStream[];
}

function streamsOf(link: SdpLink): SdpStream[] {
  return [...link.tracks].map(([mid, consumer]) => ({
    mid,
    kind: consumer.kind,
    source: (consumer.appData as Pick<ProducerAppData, 'source'>).source,
    producer_id: (consumer as types.Consumer).producerId,
    consumer_id: consumer.id,
    paused: (consumer as types.Consumer).producerPaused,
  }));
}

/**
 * Consumers on m-sections the client no longer receives on, or whose producer
 * is gone, leave the map. A producer's end reaches its consumers from the
 * worker a moment later, so `from`'s own list decides, not consumer.closed alone.
 */
function dropStale(link: SdpLink, offer: ParsedReceiveOffer, from: Peer): void {
  const open = new Set(offer.sections.filter((s) => s.open).map((s) => s.mid));
  for (const [mid, track] of link.tracks) {
    const consumer = track as types.Consumer;
    if (consumer.closed || !open.has(mid) || !from.producers.has(consumer.producerId)) {
      link.tracks.delete(mid);
      consumer.close();
    }
  }
}

/**
 * Takes `sdp`, `peer`'s receive offer for `from`'s streams on the connection
 * `linkId` (one per remote peer): opens it the first time, renegotiates it
 * after. All or nothing, as publishOffer.
 */
export async function receiveOffer(
  room: Room,
  peer: Peer,
  from: Peer,
  linkId: string,
  sdp: string,
): Promise<Reception> {
  if (!peer.entered)
    throw new HostError(
      'out_of_order',
      'enter the room (upstream-peer-enter) before asking for streams',
    );
  let link = peer.sdpLinks.get(linkId);
  if (link && link.from !== from.id)
    throw new HostError(
      'invalid_request',
      `connection ${linkId} is not the one receiving ${from.id}`,
    );
  const offer = parseReceiveOffer(sdp, room.router.rtpCapabilities);
  assertLinkIdFree(room.peers.values(), peer, linkId);
  const other = [...peer.sdpLinks.values()].find((l) => l.from === from.id && l !== link);
  if (other)
    throw new HostError(
      'conflict',
      `peer ${from.id} is already received on connection ${other.id}`,
    );
  if (link && isNewConnection(link, offer)) {
    link.close();
    link = undefined;
  }
  const fresh = !link;
  link ??= await openLink(room, peer, linkId, 'recv', from.id);
  const made: types.Consumer[] = [];
  try {
    await connectLink(link, offer);
    dropStale(link, offer, from);
    const carried = new Set([...link.tracks.values()].map((c) => (c as types.Consumer).producerId));
    const free = offer.sections.filter((s) => s.open && !link!.tracks.has(s.mid));
    for (const producer of from.producers.values()) {
      if (carried.has(producer.id)) continue;
      const slot = free.find((section) => section.kind === producer.kind);
      if (!slot) continue;
      const consumer = await room.consume(peer, from, producer, link.transport, {
        rtpCapabilities: offer.rtpCapabilities,
        paused: false,
        mid: slot.mid,
      });
      if (!consumer) continue;
      made.push(consumer);
      free.splice(free.indexOf(slot), 1);
      link.tracks.set(slot.mid, consumer);
    }
    await followIceRestart(link, offer);
  } catch (error) {
    for (const consumer of made) {
      consumer.close();
      link.tracks.delete(consumer.rtpParameters.mid!);
    }
    if (fresh) link.close();
    throw error;
  }
  const consumers = new Map(
    [...link.tracks].map(([mid, consumer]) => [mid, consumer as types.Consumer] as const),
  );
  return {
    link,
    answer: buildReceiverAnswer(offer, link.transport, consumers, from.id),
    streams: streamsOf(link),
  };
}
