import { z } from 'zod';
import type { Actor } from './moderation';

// Recording on the host: owners and admins start and stop it from the room
// (`meeting.upstream-recording-start` / `-stop`); everyone in the room is told
// while it runs; admins follow the composition of the watchable file and list
// and download finished recordings (service calls `recording.list`, and
// GET /-/recordings/<id>/file with their credential). docs/protocol.md
// describes each message.

export function recordingSchemas<E extends z.ZodRawShape>(envelope: E) {
  return {
    /** Start recording the meeting (owners and admins). */
    'upstream-recording-start': z.object({ ...envelope }),
    /** Stop recording; the host then composes the watchable file. */
    'upstream-recording-stop': z.object({ ...envelope }),
  };
}

export const RECORDING_NAMES = ['upstream-recording-start', 'upstream-recording-stop'] as const;
export type RecordingName = (typeof RECORDING_NAMES)[number];

/** Whether the meeting is being recorded, as everyone in it (and people about to join) sees it. */
export interface RecordingStatus {
  recording: boolean;
  /** When the running recording started (ms since the epoch); null when not recording. */
  started_at: number | null;
  /** Who started it; null when not recording, or when the host's terminal or REST API did. */
  started_by: Actor | null;
  /** Whether this host can record at all (it has ffmpeg); `unavailable_reason` says why not. */
  available: boolean;
  unavailable_reason: string | null;
}

/** What became of one recording, for admins: composing with its progress, ready, or failed. */
export interface RecordingSummary {
  recording_id: string;
  started_at: number;
  /** Null while recording (or when the host stopped before it could say). */
  stopped_at: number | null;
  state: 'recording' | 'stopped' | 'composing' | 'composed' | 'compose_failed';
  /** Composition progress from 0 to 1 while composing. */
  progress: number | null;
  /** Something cut the recording short or damaged part of it; what was written is kept. */
  incomplete: boolean;
  problems: string[];
  /** The watchable file once composed. */
  file: { name: string; bytes: number; duration_ms: number } | null;
}

export interface RecordingPayloads {
  /**
   * To everyone in the room: right after access and whenever recording
   * starts or stops (`by` names who did it then; null on the first push and
   * when the host itself stopped it, e.g. for a full disk: `message` says why).
   */
  'downstream-recording': {
    room_id: string;
    by: Actor | null;
    message: string | null;
  } & RecordingStatus;
  /** To the admins in the room: a recording's composition progress and result. */
  'downstream-recording-progress': { room_id: string } & RecordingSummary;
}
