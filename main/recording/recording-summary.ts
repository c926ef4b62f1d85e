import type { RecordingSummary } from '../../shared/protocol/recording';
import type { RecordingManifest } from './manifest';

/**
 * A recording as admins see it (downstream-recording-progress, recording.list):
 * its manifest, and what only the running host knows: whether it still
 * records, how far its composition is, and a composition failure the full
 * disk kept out of the manifest.
 */
export function summarize(
  manifest: RecordingManifest,
  now: { running: boolean; progress: number | undefined; unsaidFailure: string | undefined },
): RecordingSummary {
  const unsaid = manifest.state === 'composing' ? now.unsaidFailure : undefined;
  const state = now.running
    ? 'recording'
    : now.progress !== undefined
      ? 'composing'
      : unsaid !== undefined
        ? 'compose_failed'
        : manifest.state;
  return {
    recording_id: manifest.id,
    started_at: manifest.startedAt,
    stopped_at: manifest.stoppedAt ?? null,
    state,
    progress: now.progress ?? null,
    incomplete: manifest.incomplete,
    problems: unsaid ? [...manifest.problems, `composition failed: ${unsaid}`] : manifest.problems,
    file: manifest.composed
      ? {
          name: manifest.composed.file,
          bytes: manifest.composed.bytes,
          duration_ms: manifest.composed.durationMs,
        }
      : null,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
