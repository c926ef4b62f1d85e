import { useCallback, useSyncExternalStore } from 'react';
import { useMeetingClient } from '../meeting/context';
import { useMeeting } from '../state/store';

const TICK_MS = 250;

/** The clock, re-read every tick while `active` (and not at all otherwise). */
function useNow(active: boolean): number {
  const subscribe = useCallback(
    (onTick: () => void) => {
      if (!active) return () => undefined;
      const timer = setInterval(onTick, TICK_MS);
      return () => clearInterval(timer);
    },
    [active],
  );
  return useSyncExternalStore(subscribe, () => Math.floor(Date.now() / TICK_MS) * TICK_MS);
}

/**
 * Says honestly how the connection is. While the client reconnects (it never
 * gives up while the page is open) it says so, counts down to the next try and
 * offers to try now. An error about the devices shows with a Dismiss.
 */
export function ConnectionBanner() {
  const client = useMeetingClient();
  const connection = useMeeting((s) => s.session.connection);
  const nextAttemptAt = useMeeting((s) => s.session.nextAttemptAt);
  const error = useMeeting((s) => s.session.error);
  const reconnecting = connection === 'reconnecting';
  const now = useNow(reconnecting && nextAttemptAt !== null);

  if (reconnecting) {
    const waiting = nextAttemptAt !== null;
    const seconds = waiting ? Math.max(1, Math.ceil((nextAttemptAt - now) / 1000)) : 0;
    return (
      <div className="banner reconnecting" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        <span>Reconnecting to the host…</span>
        {/* The countdown ticks every second: read on demand, not announced each time. */}
        <span className="countdown" aria-live="off">
          {waiting ? `Next try in ${seconds} s` : 'Trying now'}
        </span>
        <button type="button" disabled={!waiting} onClick={() => void client.retry()}>
          Retry now
        </button>
      </div>
    );
  }
  if (!error) return null;
  return (
    <div className={`banner ${connection}`} role="status" aria-live="polite">
      <span>{error}</span>
      <button type="button" onClick={() => useMeeting.getState().setSession({ error: null })}>
        Dismiss
      </button>
    </div>
  );
}
