import type { StateCreator } from 'zustand';
import type { RecordingStatus, RecordingSummary } from '../../../shared/protocol/recording';

// The store's slice for recording (written by recording-client.ts): whether
// the meeting is being recorded, as everyone in it sees it; the last start or
// stop in words, for the room's indicator to say; the hub's recordings for
// admins (the list, then each progress push); and which dialog is open.

/** The confirmation before starting, or the list of the hub's recordings. */
export type RecordingDialog = 'confirm-start' | 'list';

export interface RecordingSlice {
  recording: {
    /** Where the meeting's recording stands; null until the host says (an older host never does). */
    status: RecordingStatus | null;
    /** The last start or stop in words ("Ada started recording"); null until one happens. */
    change: string | null;
    /** The hub's recordings by id (admins only). */
    summaries: Record<string, RecordingSummary>;
    dialog: RecordingDialog | null;
  };
  /** The host said where recording stands; `change` says what changed, when something did. */
  setRecordingStatus(status: RecordingStatus, change?: string | null): void;
  /** The whole list (recording.list): replaces what we had. */
  setRecordingSummaries(summaries: RecordingSummary[]): void;
  /** One recording as it records, stops, composes, finishes (downstream-recording-progress). */
  updateRecordingSummary(summary: RecordingSummary): void;
  setRecordingDialog(dialog: RecordingDialog | null): void;
  /** The meeting is over for us: its recording state goes. */
  clearRecording(): void;
}

const EMPTY: RecordingSlice['recording'] = {
  status: null,
  change: null,
  summaries: {},
  dialog: null,
};

/** The summaries newest first, as the Recordings dialog lists them. */
export function newestFirst(summaries: Record<string, RecordingSummary>): RecordingSummary[] {
  return Object.values(summaries).sort(
    (a, b) => b.started_at - a.started_at || b.recording_id.localeCompare(a.recording_id),
  );
}

export const recordingSlice: StateCreator<RecordingSlice, [], [], RecordingSlice> = (set) => {
  const patch = (change: Partial<RecordingSlice['recording']>) =>
    set((s) => ({ recording: { ...s.recording, ...change } }));
  return {
    recording: EMPTY,
    setRecordingStatus: (status, change) =>
      set((s) => ({
        recording: {
          ...s.recording,
          status,
          change: change === undefined ? s.recording.change : change,
        },
      })),
    setRecordingSummaries: (list) =>
      patch({
        summaries: Object.fromEntries(list.map((summary) => [summary.recording_id, summary])),
      }),
    updateRecordingSummary: (summary) =>
      set((s) => ({
        recording: {
          ...s.recording,
          summaries: { ...s.recording.summaries, [summary.recording_id]: summary },
        },
      })),
    setRecordingDialog: (dialog) => patch({ dialog }),
    clearRecording: () => set({ recording: EMPTY }),
  };
};
