import { useEffect, useState } from 'react';
import type { RecordingSummary } from '../../../shared/protocol/recording';
import { Dialog } from '../../components/Dialog';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { ConfirmActionDialog } from '../moderation/ConfirmActionDialog';
import { isAdmin } from '../moderation/peer-actions';
import {
  describeDownloadError,
  describeListError,
  describeRecordingError,
  describeState,
  formatBytes,
  formatDuration,
  formatWhen,
  recordingLength,
} from './describe';
import { useRecordingsFolder } from './desktop';
import { newestFirst } from './slice';
import './recording.css';

/**
 * Recording's dialogs, opened from Host controls (owners and admins only):
 * the confirmation before starting, and the hub's recordings.
 */
export function RecordingDialogs() {
  const dialog = useMeeting((s) => s.recording.dialog);
  const admin = useMeeting((s) => isAdmin(s.session.self?.privilege));
  if (!admin || !dialog) return null;
  return dialog === 'confirm-start' ? <StartConfirmation /> : <RecordingsDialog />;
}

/** "Start recording?": everyone is told, so the admin knows before they start. */
function StartConfirmation() {
  const client = useMeetingClient();
  const setDialog = useMeeting((s) => s.setRecordingDialog);
  const [step, setStep] = useState<{ sending: boolean; error: string | null }>({
    sending: false,
    error: null,
  });
  const close = () => setDialog(null);
  const start = () => {
    setStep({ sending: true, error: null });
    client.recording
      .start()
      .then(close, (error: unknown) =>
        setStep({ sending: false, error: describeRecordingError(error) }),
      );
  };
  return (
    <ConfirmActionDialog
      title="Start recording?"
      onCancel={close}
      action={{
        // The host answers once the first packets are written: a second or two.
        label: step.sending ? 'Starting…' : 'Start recording',
        tone: 'primary',
        disabled: step.sending,
        onClick: start,
      }}
      error={step.error}
    >
      <p>
        Everyone in the meeting will be told that it is being recorded, and so will people who join
        while it is. The host keeps the recording; admins can download it once it is ready.
      </p>
    </ConfirmActionDialog>
  );
}

type Listing = { state: 'loading' } | { state: 'loaded' } | { state: 'failed'; error: string };

/**
 * The hub's recordings, newest first: when, how long, how big, what became of
 * each (recording, composing with its progress, ready, failed; incomplete with
 * what went wrong), Download for the ready ones and, in the desktop app that
 * hosts, Open folder. Asked for on opening; the host's progress pushes keep it
 * up to date while it is open.
 */
function RecordingsDialog() {
  const client = useMeetingClient();
  const setDialog = useMeeting((s) => s.setRecordingDialog);
  const summaries = useMeeting((s) => s.recording.summaries);
  const openFolder = useRecordingsFolder();
  const [listing, setListing] = useState<Listing>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [folderError, setFolderError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    client.recording.list().then(
      () => current && setListing({ state: 'loaded' }),
      (error: unknown) =>
        current && setListing({ state: 'failed', error: describeListError(error) }),
    );
    return () => {
      current = false;
    };
  }, [client, attempt]);

  const list = newestFirst(summaries);
  return (
    <Dialog open title="Recordings" className="rec-dialog" onClose={() => setDialog(null)}>
      <p className="muted">
        The recordings of this meeting’s host, newest first. They stay on the host’s computer.
      </p>
      {openFolder && (
        <div className="row">
          <button
            type="button"
            onClick={() => {
              setFolderError(null);
              openFolder().catch(() => setFolderError('Could not open the recordings folder.'));
            }}
          >
            Open folder
          </button>
          {folderError && (
            <p role="alert" className="error">
              {folderError}
            </p>
          )}
        </div>
      )}
      {listing.state === 'failed' && (
        <div className="row" role="alert">
          <p className="error">{listing.error}</p>
          <button
            type="button"
            onClick={() => {
              setListing({ state: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
      {list.length > 0 ? (
        <ul className="rec-list" aria-label="Recordings, newest first">
          {list.map((summary) => (
            <RecordingItem key={summary.recording_id} summary={summary} />
          ))}
        </ul>
      ) : listing.state === 'loading' ? (
        <p className="muted">Loading the recordings…</p>
      ) : listing.state === 'loaded' ? (
        <p className="muted">No recordings yet. Start one from Host controls.</p>
      ) : null}
    </Dialog>
  );
}

/** One recording: when, length and size, its state, and Download once composed. */
function RecordingItem({ summary }: { summary: RecordingSummary }) {
  const client = useMeetingClient();
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const when = formatWhen(summary.started_at);
  const length = recordingLength(summary);
  const facts = [
    length !== null && formatDuration(length),
    summary.file && formatBytes(summary.file.bytes),
  ].filter(Boolean);
  const state = describeState(summary);
  const ready = summary.state === 'composed' && summary.file !== null;
  const size = summary.file ? ` (${formatBytes(summary.file.bytes)})` : '';

  const download = () => {
    setDownloading(true);
    setError(null);
    client.recording
      .download(summary)
      .catch((failure: unknown) => setError(describeDownloadError(failure)))
      .finally(() => setDownloading(false));
  };

  return (
    <li className="rec-item" data-testid={`recording-${summary.recording_id}`}>
      <div className="rec-item-main">
        <h3 className="rec-when">
          <time dateTime={new Date(summary.started_at).toISOString()}>{when}</time>
        </h3>
        {facts.length > 0 && <p className="rec-facts muted">{facts.join(' · ')}</p>}
        <p
          className={`rec-state rec-state-${summary.state}${summary.state === 'compose_failed' ? ' error' : ''}`}
        >
          {summary.state === 'recording' && <span className="rec-dot" aria-hidden="true" />}
          {state}
        </p>
        {summary.state === 'composing' && (
          <progress
            className="rec-progress"
            max={1}
            value={summary.progress ?? undefined}
            aria-label={`Composing the recording of ${when}`}
          />
        )}
        {summary.incomplete && (
          <details className="rec-problems">
            <summary>
              <span className="rec-badge">Incomplete</span>
              <span className="rec-problems-label">What went wrong</span>
            </summary>
            {summary.problems.length > 0 ? (
              <ul>
                {summary.problems.map((problem, index) => (
                  <li key={index}>{problem}</li>
                ))}
              </ul>
            ) : (
              <p>Part of the meeting is missing from the recording.</p>
            )}
          </details>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
      {ready && (
        <button
          type="button"
          className="primary rec-download"
          disabled={downloading}
          aria-label={`${downloading ? 'Downloading' : 'Download'} the recording of ${when}${size}`}
          onClick={download}
        >
          {downloading ? 'Downloading…' : 'Download'}
        </button>
      )}
    </li>
  );
}
