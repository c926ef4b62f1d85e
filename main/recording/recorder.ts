import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import type { types } from 'mediasoup';
import type { RoomClosedReason } from '../../shared/protocol/messages';
import type { Peer, ProducerAppData } from '../sfu/peer';
import type { Room } from '../sfu/room';
import { TRACKS_DIR, type RecordedTrack, type RecordingManifest } from './manifest';
import { ManifestFile } from './manifest-file';
import { createRecordingFolder, newRecordingId, releaseReserve } from './recording-folder';
import { TrackTap, type TapSink } from './track-tap';

// Records one room while it runs: every producer of every entered peer is
// tapped (track-tap.ts) from the moment it exists, each into its own file,
// and the manifest says when each track started, paused and ended. Faults
// (a writer dying, the disk filling, the room's worker dying) never throw out
// of here: they mark the recording incomplete and are told through events.

/** Track files (segments included) one recording may hold. */
export const MAX_TRACKS = 64;
/** How long start() waits at most for the first packets (a sender that never sends must not hold it up). */
const START_WAIT_MS = 4000;
/** How many problems the manifest keeps (the first ones say most). */
const MAX_PROBLEMS = 50;
export const DISK_FULL_PROBLEM = 'the disk is full: the recording stopped there';
export const WORKER_DIED_PROBLEM =
  'the media worker carrying the meeting stopped: the recording stopped there';

export interface RecorderOptions {
  startedBy: { userId: string; name: string };
  /** `<dataDir>/recordings`: the recording gets a folder of its own inside. */
  recordingsDir: string;
  ffmpegPath: string;
  maxTracks?: number;
}

export interface RecordingStatus {
  id: string;
  /** True from start() until the recording stops (asked to, the room closed, or the disk filled). */
  running: boolean;
  state: 'recording' | 'stopped';
  startedAt: number;
  stoppedAt: number | undefined;
  startedBy: { userId: string; name: string };
  /** Tracks in the manifest (a track whose writer restarted counts once per segment). */
  trackCount: number;
  /** Tracks being written now. */
  liveTracks: number;
  /** Bytes written to track files so far (from ffmpeg's reports, up to a second behind). */
  bytes: number;
  incomplete: boolean;
  problems: string[];
  folder: string;
  manifestPath: string;
}

export interface RecorderEvents {
  /** The recording started, stopped, or became incomplete. */
  state: [status: RecordingStatus];
  /** Something went wrong; the recording goes on unless the state says it stopped. */
  problem: [message: string];
}

export class Recorder extends EventEmitter<RecorderEvents> {
  private readonly taps = new Map<string, TrackTap>();
  /** The start on the system's monotonic clock (uv_hrtime, as mediasoup's worker reads it too). */
  private readonly startedAtMonotonicMs = monotonicMs();
  /** Bytes of taps that ended before the recording did. */
  private endedTapBytes = 0;
  private nextTrackNumber = 1;
  private stopping: Promise<RecordingManifest> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly sink: TapSink;

  private constructor(
    private readonly room: Room,
    private readonly file: ManifestFile,
    private readonly options: RecorderOptions,
  ) {
    super();
    file.onError = (error) => this.onManifestError(error);
    this.sink = {
      folder: file.folder,
      ffmpegPath: options.ffmpegPath,
      msNow: () => this.msNow(),
      msAtMonotonic: (at) => at - this.startedAtMonotonicMs,
      claimTrack: (name) => {
        const number = this.nextTrackNumber;
        if (number > (options.maxTracks ?? MAX_TRACKS)) return undefined;
        this.nextTrackNumber++;
        const id = `t${number}`;
        return { id, file: `${TRACKS_DIR}/${id}-${name}.mkv` };
      },
      addTrack: (track: RecordedTrack) => {
        file.manifest.tracks.push(track);
        void file.save();
      },
      trackChanged: () => void file.save(),
      problem: (message, diskFull) =>
        this.problem(diskFull ? DISK_FULL_PROBLEM : message, diskFull),
    };
  }

  /**
   * Starts recording `room`: creates `<recordingsDir>/<id>/`, writes the
   * manifest and taps every producer. Resolves once what is being sent is
   * written (the writers take a moment to start), so that everything said
   * after people are told is in the recording; at most START_WAIT_MS. Throws
   * only when the recording cannot begin (the room is closed, the folder or
   * manifest cannot be written).
   */
  static async start(room: Room, options: RecorderOptions): Promise<Recorder> {
    if (room.isClosed) throw new Error(`room ${room.id} is closed`);
    const startedAt = Date.now();
    const id = newRecordingId(startedAt);
    const folder = await createRecordingFolder(options.recordingsDir, id);
    const manifest: RecordingManifest = {
      version: 1,
      id,
      roomId: room.id,
      hubId: room.hubId,
      startedAt,
      startedBy: options.startedBy,
      state: 'recording',
      incomplete: false,
      problems: [],
      tracks: [],
    };
    const file = new ManifestFile(folder, manifest);
    await file.save();
    if (file.lastError) {
      // Nothing was recorded: leave no folder without a manifest behind.
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
      throw file.lastError;
    }
    const recorder = new Recorder(room, file, options);
    recorder.follow();
    await recorder.firstPackets(START_WAIT_MS);
    return recorder;
  }

