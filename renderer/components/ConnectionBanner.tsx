import { useMeetingClient } from '../meeting/context';
import { useMeeting } from '../state/store';

/** Says honestly how the connection is, with a retry when it gave up. */
export function ConnectionBanner() {
  const client = useMeetingClient();
  const connection = useMeeting((s) => s.session.connection);
  const error = useMeeting((s) => s.session.error);
  if (connection === 'connected' && !error) return null;
  const text =
    connection === 'reconnecting'
      ? 'Connection lost. Reconnecting…'
      : connection === 'failed'
        ? (error ?? 'Could not reconnect.')
        : connection === 'connecting'
          ? 'Connecting…'
          : error;
  return (
    <div className={`banner ${connection}`} role="status" aria-live="polite">
      <span>{text}</span>
      {connection === 'failed' && (
        <button type="button" onClick={() => void client.retry()}>
          Retry
        </button>
      )}
      {connection === 'connected' && error && (
        <button type="button" onClick={() => useMeeting.getState().setSession({ error: null })}>
          Dismiss
        </button>
      )}
    </div>
  );
}
