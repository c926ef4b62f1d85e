import type { types } from 'mediasoup';
import type { MediaSource } from '../../shared/protocol/rtc';
import type { SdpStream } from '../../shared/protocol/sdp-form';
import { HostError } from '../host/host-error';
import type { Peer, ProducerAppData } from './peer';
import type { Room } from './room';
import {
  assertLinkIdFree,
  isNewConnection,
  MAX_SEND_LINKS,
  openLink,
  connectLink,
  followIceRestart,
  type SdpLink,
} from './sdp-link';
import { parseOffer, type OfferedTrack } from './sdp/parse';
import { buildAnswer } from './sdp/publisher-answer';

// A publisher's SDP offer → producers → the host's answer, for both doors:
// the seed form's upstream-offer (client door) and POST .../produce (REST
// door). A later offer on the same connection renegotiates it: tracks added
// or removed, mute flags, an ICE restart.

type Producer = types.Producer<ProducerAppData>;

export interface PublishOptions {
  /** Whether the microphone and the camera are sent paused (muted); other sources never are. */
  muted: { audio: boolean; video: boolean };
  /** What a new m-section carries: by a=mid (else defaultSource), or by kind. */
  sources?: Record<string, MediaSource> | ((kind: types.MediaKind) => MediaSource);
}

export interface Publication {
  link: SdpLink;
  answer: string;
  streams: SdpStream[];
}

/** Audio is the microphone; a video is the camera unless the peer already sends one, then a screen. */
function defaultSource(peer: Peer, track: OfferedTrack): MediaSource {
  if (track.kind === 'audio') return 'microphone';
  const hasCamera = [...peer.producers.values()].some((p) => p.appData.source === 'camera');
  return hasCamera ? 'screen' : 'camera';
}

function sourceOf(peer: Peer, track: OfferedTrack, options: PublishOptions): MediaSource {
  const { sources } = options;
  if (typeof sources === 'function') return sources(track.kind);
  return sources?.[track.mid] ?? defaultSource(peer, track);
}

const mutedFor = (source: MediaSource, options: PublishOptions) =>
  source === 'microphone' ? options.muted.audio : source === 'camera' && options.muted.video;

/** Whether a producer still matches what its m-section offers now (same SSRCs or RIDs). */
function sameStream(producer: Producer, track: OfferedTrack): boolean {
  const key = (encodings: types.RtpEncodingParameters[] | undefined) =>
    (encodings ?? []).map((e) => `${e.rid ?? ''}/${e.ssrc ?? ''}`).join(',');
  return (
    producer.kind === track.kind &&
    key(producer.rtpParameters.encodings) === key(track.rtpParameters.encodings)
  );
}

export function streamsOf(link: SdpLink): SdpStream[] {
  return [...link.tracks].map(([mid, track]) => {
    const producer = track as Producer;
    return {
      mid,
      kind: producer.kind,
      source: producer.appData.source,
      producer_id: producer.id,
      paused: producer.paused,
    };
  });
}

/**
 * Takes `sdp`, an offer for `peer`'s send connection `linkId`: opens the
 * connection the first time, renegotiates it after. All or nothing: the offer
 * is read before anything is made, and a failure undoes what this call made
 * (the whole connection when it was new).
 */
export async function publishOffer(
  room: Room,
  peer: Peer,
  linkId: string,
  sdp: string,
  options: PublishOptions,
): Promise<Publication> {
  let link = peer.sdpLinks.get(linkId);
  if (link && link.direction !== 'send')
    throw new HostError('invalid_request', `${linkId} is a receive connection`);
  const offer = parseOffer(sdp, room.router.rtpCapabilities, Boolean(link));
  assertLinkIdFree(room.peers.values(), peer, linkId);
  // The same id from a new RTCPeerConnection (the client reloaded): it replaces the old one.
  if (link && isNewConnection(link, offer)) {
    link.close();
    link = undefined;
  }
  if (!link && offer.tracks.length === 0)
    throw new HostError('invalid_sdp', 'the offer sends no audio or video the host can route');
  const sends = [...peer.sdpLinks.values()].filter((l) => l.direction === 'send');
  if (!link && sends.length >= MAX_SEND_LINKS)
    throw new HostError(
      'conflict',
      `a participant keeps at most ${MAX_SEND_LINKS} send connections`,
    );
  const fresh = !link;
  link ??= await openLink(room, peer, linkId, 'send');
  const made: Producer[] = [];
  try {
    await connectLink(link, offer);
    const offered = new Map(offer.tracks.map((track) => [track.mid, track]));
    // Tracks added first, so a failure leaves the others as they were.
    for (const track of offer.tracks) {
      const existing = link.tracks.get(track.mid) as Producer | undefined;
      if (existing && !existing.closed && sameStream(existing, track)) continue;
      const source = existing?.appData.source ?? sourceOf(peer, track, options);
      // A new stream on the same m-section (the client replaced its sender): mediasoup keys
      // producers by MID, so the old one goes first; the client no longer sends it anyway.
      existing?.close();
      link.tracks.delete(track.mid);
      made.push(await produceTrack(room, peer, link, track, source, mutedFor(source, options)));
    }
    for (const producer of made) link.tracks.set(producer.rtpParameters.mid!, producer);
    for (const [mid, track] of link.tracks) {
      const producer = track as Producer;
      if (!offered.has(mid) || producer.closed) {
        link.tracks.delete(mid);
        producer.close();
      } else if (!made.includes(producer)) {
        const muted = mutedFor(producer.appData.source, options);
        if (muted !== producer.paused) await room.setProducerPaused(peer, producer.id, muted);
      }
    }
    await followIceRestart(link, offer);
  } catch (error) {
    for (const producer of made) producer.close();
    if (fresh) link.close();
    throw error;
  }
  const accepted = new Map(
    [...link.tracks].map(([mid, track]) => [mid, track.rtpParameters] as const),
  );
  return { link, answer: buildAnswer(offer, link.transport, accepted), streams: streamsOf(link) };
}

async function produceTrack(
  room: Room,
  peer: Peer,
  link: SdpLink,
  track: OfferedTrack,
  source: MediaSource,
  paused: boolean,
): Promise<Producer> {
  try {
    return await room.produce(peer, link.transport.id, {
      kind: track.kind,
      rtpParameters: track.rtpParameters,
      source,
      paused,
    });
  } catch (error) {
    if (error instanceof HostError || room.isClosed || link.closed) throw error;
    // The worker refused parameters the offer gave (an SSRC another track uses, say).
    throw new HostError(
      'invalid_sdp',
      `the media server refused the ${track.kind} of a=mid:${track.mid}: ${(error as Error).message}`,
    );
  }
}
