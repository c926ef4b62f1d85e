import { useEffect, useRef, useState } from 'react';
import { VideoView } from '../components/VideoView';
import { RecordingNotice, useHubAbout } from '../features/recording/RecordingNotice';
import { useMeetingClient } from '../meeting/context';
import { useMeeting, type JoinTarget, type LobbyStatus } from '../state/store';
import './lobby.css';

/** The host's words ("the meeting ended while you were waiting; try again") as a sentence. */
function asSentence(words: string): string {
  const trimmed = words.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The meeting's name: from Home's offer it is known; an invite link does not
 * carry it, but the host says it (hub.about), with whether it is being recorded.
 */
function useMeetingAbout(target: JoinTarget | null): {
  name: string | undefined;
  recording: boolean;
} {
  const about = useHubAbout(target);
  return { name: target?.name ?? about?.name, recording: about?.recording === true };
}

/** What the screen says: a title and a line under it. */
function wording(
  lobby: LobbyStatus,
  target: JoinTarget,
  name: string | undefined,
  reconnecting: boolean,
): { title: string; detail: string } {
  const meeting = name ?? `the meeting at ${new URL(target.origin).host}`;
  if (lobby.state === 'declined')
    return {
      title: 'Nobody let you in',
      detail: asSentence(lobby.message ?? 'Nobody in the meeting let you in.'),
    };
  if (lobby.state === 'admitted') return { title: 'You’re in', detail: 'Joining the meeting…' };
  const asking = `Asking to join ${meeting}…`;
  const detail = reconnecting
    ? 'The connection to the host dropped. Asking again…'
    : 'Someone in the meeting will let you in.';
  // With an invite, the lobby only comes with a locked meeting: say why there is a wait.
  return target.invite === null
    ? { title: asking, detail }
    : { title: 'This meeting is locked', detail: `${asking} ${detail}` };
}

/**
 * Waiting in the lobby until someone in the meeting lets us in: our camera
 * preview and name, what is happening (said politely to screen readers) and
 * Cancel; after a decline, "Nobody let you in" with the host's words, Ask
 * again and Home.
 */
export function Lobby() {
  const client = useMeetingClient();
  const target = useMeeting((s) => s.session.target);
  const lobby = useMeeting((s) => s.session.lobby);
  const reconnecting = useMeeting((s) => s.session.connection === 'reconnecting');
  const camTrack = useMeeting((s) => (s.localMedia.camOn ? s.localMedia.camTrack : null));
  const { name, recording } = useMeetingAbout(target);
  const [going, setGoing] = useState(false);
  // A live region announces changes, not what it held when it appeared: fill it once it is there.
  const [announced, setAnnounced] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setAnnounced(true), 100);
    return () => clearTimeout(timer);
  }, []);

  const status: LobbyStatus = lobby ?? { state: 'waiting', message: null, name: '' };
  const declined = status.state === 'declined';
  // Focus on the one thing to do: Cancel while waiting, Ask again once declined.
  const action = useRef<HTMLButtonElement>(null);
  useEffect(() => action.current?.focus(), [declined]);

  if (!target) return null;
  const { title, detail } = wording(status, target, name, reconnecting);
  const leave = () => {
    setGoing(true);
    void client.leave().finally(() => setGoing(false));
  };

  return (
    <main className="screen lobby">
      <figure className="waiting-preview">
        {camTrack ? (
          <VideoView track={camTrack} mirrored label="Your camera preview" />
        ) : (
          <div className="preview-off">Camera is off</div>
        )}
        {status.name && <figcaption>{status.name}</figcaption>}
      </figure>
      <section className="card waiting-card">
        <div role="status" className="waiting-status">
          {announced && (
            <>
              <h2>{title}</h2>
              <p className={declined ? undefined : 'muted'}>{detail}</p>
              {/* In the status: said when the host's word comes after the screen opened. */}
              {!declined && <RecordingNotice recording={recording} live={false} />}
            </>
          )}
        </div>
        {!declined && (
          <div className="waiting-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </div>
        )}
        <div className="row">
          {declined ? (
            <>
              <button
                ref={action}
                type="button"
                className="primary"
                onClick={() => void client.join(target, status.name)}
              >
                Ask again
              </button>
              <button type="button" disabled={going} onClick={leave}>
                Home
              </button>
            </>
          ) : (
            <button ref={action} type="button" disabled={going} onClick={leave}>
              Cancel
            </button>
          )}
        </div>
      </section>
    </main>
  );
}
