import type { types } from 'mediasoup';
import type { TrackWriter, WriterExit } from './ffmpeg-process';
import { IvfFileWriter } from './ivf-file-writer';
import { RtpFileWriter } from './rtp-file-writer';
import { recordingRtpCapabilities, sdpForConsumer } from './track-sdp';
import { freeUdpPortPair, waitUntilBound } from './udp-ports';

// One continuous piece of a recorded track: a transport on the producer's
// own router, a consumer of the producer, and one ffmpeg writing its media
// into one file. Most codecs go to ffmpeg as RTP through a PlainTransport;
// VP9 comes to Node through a DirectTransport and is unpacked here (ffmpeg's
// RTP input cannot read a browser's VP9). A track whose writer dies goes on
// in a new segment (track-tap.ts): a PlainTransport connects only once.

/** Ports tried when another program takes the one picked for ffmpeg first. */
const PORT_TRIES = 3;
const BIND_TIMEOUT_MS = 5_000;
/** Until the first keyframe arrives, ask the sender for one this often. */
const KEYFRAME_REQUEST_MS = 1_000;
/** A trace stamped longer ago than this (or in the future) is not on our clock. */
const PLAUSIBLE_TRACE_DELAY_MS = 5_000;
/** mediasoup lowers a preferred layer to the producer's best: ask for the most there can be. */
const BEST_LAYER = 255;

type EndCause =
  | { reason: 'stopped' | 'producer-closed' }
  | { reason: 'router-closed'; workerDied: boolean }
  | { reason: 'writer-died'; exit: WriterExit }
  | { reason: 'setup-failed'; error: string };
/** How a segment ended, when (ms since the recording's start), how many bytes its file got and how its writer exited. */
export type SegmentEnd = EndCause & { endMs: number; bytes: number; writerExit?: WriterExit };

export interface SegmentOptions {
  producer: types.Producer;
  router: types.Router;
  /** The router's worker: when it died, the segment's end is a fault, not the room closing. */
  worker: types.Worker;
  ffmpegPath: string;
  /** Absolute path of the file ffmpeg writes. */
  file: string;
  /** Milliseconds since the recording's start, on a clock that never jumps. */
  msNow: () => number;
  /** The same for a time read on the system's monotonic clock (mediasoup's worker stamps its events with it). */
  msAtMonotonic: (monotonicMs: number) => number;
  /** The first RTP packet left the consumer for the writer: the segment's start. */
  onFirstPacket: (atMs: number, mimeType: string) => void;
  onProducerPaused: (paused: boolean, atMs: number) => void;
}

export class TapSegment {
  private transport: types.Transport | undefined;
  private consumer: types.Consumer | undefined;
  private writer: TrackWriter | undefined;
  private keyframeTimer: NodeJS.Timeout | undefined;
  private started = false;
  private opened: Promise<void> = Promise.resolve();
  private ending: Promise<SegmentEnd> | undefined;
  private resolveEnded!: (end: SegmentEnd) => void;
  private readonly ended = new Promise<SegmentEnd>((resolve) => (this.resolveEnded = resolve));

  constructor(private readonly options: SegmentOptions) {}

  get bytes(): number {
    return this.writer?.bytes ?? 0;
  }

  /** Sets the segment up and resolves when it ends, however it ends. Never rejects. */
  run(): Promise<SegmentEnd> {
    if (this.ending) return this.ended;
    this.opened = this.open().catch((error: unknown) => {
      const { router, worker } = this.options;
      void this.finish(
        router.closed
          ? { reason: 'router-closed', workerDied: worker.died }
          : { reason: 'setup-failed', error: (error as Error).message },
      );
    });
    return this.ended;
  }

  /** Ends the segment, finalizing its file. */
  stop(): Promise<SegmentEnd> {
    return this.finish({ reason: 'stopped' });
  }

