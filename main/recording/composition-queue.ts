import { join } from 'node:path';
import type { Logger } from '../host/logger';
import { compose, type ComposeOptions } from './composer';
import type { RecordingManifest } from './manifest';
import { readManifest } from './manifest-file';
import { formatBytes, formatDuration } from './recording-summary';

// Stopped recordings are composed here one after another: the host has few
// cores and a meeting may be running. Progress goes to the terminal every 5 %
// and to whoever listens on every whole percent.

/**
 * What a start composes: recordings that stopped without a file (the host
 * stopped first), and those whose composition found the disk full (there
 * may be room now). Other failures would fail again.
 */
export function composesAtStart(manifest: RecordingManifest): boolean {
  if (manifest.state === 'stopped' || manifest.state === 'composing') return true;
  return manifest.state === 'compose_failed' && /disk is full/.test(manifest.problems.at(-1) ?? '');
}

export class CompositionQueue {
  /** Compositions run one after another on this chain. */
  private chain: Promise<void> = Promise.resolve();
  private readonly progress = new Map<string, number>();
  /** Compositions that failed where the manifest could not say so (a full disk). */
  private readonly unsaidFailures = new Map<string, string>();
  private readonly abort = new AbortController();

  constructor(
    private readonly ffmpegPath: string,
    private readonly log: Logger,
    private readonly options: Partial<ComposeOptions>,
    /** Told of each change: `composing` as it goes, then the manifest as it ended. */
    private readonly changed: (manifest: RecordingManifest) => void,
  ) {}

  add(folder: string, manifest: RecordingManifest): void {
    this.chain = this.chain.then(() => this.composeOne(folder, manifest));
  }

  /** 0 to 1 while `recordingId` is being composed. */
  progressOf(recordingId: string): number | undefined {
    return this.progress.get(recordingId);
  }

  unsaidFailureOf(recordingId: string): string | undefined {
    return this.unsaidFailures.get(recordingId);
  }

  /** Cancels the composition under way and those waiting (they are composed at the next start). */
  async close(): Promise<void> {
    this.abort.abort();
    await this.chain;
  }

  private async composeOne(folder: string, queued: RecordingManifest): Promise<void> {
    if (this.abort.signal.aborted) return;
    const id = queued.id;
    let lastShown = -1;
    const progress = (fraction: number) => {
      this.progress.set(id, fraction);
      const percent = Math.floor(fraction * 100);
      // Every 5 % on the terminal; every whole percent to the listeners.
      if (percent === lastShown) return;
      if (Math.floor(percent / 5) !== Math.floor(lastShown / 5))
        this.log.info({ recording: id }, `composing recording ${id}: ${percent} %`);
      lastShown = percent;
      this.changed({ ...queued, state: 'composing' });
    };
    this.progress.set(id, 0);
    progress(0);
    const result = await compose(folder, {
      ...this.options,
      ffmpegPath: this.ffmpegPath,
      onProgress: progress,
      signal: this.abort.signal,
    }).catch((error: unknown) => ({ outcome: 'failed' as const, problem: String(error) }));
    this.progress.delete(id);
    const manifest = await readManifest(folder).catch(() => queued);
    if (result.outcome === 'composed') {
      const { bytes, durationMs } = result.composed;
      this.log.info(
        { recording: id, file: join(folder, result.composed.file) },
        `recording ${id} is ready: ${join(folder, result.composed.file)} (${formatBytes(bytes)}, ${formatDuration(durationMs)})`,
      );
    } else if (result.outcome === 'failed') {
      this.log.warn({ recording: id }, `recording ${id} could not be composed: ${result.problem}`);
      if (manifest.state === 'composing') this.unsaidFailures.set(id, result.problem);
    }
    this.changed(manifest);
  }
}
