import { useMeetingClient } from '../meeting/context';
import type { EndReason } from '../meeting/reconnector';
import { useMeeting } from '../state/store';

/** What the ended screen says, by why the meeting ended for us. */
export const ENDED_TITLE: Record<EndReason, string> = {
  host_ended: 'The host ended the meeting',
  room_deleted: 'The meeting was ended',
  replaced: 'You joined this meeting from another tab or device',
  refused: 'The host no longer lets you in',
  removed: 'You were removed from the meeting',
  ended: 'The meeting was ended for everyone',
  revoked: 'Your membership was revoked',
};

const ENDED_DETAIL: Partial<Record<EndReason, string>> = {
  host_ended: 'When the host starts it again, Rejoin here brings you back.',
  replaced: 'The meeting goes on there. Rejoining here ends it in the other one.',
};

/** After leaving, or after the meeting ended for us on purpose (then it says why, and offers to rejoin here). */
export function Left() {
  const client = useMeetingClient();
  const setSession = useMeeting((s) => s.setSession);
  const ended = useMeeting((s) => s.session.ended);
  const error = useMeeting((s) => s.session.error);
  const rejoining = useMeeting(
    (s) => s.session.ended !== null && s.session.connection === 'connecting',
  );
  return (
    <main className="screen home">
      <section className="card">
        <h2>{ended ? ENDED_TITLE[ended] : 'You left the meeting'}</h2>
        {ended && ENDED_DETAIL[ended] && <p className="muted">{ENDED_DETAIL[ended]}</p>}
        {ended && error && <p className="muted">{error}</p>}
        <div className="row">
          {ended ? (
            <button
              type="button"
              className="primary"
              disabled={rejoining}
              onClick={() => void client.retry()}
            >
              {rejoining ? 'Rejoining…' : 'Rejoin here'}
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => setSession({ phase: 'prejoin', error: null })}
            >
              Rejoin
            </button>
          )}
          <button
            type="button"
            onClick={() => setSession({ phase: 'home', target: null, ended: null, error: null })}
          >
            Home
          </button>
        </div>
      </section>
    </main>
  );
}
