import { useId, useState } from 'react';
import { closeControlMenu } from '../../components/ControlMenu';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { clockTime } from '../room-tools/chat-format';
import { describeRecordingError, unavailableReason } from './describe';
import './recording.css';

/**
 * Host controls' recording items (HostControls shows them to owners and
 * admins): Start recording, after a confirmation (RecordingDialogs), or Stop
 * recording; disabled with the host's reason when it cannot record; and the
 * hub's Recordings. Nothing while the host has not said where recording
 * stands (a host without recording never does).
 */
export function RecordingMenuItems() {
  const client = useMeetingClient();
  const status = useMeeting((s) => s.recording.status);
  const setDialog = useMeeting((s) => s.setRecordingDialog);
  const notify = useMeeting((s) => s.showModerationNotice);
  const [stopping, setStopping] = useState(false);
  const hintId = useId();
  if (!status) return null;

  const reason = status.recording ? null : unavailableReason(status);
  const hint =
    reason ??
    (status.recording && status.started_at
      ? `Recording since ${clockTime(status.started_at)}. Everyone in the meeting can see it.`
      : null);

  const startOrStop = (item: HTMLElement) => {
    closeControlMenu(item);
    if (!status.recording) return setDialog('confirm-start');
    setStopping(true);
    client.recording
      .stop()
      .catch((error: unknown) => notify(describeRecordingError(error)))
      .finally(() => setStopping(false));
  };

  return (
    <>
      <button
        type="button"
        className="rec-menu-item"
        disabled={reason !== null || stopping}
        aria-describedby={hint ? hintId : undefined}
        onClick={(event) => startOrStop(event.currentTarget)}
      >
        <span className="rec-dot" aria-hidden="true" />
        {status.recording ? 'Stop recording' : 'Start recording'}
      </button>
      {hint && (
        <p id={hintId} className="hc-hint rec-hint">
          {hint}
        </p>
      )}
      <button
        type="button"
        onClick={(event) => {
          closeControlMenu(event.currentTarget);
          setDialog('list');
        }}
      >
        Recordings
      </button>
    </>
  );
}
