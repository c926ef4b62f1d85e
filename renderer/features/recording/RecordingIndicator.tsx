import { useEffect, useState } from 'react';
import { useMeeting } from '../../state/store';
import { clockTime } from '../room-tools/chat-format';
import { BEING_RECORDED } from './describe';
import './recording.css';

/**
 * For everyone in the room while the meeting is being recorded: a red dot
 * and "Recording" at the top left. It sits in a polite live region that also
 * says each start and stop ("Ada started recording", "Recording stopped. The
 * disk on the host is full."), and, on entering a meeting being recorded,
 * that it is. (Notices toasts the same words without saying them again.)
 */
export function RecordingIndicator() {
  const status = useMeeting((s) => s.recording.status);
  const change = useMeeting((s) => s.recording.change);
  const selfPeerId = useMeeting((s) => s.session.self?.peerId);
  // A live region announces changes, not what it held when it appeared: say it once it is there.
  const [listening, setListening] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setListening(true), 100);
    return () => clearTimeout(timer);
  }, []);

  const recording = status?.recording ?? false;
  const said = change ?? (recording ? BEING_RECORDED : null);
  const startedBy = status?.started_by;
  const since = status?.started_at ? ` since ${clockTime(status.started_at)}` : '';
  const by = startedBy
    ? `, started by ${startedBy.peer_id === selfPeerId ? 'you' : startedBy.display_name}`
    : '';
  return (
    <div
      className="rec-indicator"
      aria-live="polite"
      aria-atomic="true"
      data-testid="recording-indicator"
    >
      {recording && (
        <p className="rec-pill" title={`${BEING_RECORDED}${since}${by}`}>
          <span className="rec-dot" aria-hidden="true" />
          Recording
        </p>
      )}
      {listening && said && (
        <span className="visually-hidden">{recording ? `. ${said}` : said}</span>
      )}
    </div>
  );
}
