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
  removed: 'You can join again when this meeting has ended.',
  ended: 'Rejoin starts the meeting again with the same link.',
  revoked: 'Your invite no longer works here. Ask the host for a new invite link.',
};

/** Ended in a way that joining again cannot undo now: no rejoin is offered, only Home. */
const NO_REJOIN: ReadonlySet<EndReason> = new Set(['removed', 'revoked']);

/**
 * After leaving, or after the meeting ended for us on purpose: it says why
 * (in the host's words when an admin did it: "Ada removed you from the
 * meeting") and offers to rejoin here where that can work.
 */
export function Left() {
  const client = useMeetingClient();
  const setSession = useMeeting((s) => s.setSession);
  const ended = useMeeting((s) => s.session.ended);
  const error = useMeeting((s) => s.session.error);
  const closed = useMeeting((s) => s.moderation.closed);
  const rejoining = useMeeting(
    (s) => s.session.ended !== null && s.session.connection === 'connecting',
  );
  // The host's words ("Ada ended the meeting for everyone") for the way it ended.
  const hostSaid = ended && closed?.reason === ended && closed.message ? closed.message : null;
  const title = ended
    ? ended === 'ended' && hostSaid
      ? hostSaid
      : ENDED_TITLE[ended]
    : 'You left the meeting';
  const said = hostSaid && hostSaid !== title ? hostSaid : null;
  const home = () => setSession({ phase: 'home', target: null, ended: null, error: null });
  return (
    <main className="screen home">
      <section className="card">
        <h2>{title}</h2>
        {said && <p>{said}</p>}
        {ended && ENDED_DETAIL[ended] && <p className="muted">{ENDED_DETAIL[ended]}</p>}
        {ended && error && <p className="muted">{error}</p>}
        <div className="row">
          {ended && NO_REJOIN.has(ended) ? (
            <button type="button" className="primary" onClick={home}>
              Home
            </button>
          ) : (
            <>
              {ended ? (
                <button
                  type="button"
                  className="primary"
                  disabled={rejoining}
                  onClick={() => void client.retry()}
                >
                  {rejoining ? 'Rejoining…' : ended === 'ended' ? 'Rejoin' : 'Rejoin here'}
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
              <button type="button" onClick={home}>
                Home
              </button>
            </>
          )}
        </div>
      </section>
    </main>
  );
}
