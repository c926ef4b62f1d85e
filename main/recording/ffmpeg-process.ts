import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

// One ffmpeg child that writes one track file: the parts every track writer
// shares (a cap on how many run, the end of stderr kept for problems, the
// bytes written read from -progress, and how it ended).

/** At most this many ffmpeg writers run in this process, across all recordings. */
export const MAX_LIVE_WRITERS = 96;
/** The end of ffmpeg's stderr kept for a problem's text. */
const STDERR_TAIL_CHARS = 2_000;
/** Longest line kept from ffmpeg's progress output (it is never this long). */
const PROGRESS_LINE_CHARS = 1_000;
/** A cluster per second at most, flushed as it closes: a writer killed mid-write loses about a second. */
const CLUSTER_MS = 1_000;

let liveWriters = 0;

/**
 * The output half of every writer's command line. Matroska because one
 * container takes every codec a producer may send (VP8, VP9, H264 from
 * Safari, Opus; WebM refuses H264) and because it is written cluster by
 * cluster: a file cut short (ffmpeg killed, disk full) stays readable up to
 * its last cluster, unlike MP4 whose index comes last.
 */
export function matroskaOutputArgs(file: string): string[] {
  return [
    ...['-map', '0', '-c', 'copy'],
    ...['-f', 'matroska', '-cluster_time_limit', String(CLUSTER_MS), '-flush_packets', '1'],
    ...['-progress', 'pipe:1', '-stats_period', '1'],
    ...['-y', file],
  ];
}

export interface WriterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the writer was asked to end. */
  requested: boolean;
  /** ffmpeg said the disk is full. */
  diskFull: boolean;
  /** The end of ffmpeg's stderr (warnings and errors). */
  stderr: string;
}

/** What a tap segment needs of the process writing its file. */
export interface TrackWriter {
  /** Resolves when the process is gone, however it ended. */
  readonly exited: Promise<WriterExit>;
  readonly alive: boolean;
  /** Bytes written to the file, from ffmpeg's reports (up to a second behind). */
  readonly bytes: number;
  /** Ends it so the file is finalized; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<WriterExit>;
  /** Ends it at once. */
  kill(): Promise<WriterExit>;
}

export class FfmpegProcess {
  readonly exited: Promise<WriterExit>;
  bytes = 0;
  private exitRequested = false;
  private running = true;
  private stderrTail = '';
  private readonly child: ChildProcess;

  /** Spawns ffmpeg with `args`; throws when too many writers run already. */
  constructor(ffmpegPath: string, args: string[]) {
    if (liveWriters >= MAX_LIVE_WRITERS)
      throw new Error(`too many recording writers at once (${MAX_LIVE_WRITERS})`);
    this.child = spawn(ffmpegPath, ['-hide_banner', '-nostats', '-loglevel', 'warning', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    liveWriters++;
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (!this.running) return;
        this.running = false;
        liveWriters--;
        resolve({
          code,
          signal,
          requested: this.exitRequested,
          diskFull: /no space left on device/i.test(this.stderrTail),
          stderr: this.stderrTail.trim(),
        });
      };
      // 'close' comes after stderr is read to its end (the disk-full message is often last).
      this.child.once('close', done);
      this.child.once('error', (error) => {
        this.keepStderr(`${error.message}\n`);
        done(null, null);
      });
    });
    this.child.stdin?.on('error', () => undefined);
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => this.keepStderr(text));
    let line = '';
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      const lines = (line + text).slice(-PROGRESS_LINE_CHARS).split('\n');
      line = lines.pop() ?? '';
      for (const entry of lines) {
        const size = /^total_size=(\d+)/.exec(entry);
        if (size) this.bytes = Number(size[1]);
      }
    });
  }

  get alive(): boolean {
    return this.running;
  }

  get stdin(): Writable {
    return this.child.stdin!;
  }

  /** From now on its exit is expected, not a failure. */
  expectExit(): void {
    this.exitRequested = true;
  }

  get exitExpected(): boolean {
    return this.exitRequested;
  }

  /** Adds our own words to what the problem will quote. */
  note(text: string): void {
    this.keepStderr(`${text}\n`);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone: 'close' follows.
    }
  }

  kill(): Promise<WriterExit> {
    this.expectExit();
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Runs `timers` (delay → action) until the process exits. */
  escalate(timers: [number, () => void][]): void {
    const handles = timers.map(([ms, action]) => setTimeout(action, ms));
    void this.exited.finally(() => handles.forEach(clearTimeout));
  }

  private keepStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
  }
}

/** A short human-readable reason why a writer ended, for a track's problem. */
export function describeWriterExit(exit: WriterExit): string {
  if (exit.diskFull) return 'the disk is full';
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
  const lastLine = exit.stderr.split('\n').filter(Boolean).pop();
  return `the writer (ffmpeg) ${how}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}`;
}
