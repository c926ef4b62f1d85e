import type { FfmpegProcess, TrackWriter, WriterExit } from './ffmpeg-process';

/**
 * The TrackWriter half every ffmpeg writer shares over its FfmpegProcess:
 * its state, a stop() that acts once, and kill(). Each writer says only how
 * its ffmpeg is told to finish the file (finishFile).
 */
export abstract class FfmpegTrackWriter implements TrackWriter {
  protected constructor(protected readonly process: FfmpegProcess) {}

  get exited(): Promise<WriterExit> {
    return this.process.exited;
  }

  get alive(): boolean {
    return this.process.alive;
  }

  get bytes(): number {
    return this.process.bytes;
  }

  /** Running and not asked to end yet: what comes now still belongs in the file. */
  protected get writing(): boolean {
    return this.process.alive && !this.process.exitExpected;
  }

  /** Ends ffmpeg so the file is finalized; SIGKILL after `timeoutMs`. Acts once. */
  stop(timeoutMs = 5_000): Promise<WriterExit> {
    if (this.writing) {
      this.process.expectExit();
      const steps = this.finishFile();
      this.process.escalate([...steps, [timeoutMs, () => this.process.signal('SIGKILL')]]);
    }
    return this.process.exited;
  }

  kill(): Promise<WriterExit> {
    return this.process.kill();
  }

  /**
   * Tells ffmpeg to finish the file (stop() calls it once) and returns the
   * further steps to take while it has not exited (delay → action); SIGKILL
   * after stop()'s timeout follows them anyway.
   */
  protected abstract finishFile(): [number, () => void][];
}
