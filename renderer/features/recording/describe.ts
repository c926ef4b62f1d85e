import { MessageRejectedError } from '../../../shared/client/message-socket';
import { ServiceCallError } from '../../../shared/client/service-client';
import type { Actor } from '../../../shared/protocol/moderation';
import type { RecordingStatus, RecordingSummary } from '../../../shared/protocol/recording';
import { describeModerationError } from '../moderation/describe';

// The words people see and hear about recording: one place, so the client,
// the components and their tests say the same.

export const BEING_RECORDED = 'This meeting is being recorded';

/** The host's words as a sentence of ours: capital first, a full stop last. */
function asSentence(words: string): string {
  const trimmed = words.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** The host's words after a colon of ours: no full stop at the end. */
function asClause(words: string): string {
  return words.trim().replace(/[.!]+$/, '');
}

function who(by: Actor, selfPeerId: string | null): string {
  return by.peer_id === selfPeerId ? 'You' : by.display_name;
}

/**
 * What changed between two statuses, in words: "Ada started recording",
 * "Recording stopped. The disk on the host is full." Null when recording
 * neither started nor stopped. `by` null: the host did it (its terminal, its
 * REST API, a full disk), or it happened while we were away.
 */
export function describeRecordingChange(
  before: RecordingStatus,
  after: RecordingStatus,
  by: Actor | null,
  message: string | null,
  selfPeerId: string | null,
): string | null {
  if (before.recording === after.recording) return null;
  const actor = by ?? (after.recording ? after.started_by : null);
  const base = after.recording
    ? actor
      ? `${who(actor, selfPeerId)} started recording`
      : 'Recording started'
    : actor
      ? `${who(actor, selfPeerId)} stopped recording`
      : 'Recording stopped';
  return message?.trim() ? `${base}. ${asSentence(message)}` : base;
}

/** Why admins cannot start a recording now, or null when they can. */
export function unavailableReason(status: RecordingStatus): string | null {
  if (status.available) return null;
  return `Recording is unavailable: ${asClause(status.unavailable_reason ?? 'this host cannot record')}`;
}

/** Words for a start or stop the host refused, or one that could not be sent. */
export function describeRecordingError(error: unknown): string {
  if (error instanceof MessageRejectedError) {
    const reason: string = error.reason;
    if (reason === 'forbidden') return 'Not done: only the meeting’s admins can record.';
    if (reason === 'unavailable') return `Recording is unavailable: ${asClause(error.message)}`;
    // Already recording, or not recording (a second admin was quicker).
    if (reason === 'out_of_order' || reason === 'conflict')
      return `Not done: ${asClause(error.message)}`;
  }
  return describeModerationError(error);
}

/** Words for a list of recordings the host did not give. */
export function describeListError(error: unknown): string {
  if (error instanceof ServiceCallError) {
    if (error.reason === 'forbidden')
      return 'Could not list the recordings: only the meeting’s admins can see them.';
    const hostWords = error.message.replace(`${error.service}: `, '');
    return `Could not list the recordings: ${asClause(hostWords)}.`;
  }
  return 'Could not list the recordings: the host did not answer.';
}

/** The host did not hand over a recording's file. */
export class RecordingDownloadError extends Error {
  override readonly name = 'RecordingDownloadError';
  constructor(
    readonly status: number,
    hostMessage: string | null,
  ) {
    super(
      status === 401 || status === 403
        ? 'Could not download: only the meeting’s admins can download recordings.'
        : status === 404
          ? 'Could not download: the file is no longer on the host.'
          : `Could not download${hostMessage ? `: ${asClause(hostMessage)}` : ` (the host answered ${status})`}.`,
    );
  }
}

/** Words for a download that failed. */
export function describeDownloadError(error: unknown): string {
  if (error instanceof RecordingDownloadError) return error.message;
  return 'Could not download: the host did not answer.';
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** A file's size as people read it: "812 bytes", "4.2 MB", "245 MB", "1.3 GB" (1 KB = 1000 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  for (value /= 1000; value >= 999.5 && unit < BYTE_UNITS.length - 1; unit++) value /= 1000;
  const shown = value < 9.95 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** A length as people say it: "45 s", "12 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  if (m) return s ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** When a recording started, in the reader's own date and time format. */
export function formatWhen(ms: number): string {
  return WHEN.format(new Date(ms));
}

/** How long a recording is: its file's length once composed, else from its start to its stop. */
export function recordingLength(summary: RecordingSummary): number | null {
  if (summary.file) return summary.file.duration_ms;
  return summary.stopped_at === null ? null : summary.stopped_at - summary.started_at;
}

/** What became of a recording, in a few words (the dialog adds the progress bar). */
export function describeState(summary: RecordingSummary): string {
  switch (summary.state) {
    case 'recording':
      return 'Recording…';
    case 'stopped':
      return 'Stopped, waiting to be composed';
    case 'composing':
      return summary.progress === null
        ? 'Composing…'
        : `Composing ${Math.round(summary.progress * 100)} %`;
    case 'composed':
      return 'Ready';
    case 'compose_failed': {
      const reason = summary.problems.at(-1);
      return reason ? `Failed: ${asClause(reason)}` : 'Failed';
    }
  }
}
