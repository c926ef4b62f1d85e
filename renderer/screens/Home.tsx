import { useEffect, useId, useState, type FormEvent } from 'react';
import { desktopBridge } from '../../shared/desktop/bridge';
import type { HubAbout } from '../../shared/protocol/services';
import type { LinkProblem } from '../App';
import { NetworkMeetings } from '../features/discovery/NetworkMeetings';
import { addressFor, readJoinLink } from '../features/invite/invite-link';
import { servingHub } from '../meeting/hub-access';
import { loadPreferences, type Preferences } from '../state/preferences';
import { useMeeting, type JoinTarget } from '../state/store';

const desktop = desktopBridge();

/** The hub of the host that served this page, once it says (null in the desktop app). */
function useServingHub(): HubAbout | null {
  const [hub, setHub] = useState<HubAbout | null>(null);
  useEffect(() => {
    let current = true;
    void servingHub(location).then((about) => {
      if (current) setHub(about);
    });
    return () => {
      current = false;
    };
  }, []);
  return hub;
}

/**
 * The meeting of the host this page came from, for someone who opened its
 * address without an invite link: they ask to join, and someone in the
 * meeting lets them in. Someone who joined it before from this browser
 * joins with the invite they had.
 */
function AskToJoin({
  hub,
  recent,
  onGo,
}: {
  hub: HubAbout;
  recent: Preferences['recentHosts'];
  onGo(target: JoinTarget): void;
}) {
  const headingId = useId();
  const known = recent.find(
    (entry) => entry.origin === location.origin && entry.hubId === hub.hub_id && entry.invite,
  );
  const target: JoinTarget = {
    origin: location.origin,
    hubId: hub.hub_id,
    invite: known?.invite ?? null,
    fingerprint: known?.fingerprint ?? null,
    name: hub.name,
  };
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>The meeting on this host</h2>
      <p className="muted">
        <strong>{hub.name}</strong> at {location.host}.{' '}
        {known
          ? 'You have joined it from this browser before.'
          : 'No invite link? Ask to join, and someone in the meeting can let you in.'}
      </p>
      <button type="button" className="primary" onClick={() => onGo(target)}>
        {known ? `Join ${hub.name}` : `Ask to join ${hub.name}`}
      </button>
    </section>
  );
}

/** The start page; `linkProblem`: the address held an invite link that cannot be used, and why. */
export function Home({ linkProblem = null }: { linkProblem?: LinkProblem | null }) {
  const setSession = useMeeting((s) => s.setSession);
  const [link, setLink] = useState(linkProblem?.link ?? '');
  const [error, setError] = useState<string | null>(linkProblem?.problem ?? null);
  const recent = loadPreferences().recentHosts;
  const hub = useServingHub();

  const go = (target: JoinTarget, href?: string) => {
    // The page talks only to the host that served it: another host's link opens that
    // host's page (in the app, trusting exactly the certificate the link names).
    if (target.origin === location.origin) {
      setSession({ target, phase: 'prejoin', error: null });
      return;
    }
    // A recent meeting is opened with the invite it was joined with (the owner's own key included).
    const link = href ?? addressFor(target);
    if (desktop) void desktop.openInvite(link);
    else location.href = link;
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const reading = readJoinLink(link);
    if ('problem' in reading) {
      setError(reading.problem);
      return;
    }
    go(reading.target, link.trim());
  };

  // The app starts the host and opens its meeting as the owner.
  const [starting, setStarting] = useState(false);
  const host = async () => {
    setStarting(true);
    try {
      await desktop?.hostMeeting();
    } catch (failure) {
      setError(
        `Could not start hosting: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    } finally {
      setStarting(false);
    }
  };

  return (
    <main className="screen home">
      <header className="brand">
        <h1>Roundtable</h1>
        <p>Video meetings on your local network. No cloud, no accounts.</p>
      </header>
      {hub && <AskToJoin hub={hub} recent={recent} onGo={go} />}
      {desktop && <NetworkMeetings desktop={desktop} />}
      <section className="card">
        <h2>Join a meeting</h2>
        <form onSubmit={onSubmit} className="stack">
          <label htmlFor="invite-link">Invite link</label>
          <input
            id="invite-link"
            value={link}
            onChange={(event) => setLink(event.target.value)}
            placeholder="https://192.168.1.20:8443/#/join?hub=…"
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'invite-link-error' : undefined}
          />
          {error && (
            <p role="alert" className="error" id="invite-link-error">
              {error}
            </p>
          )}
          {/* Beside the offer to ask, a link is the other way in, not the first. */}
          <button type="submit" className={hub ? undefined : 'primary'}>
            Join
          </button>
        </form>
      </section>
      <section className="card">
        <h2>Host a meeting</h2>
        {desktop ? (
          <button type="button" className="primary" disabled={starting} onClick={() => void host()}>
            {starting ? 'Starting…' : 'Host a meeting'}
          </button>
        ) : (
          <p className="muted">
            Hosting runs on the Roundtable desktop app, or on any machine with{' '}
            <code>npm run host</code>. Whoever hosts shares the invite link.
          </p>
        )}
      </section>
      {recent.length > 0 && (
        <section className="card">
          <h2>Recent meetings</h2>
          <ul className="recent">
            {recent.map((entry) => (
              <li key={`${entry.origin}|${entry.hubId}`}>
                <button type="button" onClick={() => go(entry)}>
                  <span>{new URL(entry.origin).host}</span>
                  <span className="muted">{new Date(entry.lastJoined).toLocaleString()}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
