import { EventEmitter } from 'node:events';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../../shared/protocol/moderation';
import type { RecordingStatus, RecordingSummary } from '../../shared/protocol/recording';
import { HostError } from '../host/host-error';
import type { Logger } from '../host/logger';
import type { Room } from '../sfu/room';
import type { ComposeOptions } from './composer';
import { composesAtStart, CompositionQueue } from './composition-queue';
import { findFfmpeg, type FfmpegTool } from './ffmpeg';
import type { RecordingManifest } from './manifest';
import { readManifest, recoverInterrupted } from './manifest-file';
import { Recorder } from './recorder';
import { summarize } from './recording-summary';

// The host's recordings: one Recorder per meeting room while it records, one
// composition at a time afterwards (the host has few cores and a meeting may
// be running), and the finished recordings in <dataDir>/recordings for the
// admins of their hub. Both doors (the room's owners and admins, the REST API
// and its command line) start and stop recordings through this class; it
// tells them what happened through its events.

const RECORDING_ID = /^[0-9A-Za-z-]{1,64}$/;
/** Recordings a list shows at most (newest first). */
const LIST_LIMIT = 200;

export interface RecordingsEvents {
  /** Recording started or stopped in `room`: `by` did it (null: the host itself, `message` says why). */
  status: [room: Room, status: RecordingStatus, by: Actor | null, message: string | null];
  /** What became of a recording of `roomId` (capture, composition progress, result), for its hub's admins. */
  progress: [hubId: string, roomId: string, summary: RecordingSummary];
}

/** Who starts a recording: a person in the room, or the host's own door (REST API, command line). */
export interface Starter {
  actor: Actor | null;
  userId: string;
  name: string;
}

interface Running {
  /** Undefined while it starts (the recorder waits for the first packets). */
  recorder: Recorder | undefined;
  /** Settles once start() is done, however it ended. */
  started: Promise<void>;
  room: Room;
  startedBy: Actor | null;
  stoppedBy: Actor | null | undefined;
}

