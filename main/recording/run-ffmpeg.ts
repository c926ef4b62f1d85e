import { spawn } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { lastLine } from './probe-media';

// Runs one ffmpeg command that writes `-progress pipe:1`, turning its
// out_time into a fraction of the expected length (and a time left, from the
// pace so far), and kills it when the signal aborts: a host shutting down
// must not wait for a long composition to finish. ffmpeg runs below normal
// priority, so live meetings on the same host keep their CPU.

export type Progress = (fraction: number, etaMs?: number) => void;

export type FfmpegOutcome =
  | { ok: true }
  | { ok: false; aborted: true }
  | { ok: false; aborted: false; reason: string; diskFull: boolean };

export function runFfmpeg(
  ffmpegPath: string,
  args: string[],
  options: { expectedMs: number; onProgress?: Progress; signal?: AbortSignal; now?: () => number },
): Promise<FfmpegOutcome> {
  const { expectedMs, onProgress, signal } = options;
  const now = options.now ?? Date.now;
  if (signal?.aborted) return Promise.resolve({ ok: false, aborted: true });
  return new Promise((resolve) => {
    const started = now();
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Meetings still running on this host come first: compose with what they leave.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, constants.priority.PRIORITY_BELOW_NORMAL);
      } catch {
        // Not allowed here: run at normal priority.
      }
    }
    let stderr = '';
    let pending = '';
    let outUs = 0;
    let aborted = false;
    const abort = () => {
      aborted = true;
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', abort, { once: true });

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [key, value] = line.trim().split('=', 2);
        // out_time_us is microseconds; so is out_time_ms, despite its name.
        if (key === 'out_time_us' && /^\d+$/.test(value ?? '')) outUs = Number(value);
        // "progress=end" is left to the caller, which still has to check and move the file.
        if (key !== 'progress' || value === 'end' || !onProgress || aborted) continue;
        const fraction = Math.min(0.999, outUs / 1000 / Math.max(1, expectedMs));
        const elapsed = now() - started;
        const etaMs =
          fraction > 0.01 ? Math.round((elapsed * (1 - fraction)) / fraction) : undefined;
        report(onProgress, fraction, etaMs);
      }
    });

    const finish = (outcome: FfmpegOutcome) => {
      signal?.removeEventListener('abort', abort);
      resolve(outcome);
    };
    child.on('error', (error) => {
      finish({
        ok: false,
        aborted: false,
        reason: `ffmpeg did not start: ${error.message}`,
        diskFull: false,
      });
    });
    child.on('close', (code, killedBy) => {
      if (aborted) return finish({ ok: false, aborted: true });
      if (code === 0) return finish({ ok: true });
      const diskFull = /No space left on device|ENOSPC|Disk quota exceeded/i.test(stderr);
      const why = lastLine(stderr) || (killedBy ? `killed by ${killedBy}` : `exit code ${code}`);
      finish({ ok: false, aborted: false, reason: why, diskFull });
    });
  });
}

/** Calls a progress callback; one that throws must not stop the work it reports on. */
export function report(onProgress: Progress | undefined, fraction: number, etaMs?: number): void {
  try {
    onProgress?.(fraction, etaMs);
  } catch {
    // A failing progress display must not stop the composition.
  }
}
