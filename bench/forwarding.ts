import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { ROUTER_MEDIA_CODECS } from '../main/sfu/codecs';
import { startTestHost } from '../testing/host';
import { cpuShare, round, sleep } from './lib';

/*
 * Forwarding cost, with synthetic video: each publisher is a UDP socket
 * sending VP8-shaped RTP (30 frames/s, 4 packets of 1100 bytes each, a
 * keyframe every second: about 1.1 Mbit/s) into a PlainTransport; each
 * subscriber is an SRTP PlainTransport consumer whose packets a UDP socket
 * only counts. mediasoup forwards without decoding, so the payload bytes need
 * only the VP8 descriptor and keyframe bits it reads.
 *
 * "ours" runs the topology on a room router of the real host (our codecs,
 * active-speaker observer, worker settings); "bare" on a router of a plain
 * mediasoup worker created by this script with the same codecs. Reported:
 * the worker's CPU as a share of one core over the measuring window, the
 * host's Node CPU (this process's CPU in "ours" minus in "bare": the load
 * generator runs in both), and packet loss at the subscribers.
 */

const PAYLOAD_TYPE = 101;
const PACKETS_PER_FRAME = 4;
const FRAME_MS = 33;

interface Publisher {
  producer: types.Producer;
  stop(): void;
  sent(): number;
}

async function startPublisher(router: types.Router): Promise<Publisher> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
  });
  const ssrc = randomBytes(4).readUInt32BE() >>> 1;
  const producer = await transport.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
      encodings: [{ ssrc }],
    },
  });
  const socket = createSocket('udp4');
  let sequence = 0;
  let frame = 0;
  let sent = 0;
  const timer = setInterval(() => {
    const keyFrame = frame % 30 === 0;
    for (let i = 0; i < PACKETS_PER_FRAME; i++) {
      const packet = Buffer.alloc(1100);
      packet[0] = 0x80;
      packet[1] = PAYLOAD_TYPE | (i === PACKETS_PER_FRAME - 1 ? 0x80 : 0);
      packet.writeUInt16BE(sequence++ & 0xffff, 2);
      packet.writeUInt32BE((frame * 3000) >>> 0, 4);
      packet.writeUInt32BE(ssrc, 8);
      // VP8 payload descriptor: S bit on the first packet of a frame.
      packet[12] = i === 0 ? 0x10 : 0x00;
      if (i === 0) {
        // Frame tag: P bit 0 on keyframes, then the keyframe start code and 640x360.
        packet[13] = keyFrame ? 0x10 : 0x11;
        if (keyFrame) {
          packet.set([0x9d, 0x01, 0x2a], 16);
          packet.writeUInt16LE(640, 19);
          packet.writeUInt16LE(360, 21);
        }
      }
      socket.send(packet, transport.tuple.localPort, '127.0.0.1');
      sent++;
    }
    frame++;
  }, FRAME_MS);
  return {
    producer,
    sent: () => sent,
    stop: () => {
      clearInterval(timer);
      socket.close();
      transport.close();
    },
  };
}

interface Subscriber {
  received(): number;
  stop(): void;
}

async function startSubscriber(
  router: types.Router,
  producer: types.Producer,
): Promise<Subscriber> {
  const socket: Socket = createSocket('udp4');
  let received = 0;
  // Count RTP only: RTCP packet types are 200–206 in the second byte.
  socket.on('message', (message) => {
    const type = message[1]! & 0x7f;
    if (type === PAYLOAD_TYPE) received++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
  });
  await transport.connect({
    ip: '127.0.0.1',
    port: socket.address().port,
    srtpParameters: {
      cryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
      keyBase64: randomBytes(30).toString('base64'),
    },
  });
  // Ask for the codec as published (no RTX), as a counting receiver would.
  await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
  return {
    received: () => received,
    stop: () => {
      socket.close();
      transport.close();
    },
  };
}

/**
 * Runs N publishers × M subscribers each for `seconds`; returns the workers'
 * CPU (summed, share of one core) and loss. Publishers are on the first
 * router; with more routers each producer is piped to them (pipeToRouter)
 * and the subscribers are spread round-robin, as a room spread over workers.
 */