  /** Until every tap of a producer that sends has written its first packet, or `ms` passed. */
  private async firstPackets(ms: number): Promise<void> {
    const sending = [...this.taps.values()].filter((tap) => tap.sending);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(sending.map((tap) => tap.writing)),
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  get id(): string {
    return this.file.manifest.id;
  }

  get folder(): string {
    return this.file.folder;
  }

  get manifestPath(): string {
    return this.file.path;
  }

  /** The manifest as it is now in memory (a copy: do not change it). */
  get manifest(): RecordingManifest {
    return structuredClone(this.file.manifest);
  }

  get running(): boolean {
    return !this.stopping;
  }

  status(): RecordingStatus {
    const { manifest } = this.file;
    return {
      id: manifest.id,
      running: this.running,
      state: this.stopping ? 'stopped' : 'recording',
      startedAt: manifest.startedAt,
      stoppedAt: manifest.stoppedAt,
      startedBy: manifest.startedBy,
      trackCount: manifest.tracks.length,
      liveTracks: manifest.tracks.filter((track) => track.endMs === undefined).length,
      bytes: [...this.taps.values()].reduce((sum, tap) => sum + tap.bytes, this.endedTapBytes),
      incomplete: manifest.incomplete,
      problems: [...manifest.problems],
      folder: this.folder,
      manifestPath: this.manifestPath,
    };
  }

  /**
   * Ends every track (finalizing the files) and writes the manifest as
   * stopped, incomplete when anything went wrong. Safe to call more than
   * once and never throws; resolves with the final manifest.
   */
  stop(): Promise<RecordingManifest> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private async finish(): Promise<RecordingManifest> {
    // The moment of the stop, not the end of the writers' finishing: the tracks end here too.
    const stoppedMs = this.msNow();
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.all([...this.taps.values()].map((tap) => tap.stop()));
    const { manifest } = this.file;
    manifest.state = 'stopped';
    manifest.stoppedAt = manifest.startedAt + stoppedMs;
    // On a full disk the reserve makes room for this last, most useful write. Should it
    // fail anyway, the manifest on disk still says 'recording': the next start marks it.
    if (this.file.lastError || manifest.problems.includes(DISK_FULL_PROBLEM))
      await releaseReserve(this.folder);
    await this.file.seal();
    await releaseReserve(this.folder);
    this.tell('state', this.status());
    return this.manifest;
  }

  private msNow(): number {
    return Math.max(0, Math.round(monotonicMs() - this.startedAtMonotonicMs));
  }

  /** Taps what the room has now and whatever it gets later. */
  private follow(): void {
    const { room } = this;
    const onPeer = (peer: Peer) => this.tapPeer(peer);
    const onClosed = (reason: RoomClosedReason | undefined) => {
      // Any other reason is the meeting's end, and so the recording's.
      if (reason === 'media_restarted') this.problem(WORKER_DIED_PROBLEM, false);
      void this.stop();
    };
    room.on('peer-updated', onPeer);
    room.once('closed', onClosed);
    this.unsubscribe.push(
      () => room.off('peer-updated', onPeer),
      () => room.off('closed', onClosed),
    );
    // The room may have closed while the folder was being made: nothing to record.
    if (room.isClosed) {
      void this.stop();
      return;
    }
    for (const peer of room.peers.values()) this.tapPeer(peer);
  }

  private tapPeer(peer: Peer): void {
    if (this.stopping || !peer.entered || this.room.peers.get(peer.id) !== peer) return;
    for (const producer of peer.producers.values()) this.tapProducer(peer, producer);
  }

  private tapProducer(peer: Peer, producer: types.Producer<ProducerAppData>): void {
    if (this.taps.has(producer.id) || producer.closed) return;
    const tap = new TrackTap(peer, producer, this.sink);
    this.taps.set(producer.id, tap);
    void tap.done.then(() => {
      // An ended tap (producer closed) lets go of its entry; its bytes stay counted.
      if (this.stopping || this.taps.get(producer.id) !== tap) return;
      this.endedTapBytes += tap.bytes;
      this.taps.delete(producer.id);
    });
  }

  /** Marks the recording incomplete and tells of `message` once; a full disk also stops it. */
  private problem(message: string, diskFull: boolean): void {
    const { manifest } = this.file;
    const wasIncomplete = manifest.incomplete;
    manifest.incomplete = true;
    const isNew = !manifest.problems.includes(message);
    if (isNew && manifest.problems.length < MAX_PROBLEMS) manifest.problems.push(message);
    void this.file.save();
    if (isNew) this.tell('problem', message);
    if (diskFull) void this.stop();
    else if (!wasIncomplete) this.tell('state', this.status());
  }

  /** Emits to the lead's listeners; one that throws must not stop the recording or the host. */
  private tell(...event: ['state', RecordingStatus] | ['problem', string]): void {
    try {
      if (event[0] === 'state') this.emit(event[0], event[1]);
      else this.emit(event[0], event[1]);
    } catch (error) {
      process.emitWarning(error as Error, 'RecorderListenerError');
    }
  }

  private onManifestError(error: NodeJS.ErrnoException): void {
    if (error.code === 'ENOSPC') this.problem(DISK_FULL_PROBLEM, true);
    else this.problem(`the manifest could not be saved (${error.code ?? error.message})`, false);
  }
}

/** Milliseconds on the system's monotonic clock (never jumps with the wall clock). */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
