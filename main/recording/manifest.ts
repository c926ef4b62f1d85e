import { z } from 'zod';

// A recording's manifest: what the capture side wrote and what the composer
// reads. One JSON file (manifest.json) per recording folder:
//
//   <dataDir>/recordings/<recording id>/
//     manifest.json     this file, rewritten atomically (write temp + rename)
//     tracks/           one file per recorded track, copied from RTP without transcoding
//     <composed file>   the one watchable file, once composed
//
// Every time is milliseconds since the recording's start (`startedAt`), so the
// composer lines tracks up without trusting the files' own clocks.

export const MANIFEST_FILE = 'manifest.json';
export const TRACKS_DIR = 'tracks';

export const recordedTrackSchema = z.object({
  /** Unique in the recording; also the start of the track file's name. */
  id: z.string().min(1),
  /** Relative to the recording folder, e.g. "tracks/t3-camera.mkv". */
  file: z.string().min(1),
  kind: z.enum(['audio', 'video']),
  source: z.enum(['microphone', 'camera', 'screen']),
  /** The codec as mediasoup names it, e.g. "video/VP8", "audio/opus". */
  mimeType: z.string(),
  peerId: z.string(),
  userId: z.string(),
  /** The name people saw on the tile ("Bob (2)"). */
  displayName: z.string(),
  producerId: z.string(),
  /** When the track's first packet was written (ms since the recording's start). */
  startMs: z.number().nonnegative(),
  /** When the track ended (producer closed, recording stopped); absent while it runs or when the host stopped mid-write. */
  endMs: z.number().nonnegative().optional(),
  /** Times the sender paused this track (muted, camera off): no media flows between `fromMs` and `toMs`. */
  pauses: z
    .array(
      z.object({ fromMs: z.number().nonnegative(), toMs: z.number().nonnegative().optional() }),
    )
    .default([]),
  /** Why the track's file may end early or be damaged (the writer died, the disk filled); absent when it is whole. */
  problem: z.string().optional(),
});
export type RecordedTrack = z.infer<typeof recordedTrackSchema>;

export const composedFileSchema = z.object({
  /** Relative to the recording folder. */
  file: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  composedAt: z.number(),
});
export type ComposedFile = z.infer<typeof composedFileSchema>;

export const recordingStateSchema = z.enum([
  /** Tracks are being written. */
  'recording',
  /** Capture ended; the composer may run. */
  'stopped',
  /** The composer is running. */
  'composing',
  /** The watchable file exists (`composed`). */
  'composed',
  /** Composition failed (`problems` says why); the raw tracks are kept and it can be tried again. */
  'compose_failed',
]);
export type RecordingState = z.infer<typeof recordingStateSchema>;

export const recordingManifestSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  roomId: z.string(),
  hubId: z.string(),
  /** Epoch ms. */
  startedAt: z.number(),
  /** Epoch ms; absent while recording (or when the host stopped before it could write it). */
  stoppedAt: z.number().optional(),
  startedBy: z.object({ userId: z.string(), name: z.string() }),
  state: recordingStateSchema,
  /**
   * True when something cut the recording short or damaged part of it (disk
   * full, a writer or worker died, the host stopped mid-recording): what was
   * written is kept and can still be composed.
   */
  incomplete: z.boolean().default(false),
  /** Human-readable reasons, oldest first. */
  problems: z.array(z.string()).default([]),
  tracks: z.array(recordedTrackSchema),
  composed: composedFileSchema.optional(),
});
export type RecordingManifest = z.infer<typeof recordingManifestSchema>;
