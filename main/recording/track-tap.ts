import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { Peer, ProducerAppData } from '../sfu/peer';
import type { RecordedTrack } from './manifest';
import { describeWriterExit } from './ffmpeg-process';
import { TapSegment, type SegmentEnd } from './tap-segment';

// Records one producer for as long as it lives and the recording runs. Its
// track is one or more segments (one manifest track each): when ffmpeg dies
// mid-track the segment gets a problem and a new one starts, so the rest of
// the meeting is still recorded.

/** A tap gives up after this many segments (the first and its restarts). */
const MAX_SEGMENTS = 5;
/** Pause before a new segment, so a writer that dies at once does not spin. */
const RESTART_DELAY_MS = 500;

/** What a tap needs of its recording. */
export interface TapSink {
  folder: string;
  ffmpegPath: string;
  /** Milliseconds since the recording's start, on a clock that never jumps. */
  msNow(): number;
  /** The same for a time on the system's monotonic clock (as mediasoup's worker stamps events). */
  msAtMonotonic(monotonicMs: number): number;
  /** A new track id and its file (relative to the folder); undefined when the recording holds its most tracks. */
  claimTrack(name: string): { id: string; file: string } | undefined;
  /** A segment's first packet arrived: list its track in the manifest. */
  addTrack(track: RecordedTrack): void;
  /** A listed track changed (pause, end, problem): save the manifest. */
  trackChanged(): void;
  /** Something went wrong; `diskFull` when nothing more can be written. */
  problem(message: string, diskFull: boolean): void;
}

export class TrackTap {
  /** Resolves when the tap has ended (stopped, producer closed, or given up). */
  readonly done: Promise<void>;
  /** Resolves once the first packet is written, or the tap ended without one. */
  readonly writing: Promise<void>;
  private markWriting!: () => void;
  private segment: TapSegment | undefined;
  private stopped = false;
  private wakeFromDelay: (() => void) | undefined;
  /** Bytes in the files of ended segments. */
  private endedBytes = 0;

  constructor(
    private readonly peer: Peer,
    private readonly producer: types.Producer<ProducerAppData>,
    private readonly sink: TapSink,
  ) {
    this.writing = new Promise((resolve) => (this.markWriting = resolve));
    this.done = this.run();
    void this.done.then(() => this.markWriting());
  }

  /** Whether the sender sends now (a muted microphone's producer is paused: nothing to wait for). */
  get sending(): boolean {
    return !this.producer.paused && !this.producer.closed;
  }

  get producerId(): string {
    return this.producer.id;
  }

  get bytes(): number {
    return this.endedBytes + (this.segment?.bytes ?? 0);
  }

  /** Ends the tap, finalizing the file it writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeFromDelay?.();
    await this.segment?.stop();
    await this.done;
  }

  /** "Bob (2)'s camera", for problems people read. */
  private get label(): string {
    return `${this.peer.displayName}'s ${this.producer.appData.source}`;
  }

  private async run(): Promise<void> {
    for (let index = 0; index < MAX_SEGMENTS; index++) {
      if (index > 0) await this.delay(RESTART_DELAY_MS);
      if (this.stopped || this.producer.closed) return;
      const claim = this.sink.claimTrack(`${this.producer.appData.source}-${this.producer.kind}`);
      if (!claim) {
        this.sink.problem(
          `${this.label} was not recorded: the recording has its most tracks`,
          false,
        );
        return;
      }
      const { end, track } = await this.runSegment(claim);
      this.segment = undefined;
      this.endedBytes += end.bytes;
      if (!this.carryOn(end, track)) return;
    }
    this.sink.problem(`${this.label}: recording it stopped after ${MAX_SEGMENTS} failures`, false);
  }

  /** One segment from start to end; its track, once its first packet came. */
  private async runSegment(claim: {
    id: string;
    file: string;
  }): Promise<{ end: SegmentEnd; track: RecordedTrack | undefined }> {
    const { peer, producer, sink } = this;
    let track: RecordedTrack | undefined;
    const segment = new TapSegment({
      producer,
      router: peer.placement.router,
      worker: peer.placement.host.worker,
      ffmpegPath: sink.ffmpegPath,
      file: join(sink.folder, claim.file),
      msNow: () => sink.msNow(),
      msAtMonotonic: (monotonicMs) => sink.msAtMonotonic(monotonicMs),
      onFirstPacket: (startMs, mimeType) => {
        const started: RecordedTrack = {
          ...claim,
          kind: producer.kind,
          source: manifestSource(producer.appData.source),
          mimeType,
          peerId: peer.id,
          userId: peer.userId,
          displayName: peer.displayName,
          producerId: producer.id,
          startMs,
          pauses: [],
        };
        track = started;
        sink.addTrack(started);
        this.markWriting();
      },
      onProducerPaused: (paused, atMs) => {
        if (!track) return;
        const open = track.pauses.at(-1);
        if (paused && (!open || open.toMs !== undefined)) track.pauses.push({ fromMs: atMs });
        else if (!paused && open && open.toMs === undefined) open.toMs = atMs;
        sink.trackChanged();
      },
    });
    this.segment = segment;
    const running = segment.run();
    // stop() may have come while this segment was being made.
    if (this.stopped) void segment.stop();
    const end = await running;
    if (track) {
      track.endMs = end.endMs;
      const open = track.pauses.at(-1);
      if (open && open.toMs === undefined) open.toMs = end.endMs;
    } else {
      // No packet ever came (stopped while paused, or the writer failed first): no track, no file.
      await rm(join(sink.folder, claim.file), { force: true }).catch(() => undefined);
    }
    return { end, track };
  }

  /** Records how a segment ended; true when a new segment should follow. */
  private carryOn(end: SegmentEnd, track: RecordedTrack | undefined): boolean {
    const { sink } = this;
    let again = false;
    let problem: string | undefined;
    let diskFull = false;
    switch (end.reason) {
      case 'stopped':
      case 'producer-closed':
        break;
      case 'router-closed':
        if (end.workerDied) problem = 'the media worker carrying it stopped';
        break;
      case 'writer-died':
        problem = describeWriterExit(end.exit);
        diskFull = end.exit.diskFull;
        again = !diskFull;
        break;
      case 'setup-failed':
        // A producer that closed while its tap was being made is no fault.
        if (this.producer.closed) break;
        problem = `it could not be tapped (${end.error})`;
        again = true;
        break;
    }
    // A writer asked to stop may still fail to finish its file on a full disk.
    if (!problem && end.writerExit?.diskFull) {
      problem = describeWriterExit(end.writerExit);
      diskFull = true;
    }
    if (problem && track) track.problem = problem;
    if (track) sink.trackChanged();
    if (problem) sink.problem(`${this.label}: ${problem}`, diskFull);
    return again && !this.stopped;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeFromDelay = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The manifest names a shared screen's sound 'screen' too: its kind (audio) tells it from the picture. */
function manifestSource(source: ProducerAppData['source']): RecordedTrack['source'] {
  return source === 'screen-audio' ? 'screen' : source;
}