  // Each step checks `ending` after it awaits: a segment stopped while it opens goes no further.
  private async open(): Promise<void> {
    const { producer, router, worker, msNow, onProducerPaused } = this.options;
    const unpackHere = producer.rtpParameters.codecs[0]?.mimeType.toLowerCase() === 'video/vp9';
    this.transport = unpackHere
      ? await router.createDirectTransport()
      : await router.createPlainTransport({
          listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
          // ffmpeg's SDP input listens for RTCP on the next port; comedia off: we say where to send.
          rtcpMux: false,
          comedia: false,
        });
    const transport = this.transport;
    transport.on('routerclose', () => {
      void this.finish({ reason: 'router-closed', workerDied: worker.died });
    });
    if (this.ending) return;

    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: recordingRtpCapabilities(router.rtpCapabilities),
      // Nothing flows until the writer is ready: the first packet must not be lost.
      paused: true,
      enableRtx: false,
      preferredLayers: { spatialLayer: BEST_LAYER, temporalLayer: BEST_LAYER },
    });
    this.consumer = consumer;
    consumer.on('producerclose', () => void this.finish({ reason: 'producer-closed' }));
    consumer.on('producerpause', () => onProducerPaused(true, msNow()));
    consumer.on('producerresume', () => onProducerPaused(false, msNow()));
    consumer.on('trace', (trace) => this.firstPacket(trace.timestamp));
    if (this.ending) return;

    if (unpackHere) {
      let lastAskedAt = 0;
      const writer = IvfFileWriter.start(this.options.ffmpegPath, this.options.file, () => {
        // A lost picture spoils what follows until a keyframe: ask for one, at most once a second.
        if (Date.now() - lastAskedAt < KEYFRAME_REQUEST_MS) return;
        lastAskedAt = Date.now();
        consumer.requestKeyFrame().catch(() => undefined);
      });
      this.writer = writer;
      this.watch(writer);
      consumer.on('rtp', (packet) => writer.push(packet));
    } else {
      const port = await this.startWriter(consumer);
      if (port === undefined || this.ending) return;
      await (transport as types.PlainTransport).connect({
        ip: '127.0.0.1',
        port,
        rtcpPort: port + 1,
      });
    }
    // Video's first forwarded packet is a keyframe (the consumer waits for one): it traces as 'keyframe'.
    await consumer.enableTraceEvent(['rtp', 'keyframe']);
    if (this.ending) return;
    await consumer.resume();
    if (consumer.kind === 'video' && !this.started && !this.ending) {
      // mediasoup asks once on resume; a sender that missed it (or is paused) is asked again.
      this.keyframeTimer = setInterval(() => {
        if (!consumer.closed) consumer.requestKeyFrame().catch(() => undefined);
      }, KEYFRAME_REQUEST_MS);
    }
  }

  /** A writer that exits without being asked to ends the segment. */
  private watch(writer: TrackWriter): void {
    void writer.exited.then((exit) => {
      if (!exit.requested) void this.finish({ reason: 'writer-died', exit });
    });
  }

  /** Starts ffmpeg on a free port and waits until it listens; the port, or undefined when the segment ended. */
  private async startWriter(consumer: types.Consumer): Promise<number | undefined> {
    const { ffmpegPath, file } = this.options;
    for (let attempt = 0; attempt < PORT_TRIES; attempt++) {
      const port = await freeUdpPortPair();
      const sdp = sdpForConsumer(consumer.kind, consumer.rtpParameters, port);
      const writer = RtpFileWriter.start(ffmpegPath, sdp, port, file);
      this.writer = writer;
      const listening = await waitUntilBound(
        port + 1,
        () => writer.alive && !this.ending,
        BIND_TIMEOUT_MS,
      );
      if (listening) {
        this.watch(writer);
        return port;
      }
      if (this.ending) return undefined;
      const exit = writer.alive ? await writer.kill() : await writer.exited;
      // A full disk will not get better on another port.
      if (exit.diskFull || attempt === PORT_TRIES - 1) {
        void this.finish({ reason: 'writer-died', exit });
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * The segment starts when the worker sent its first packet. The worker
   * stamps the trace with uv_hrtime, the monotonic clock Node's
   * process.hrtime reads too, so the time is exact to the millisecond however
   * late the event loop gets to the event; the arrival time stands in should
   * the stamp ever be implausible.
   */
  private firstPacket(workerTimeMs: number): void {
    if (this.started || this.ending) return;
    this.started = true;
    clearInterval(this.keyframeTimer);
    const consumer = this.consumer!;
    // One trace is all we need: stop the per-packet notifications.
    consumer.enableTraceEvent([]).catch(() => undefined);
    const arrivedMs = this.options.msNow();
    const sentMs = this.options.msAtMonotonic(workerTimeMs);
    // msNow() is rounded: a stamp may read up to a millisecond after it.
    const plausible = sentMs <= arrivedMs + 1 && arrivedMs - sentMs < PLAUSIBLE_TRACE_DELAY_MS;
    const mimeType = consumer.rtpParameters.codecs[0]?.mimeType ?? consumer.kind;
    this.options.onFirstPacket(Math.max(0, Math.round(plausible ? sentMs : arrivedMs)), mimeType);
  }

  /** The first cause wins; later calls get the same end. */
  private finish(cause: EndCause): Promise<SegmentEnd> {
    this.ending ??= (async () => {
      const endMs = this.options.msNow();
      // Whatever open() is doing finishes first (its steps are bounded), so nothing it creates is left behind.
      await this.opened;
      clearInterval(this.keyframeTimer);
      // ffmpeg first, while RTP may still flow (it then ends at once); then the transport.
      const writerExit = await this.writer?.stop();
      try {
        this.transport?.close();
      } catch {
        // Closed with its router already.
      }
      const end: SegmentEnd = { ...cause, endMs, bytes: this.writer?.bytes ?? 0, writerExit };
      this.resolveEnded(end);
      return end;
    })();
    return this.ending;
  }
}
