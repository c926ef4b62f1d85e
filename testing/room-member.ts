import type { MessageSocket } from '../shared/client/message-socket';
import type { DownstreamName, DownstreamPayloads } from '../shared/protocol/messages';
import type { MediaSource } from '../shared/protocol/rtc';
import { requestAccess, type TestGuest } from './host';
import { waitFor } from './wait';

/** Every downstream message a socket receives, by name, in order. */
export interface Recorder {
  seen<N extends DownstreamName>(name: N): DownstreamPayloads[N][];
  /** The last `name` received, waiting for one that `accept` takes (20 s at most). */
  next<N extends DownstreamName>(
    name: N,
    accept?: (payload: DownstreamPayloads[N]) => boolean,
  ): Promise<DownstreamPayloads[N]>;
}

export function record(socket: MessageSocket, names: readonly DownstreamName[]): Recorder {
  const seen = new Map<string, unknown[]>();
  for (const name of names)
    socket.on(name, (payload) => seen.set(name, [...(seen.get(name) ?? []), payload]));
  const list = <N extends DownstreamName>(name: N) =>
    (seen.get(name) ?? []) as DownstreamPayloads[N][];
  return {
    seen: list,
    next: async (name, accept = () => true) => {
      const found = await waitFor(
        () => list(name).filter(accept).at(-1),
        (payload) => payload !== undefined,
        { what: name },
      );
      return found!;
    },
  };
}

/** A guest in the room: access granted, entered with the router's capabilities. */
export interface RoomMember extends TestGuest, Recorder {
  peerId: string;
  granted: DownstreamPayloads['downstream-access-granted'];
}

/** Gets `guest` into its room (access, then enter), recording `names` from the start. */
export async function enter(
  guest: TestGuest,
  names: readonly DownstreamName[] = [],
): Promise<RoomMember> {
  const recorder = record(guest.socket, names);
  const granted = await requestAccess(guest.socket);
  await guest.socket.request('upstream-peer-enter', {
    rtpCapabilities: granted.routerRtpCapabilities as never,
  });
  return { ...guest, ...recorder, granted, peerId: granted.peer_id };
}

let nextSsrc = 1000;

/**
 * Publishes a track in the mediasoup form with made-up parameters: a real
 * producer on the host (no RTP flows, which moderation does not need).
 */
export async function publish(
  member: RoomMember,
  source: Extract<MediaSource, 'microphone' | 'camera'>,
  paused = false,
): Promise<string> {
  const audio = source === 'microphone';
  const { producer_id } = (await member.socket.request('upstream-offer', {
    outbound_id: member.granted.sendTransport.id,
    kind: audio ? 'audio' : 'video',
    source,
    audio: audio ? 1 : 0,
    video: audio ? 0 : 1,
    paused,
    rtpParameters: {
      mid: String(nextSsrc),
      codecs: [
        audio
          ? { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }
          : { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
      ],
      encodings: [{ ssrc: nextSsrc++ }],
      headerExtensions: [],
      rtcp: { cname: member.userId },
    },
  })) as { producer_id: string };
  return producer_id;
}