async function measure(
  routers: types.Router[],
  workerPids: number[],
  publishers: number,
  subscribers: number,
  seconds: number,
) {
  const [home, ...others] = routers as [types.Router, ...types.Router[]];
  const pubs = await Promise.all(Array.from({ length: publishers }, () => startPublisher(home)));
  for (const pub of pubs)
    for (const router of others) await home.pipeToRouter({ producerId: pub.producer.id, router });
  const subs = (
    await Promise.all(
      pubs.map((pub) =>
        Promise.all(
          Array.from({ length: subscribers }, (_, i) =>
            startSubscriber(routers[i % routers.length]!, pub.producer),
          ),
        ),
      ),
    )
  ).flat();
  await sleep(1500); // first keyframe reaches every consumer
  const sentBefore = pubs.reduce((sum, pub) => sum + pub.sent(), 0);
  const receivedBefore = subs.reduce((sum, sub) => sum + sub.received(), 0);
  const { share } = await cpuShare([...workerPids, process.pid], () => sleep(seconds * 1000));
  const nodeCpu = share.pop()!;
  await sleep(200); // packets in flight
  const sent = pubs.reduce((sum, pub) => sum + pub.sent(), 0) - sentBefore;
  const received = subs.reduce((sum, sub) => sum + sub.received(), 0) - receivedBefore;
  for (const item of [...subs, ...pubs]) item.stop();
  const expected = sent * subscribers;
  return {
    workerCpu: share.reduce((a, b) => a + b, 0),
    nodeCpu,
    lossPercent: expected ? Math.max(0, (1 - received / expected) * 100) : 0,
    streams: publishers * subscribers,
  };
}

export async function benchForwarding(
  shapes: [number, number][] = [
    [1, 4],
    [2, 8],
    [4, 8],
  ],
  seconds = 8,
) {
  const host = await startTestHost();
  const room = await host.rooms.open('bench-forwarding', host.hub.id);
  const hostWorkerPid = host.pool.workers[0]!.worker.pid!;
  const bareWorker = await mediasoup.createWorker({ logLevel: 'warn' });
  const bareRouter = await bareWorker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
  const rows = [];
  try {
    for (const [publishers, subscribers] of shapes) {
      const ours = await measure([room.router], [hostWorkerPid], publishers, subscribers, seconds);
      const bare = await measure([bareRouter], [bareWorker.pid!], publishers, subscribers, seconds);
      rows.push({
        shape: `${publishers}x${subscribers}`,
        streams: ours.streams,
        oursCpuPercent: round(ours.workerCpu * 100),
        bareCpuPercent: round(bare.workerCpu * 100),
        oursPerStreamPercent: round((ours.workerCpu * 100) / ours.streams, 2),
        ratio: round(ours.workerCpu / bare.workerCpu, 2),
        // This process runs the load generator in both runs, and the host only in "ours":
        // the difference is the host's own Node CPU while it forwards.
        hostNodeCpuPercent: round((ours.nodeCpu - bare.nodeCpu) * 100),
        oursLossPercent: round(ours.lossPercent, 2),
        bareLossPercent: round(bare.lossPercent, 2),
      });
    }
    return rows;
  } finally {
    bareWorker.close();
    room.close(undefined);
    await host.dispose();
  }
}

/**
 * The largest number of consumers of one stream forwarded with under 1% loss:
 * by one worker, and by a room spread over `workers` workers with
 * pipeToRouter (as the host spreads a room that outgrows one worker).
 */
export async function benchCapacity(
  workers = 2,
  steps = [100, 200, 400, 600, 800, 1000, 1200, 1600],
  seconds = 5,
) {
  const pool = await Promise.all(
    Array.from({ length: workers }, () => mediasoup.createWorker({ logLevel: 'warn' })),
  );
  const routers = await Promise.all(
    pool.map((worker) => worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS })),
  );
  const ramp = async (used: number) => {
    const results: { consumers: number; lossPercent: number; workerCpuPercent: number }[] = [];
    for (const consumers of steps) {
      const result = await measure(
        routers.slice(0, used),
        pool.slice(0, used).map((worker) => worker.pid!),
        1,
        consumers,
        seconds,
      );
      results.push({
        consumers,
        lossPercent: round(result.lossPercent, 2),
        workerCpuPercent: round(result.workerCpu * 100),
      });
      if (result.lossPercent >= 1) break;
    }
    const fine = results.filter((result) => result.lossPercent < 1);
    return {
      steps: results,
      maxConsumersUnder1PercentLoss: fine.at(-1)?.consumers ?? 0,
      reachedLimit: fine.length < results.length,
    };
  };
  try {
    return { oneWorker: await ramp(1), spreadOverWorkers: { workers, ...(await ramp(workers)) } };
  } finally {
    for (const worker of pool) worker.close();
  }
}
