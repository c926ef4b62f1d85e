import { useEffect, useId, useState } from 'react';
import type { DesktopBridge, FoundMeeting } from '../../../shared/desktop/bridge';

/**
 * The desktop app's "Meetings on this network": every meeting a host
 * announces on the LAN, live, each opening its page, where one asks to join
 * (trusting exactly the certificate the host announced).
 */
export function NetworkMeetings({ desktop }: { desktop: DesktopBridge }) {
  const headingId = useId();
  const [meetings, setMeetings] = useState<FoundMeeting[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => desktop.watchMeetings(setMeetings), [desktop]);

  const open = (meeting: FoundMeeting) => {
    setError(null);
    desktop.openMeeting(meeting.urls[0]!, meeting.fingerprint).catch((failure: unknown) => {
      setError(
        `Could not open ${meeting.name}: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    });
  };

  const reachable = (meetings ?? []).filter((meeting) => meeting.urls.length > 0);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Meetings on this network</h2>
      {reachable.length === 0 ? (
        <p className="muted" role="status">
          {meetings === null
            ? 'Looking for meetings on this network…'
            : 'No meeting is announced on this network right now.'}
        </p>
      ) : (
        <ul className="network-meetings">
          {reachable.map((meeting) => (
            <li key={`${meeting.hostName}|${meeting.name}`}>
              <span>
                <strong>{meeting.name}</strong>
                <span className="muted"> on {meeting.hostName}</span>
              </span>
              <button
                type="button"
                aria-label={`Ask to join ${meeting.name}`}
                onClick={() => open(meeting)}
              >
                Ask to join
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
