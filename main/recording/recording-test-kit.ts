import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import type { types } from 'mediasoup';
import { createTestWorker } from '../../testing/mediasoup';
import type { Peer, ProducerAppData } from '../sfu/peer';
import { Room } from '../sfu/room';
import type { PooledWorker } from '../sfu/worker-pool';

// Real media for the recording tests: a Room on a real worker, and peers
// that publish ffmpeg's test pattern and tone as RTP through PlainTransports,
// the way a seed-form client's media arrives. Used only by *.test.ts.

export type TestCodec = 'vp8' | 'vp9' | 'h264' | 'opus';

const CODECS: Record<TestCodec, { codec: types.RtpCodecParameters; encoder: string[] }> = {
  vp8: {
    codec: { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
    encoder: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '16', '-b:v', '200k'],
  },
  vp9: {
    codec: {
      mimeType: 'video/VP9',
      payloadType: 98,
      clockRate: 90000,
      parameters: { 'profile-id': 0 },
    },
    encoder: [
      ...['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'],
      ...['-pix_fmt', 'yuv420p'],
      // ffmpeg's VP9 RTP packetizer is marked experimental.
      ...['-strict', 'experimental'],
    ],
  },
  h264: {
    codec: {
      mimeType: 'video/H264',
      payloadType: 108,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    },
    encoder: [
      ...['-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast'],
      ...['-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-b:v', '200k'],
    ],
  },
  opus: {
    codec: { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 },
    encoder: ['-c:a', 'libopus', '-ac', '2', '-b:a', '48k'],
  },
};

/** A real worker with a room on it, placed the way the host places rooms. */
export async function openTestRoom(id = 'recorded-room'): Promise<{
  room: Room;
  worker: types.Worker;
}> {
  const worker = await createTestWorker();
  const host: PooledWorker = { index: 0, worker, webRtcServer: undefined as never, routerCount: 0 };
  const room = await Room.create(id, 'hub-1', { peersPerRouter: 40, nextHost: () => host });
  // As the host's room registry does: a dead worker closes its rooms.
  worker.on('died', () => room.close('media_restarted'));
  return { room, worker };
}

/** A peer that entered `room` (as a seed-form client does, without rtpCapabilities). */
export async function addPeer(room: Room, name: string): Promise<Peer> {
  const peer = await room.addPeer(`peer-${name}`, `user-${name}`, name);
  room.enter(peer, undefined);
  return peer;
}

export interface TestSource {
  producer: types.Producer<ProducerAppData>;
  sender: ChildProcess;
  stop(): void;
}

let nextSsrc = 1000;

export interface PublishOptions {
  source?: ProducerAppData['source'];
  /** Simulcast encodings, smallest first; the best is 320 pixels wide. */
  layers?: number;
  /** e.g. '3M': with `noise`, the encoder really sends that much (a test pattern compresses too well). */
  bitrate?: string;
  noise?: boolean;
}

/**
 * Publishes a generated stream from `peer`: ffmpeg encodes the test pattern
 * (video: small, 15 frames a second and a keyframe every second, as cheap as
 * it gets on a busy machine) or a tone (audio) and sends it as RTP into a
 * PlainTransport producer.
 */
export async function publish(
  room: Room,
  peer: Peer,
  codecName: TestCodec,
  options: PublishOptions = {},
): Promise<TestSource> {
  const { codec, encoder } = CODECS[codecName];
  const kind: types.MediaKind = codecName === 'opus' ? 'audio' : 'video';
  const layers = kind === 'video' ? (options.layers ?? 1) : 1;
  const transport = await peer.placement.router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
    appData: { direction: 'send', sdp: false },
  });
  // The room looks transports up by id; a PlainTransport produces the same way.
  peer.transports.set(transport.id, transport as unknown as types.WebRtcTransport);
  const ssrcs = Array.from({ length: layers }, () => nextSsrc++);
  const producer = await room.produce(peer, transport.id, {
    kind,
    rtpParameters: { codecs: [codec], encodings: ssrcs.map((ssrc) => ({ ssrc })) },
    source: options.source ?? (kind === 'audio' ? 'microphone' : 'camera'),
    paused: false,
  });
  // Each encoding is an ffmpeg output with its own port; comedia locks onto
  // one address, so a relay sends them all from one, as a browser would.
  const relay = await udpRelay(transport.tuple.localPort);
  const input =
    kind === 'audio'
      ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000']
      : ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15'];
  const outputs = ssrcs.flatMap((ssrc, layer) => [
    ...['-map', kind === 'audio' ? '0:a' : '0:v'],
    ...(kind === 'video' ? ['-vf', videoFilter(layers - 1 - layer, options.noise)] : []),
    ...(kind === 'video' ? ['-g', '15', '-bf', '0', '-threads', '1'] : []),
    ...encoder,
    ...(options.bitrate ? [kind === 'video' ? '-b:v' : '-b:a', options.bitrate] : []),
    ...['-ssrc', String(ssrc), '-payload_type', String(codec.payloadType)],
    ...['-f', 'rtp', `rtp://127.0.0.1:${relay.port}?rtcpport=${relay.port}&pkt_size=1200`],
  ]);
  const sender = spawn(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-re', ...input, ...outputs],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  sender.stderr?.resume();
  return {
    producer,
    sender,
    stop() {
      sender.kill('SIGKILL');
      relay.close();
    },
  };
}

/** The test pattern, halved `smaller` times, with noise on it if asked. */
function videoFilter(smaller: number, noise = false): string {
  return `scale=${320 >> smaller}:-2${noise ? ',noise=alls=100:allf=t' : ''}`;
}

/** Forwards every datagram it gets to 127.0.0.1:`target` from one socket. */
async function udpRelay(target: number): Promise<{ port: number; close: () => void }> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (message) => socket.send(message, target, '127.0.0.1'));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => socket.close() };
}

export interface ProbedFile {
  codec: string | undefined;
  width: number | undefined;
  height: number | undefined;
  /** The container's duration, written when the file was finalized. */
  durationS: number | undefined;
  /** Every packet's time, in seconds: a file cut short has no duration but still has these. */
  packetTimes: number[];
}

/** What ffprobe reads in a recorded track file. */
export function probe(file: string): Promise<ProbedFile> {
  const args = ['-v', 'error', '-of', 'json', '-show_entries'];
  const entries = 'stream=codec_name,width,height:format=duration:packet=pts_time';
  return new Promise((resolve, reject) => {
    execFile('ffprobe', [...args, entries, file], { maxBuffer: 64 * 1024 * 1024 }, (e, out) => {
      if (e) return reject(e);
      const json = JSON.parse(out) as {
        streams?: { codec_name?: string; width?: number; height?: number }[];
        format?: { duration?: string };
        packets?: { pts_time?: string }[];
      };
      const stream = json.streams?.[0];
      resolve({
        codec: stream?.codec_name,
        width: stream?.width,
        height: stream?.height,
        durationS: json.format?.duration ? Number(json.format.duration) : undefined,
        packetTimes: (json.packets ?? []).map((packet) => Number(packet.pts_time)),
      });
    });
  });
}

/** The longest stretch between two packets of a file, in seconds. */
export function longestGapS(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.reduce((gap, time, i) => (i ? Math.max(gap, time - sorted[i - 1]!) : gap), 0);
}

/** This process's children whose command line mentions `text` (the ffmpeg writing a file). */
export function childProcessesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}