export class Recordings extends EventEmitter<RecordingsEvents> {
  private readonly running = new Map<string, Running>();
  /** Absent when there is no ffmpeg (nothing can be recorded or composed). */
  private readonly compositions: CompositionQueue | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly tool: FfmpegTool,
    private readonly log: Logger,
    composeOptions: Partial<ComposeOptions>,
  ) {
    super();
    if (tool.available)
      this.compositions = new CompositionQueue(tool.path, log, composeOptions, (manifest) =>
        this.emitProgress(manifest),
      );
  }

  /**
   * The recordings under `dataDir`: finds ffmpeg, marks recordings a stopped
   * host left behind as incomplete, and composes every recording that stopped
   * but has no watchable file yet.
   */
  static async open(
    dataDir: string,
    log: Logger,
    options: { tool?: FfmpegTool; compose?: Partial<ComposeOptions> } = {},
  ): Promise<Recordings> {
    const dir = join(dataDir, 'recordings');
    const tool = options.tool ?? (await findFfmpeg());
    const recordings = new Recordings(dir, tool, log, options.compose ?? {});
    if (!tool.available) {
      log.warn(`recording is unavailable: ${tool.reason}`);
      return recordings;
    }
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const id of await recoverInterrupted(dir))
        log.warn(
          { recording: id },
          'a recording was cut short when the host stopped: kept as incomplete',
        );
      for (const manifest of await recordings.manifests())
        if (composesAtStart(manifest)) recordings.enqueueCompose(manifest);
    } catch (error) {
      // A full or read-only disk: recording will say so when someone starts one.
      log.warn({ err: error }, 'the recordings folder could not be prepared');
    }
    return recordings;
  }

  /** What everyone in `room` (or about to join it) is told. */
  status(roomId: string): RecordingStatus {
    const running = this.running.get(roomId);
    // While a recorder is still starting, the room is not recorded yet.
    const recorder = running?.recorder;
    return {
      recording: recorder !== undefined,
      started_at: recorder ? recorder.status().startedAt : null,
      started_by: recorder ? (running?.startedBy ?? null) : null,
      available: this.tool.available,
      unavailable_reason: this.tool.available ? null : this.tool.reason,
    };
  }

  isRecording(roomId: string): boolean {
    return this.running.get(roomId)?.recorder !== undefined;
  }

  async start(room: Room, starter: Starter): Promise<RecordingStatus> {
    if (!this.tool.available)
      throw new HostError('unavailable', `recording is unavailable: ${this.tool.reason}`);
    if (this.closed) throw new HostError('unavailable', 'the host is stopping');
    if (room.isClosed) throw new HostError('not_found', 'the meeting has ended');
    if (this.running.has(room.id))
      throw new HostError('conflict', 'the meeting is already being recorded');
    // Held while the recorder starts, so a second start in the meantime is a conflict too.
    let markStarted!: () => void;
    const entry: Running = {
      recorder: undefined,
      started: new Promise((resolve) => (markStarted = resolve)),
      room,
      startedBy: starter.actor,
      stoppedBy: undefined,
    };
    this.running.set(room.id, entry);
    try {
      return await this.begin(entry, starter, this.tool.path);
    } finally {
      markStarted();
    }
  }

  private async begin(
    entry: Running,
    starter: Starter,
    ffmpegPath: string,
  ): Promise<RecordingStatus> {
    const { room } = entry;
    let recorder: Recorder;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      recorder = await Recorder.start(room, {
        startedBy: { userId: starter.userId, name: starter.name },
        recordingsDir: this.dir,
        ffmpegPath,
      });
    } catch (error) {
      this.running.delete(room.id);
      const code = (error as NodeJS.ErrnoException).code;
      throw new HostError(
        'unavailable',
        code === 'ENOSPC'
          ? 'the host has no disk space left for a recording'
          : `the host cannot write the recording (${code ?? (error as Error).message})`,
      );
    }
    if (this.closed) {
      // The host began to stop while the recorder started (it waits for the first packets).
      this.running.delete(room.id);
      await recorder.stop();
      throw new HostError('unavailable', 'the host is stopping');
    }
    entry.recorder = recorder;
    recorder.on('state', (state) => {
      if (!state.running) void this.finished(entry, recorder);
      else this.emitProgress(recorder.manifest);
    });
    recorder.on('problem', (problem) =>
      this.log.warn({ recording: recorder.id, room: room.id }, `recording: ${problem}`),
    );
    this.log.info(
      { recording: recorder.id, room: room.id, folder: recorder.folder },
      `recording started by ${starter.name}`,
    );
    const status = this.status(room.id);
    this.emit('status', room, status, starter.actor, null);
    this.emitProgress(recorder.manifest);
    // The room may have closed while the recorder started: it then stops at once.
    if (!recorder.running) void this.finished(entry, recorder);
    return status;
  }

  /** Stops the recording of `roomId` (which then gets composed); resolves once its files are final. */
  async stop(roomId: string, by: Actor | null): Promise<void> {
    let entry = this.running.get(roomId);
    if (entry && !entry.recorder) {
      // Asked while it starts (a second or two): stopped once it has started.
      await entry.started;
      entry = this.running.get(roomId);
    }
    const recorder = entry?.recorder;
    if (!entry || !recorder) throw new HostError('conflict', 'the meeting is not being recorded');
    entry.stoppedBy ??= by;
    await recorder.stop();
    await this.finished(entry, recorder);
  }

  /** The recordings of `hubId`, newest first. */
  async list(hubId: string): Promise<RecordingSummary[]> {
    const manifests = await this.manifests();
    return manifests
      .filter((manifest) => manifest.hubId === hubId)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, LIST_LIMIT)
      .map((manifest) => this.summaryOf(manifest));
  }

  /** The composed file of a recording of `hubId`; not_found for anything else. */
  async composedFile(
    hubId: string,
    recordingId: string,
  ): Promise<{ path: string; bytes: number; name: string }> {
    const missing = new HostError('not_found', `no composed recording ${recordingId}`);
    if (!RECORDING_ID.test(recordingId)) throw missing;
    const folder = join(this.dir, recordingId);
    const manifest = await readManifest(folder).catch(() => undefined);
    if (manifest?.hubId !== hubId || manifest.state !== 'composed' || !manifest.composed)
      throw missing;
    const path = join(folder, manifest.composed.file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw missing;
    return { path, bytes: info.size, name: `roundtable-${recordingId}.mp4` };
  }

  /** The host stops: every recording is finalized (and composed at the next start), compositions cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.running.values()].map((entry) => entry.recorder?.stop().catch(() => undefined)),
    );
    await this.compositions?.close();
  }

  private async finished(entry: Running, recorder: Recorder): Promise<void> {
    const { room } = entry;
    if (this.running.get(room.id) !== entry) return;
    this.running.delete(room.id);
    const manifest = await recorder.stop();
    const by = entry.stoppedBy ?? null;
    const message =
      entry.stoppedBy !== undefined ? null : (manifest.problems.at(-1) ?? 'the meeting ended');
    this.log.info(
      { recording: manifest.id, incomplete: manifest.incomplete, problems: manifest.problems },
      'recording stopped',
    );
    if (!room.isClosed) this.emit('status', room, this.status(room.id), by, message);
    this.emitProgress(manifest);
    if (!this.closed) this.enqueueCompose(manifest);
  }

  private enqueueCompose(manifest: RecordingManifest): void {
    this.compositions?.add(join(this.dir, manifest.id), manifest);
  }

  private async manifests(): Promise<RecordingManifest[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const read = await Promise.all(
      names
        .filter((name) => RECORDING_ID.test(name))
        .map((name) => readManifest(join(this.dir, name)).catch(() => undefined)),
    );
    return read.filter((manifest): manifest is RecordingManifest => manifest !== undefined);
  }

  private summaryOf(manifest: RecordingManifest): RecordingSummary {
    const running = [...this.running.values()].some((entry) => entry.recorder?.id === manifest.id);
    return summarize(manifest, {
      running,
      progress: this.compositions?.progressOf(manifest.id),
      unsaidFailure: this.compositions?.unsaidFailureOf(manifest.id),
    });
  }

  private emitProgress(manifest: RecordingManifest): void {
    this.emit('progress', manifest.hubId, manifest.roomId, this.summaryOf(manifest));
  }
}
