import { useState, type FormEvent } from 'react';
import { desktopBridge } from '../../shared/desktop/bridge';
import type { LinkProblem } from '../App';
import { inviteLinkFor, readJoinLink } from '../features/invite/invite-link';
import { loadPreferences } from '../state/preferences';
import { useMeeting, type JoinTarget } from '../state/store';

const desktop = desktopBridge();

/** The start page; `linkProblem`: the address held an invite link that cannot be used, and why. */
export function Home({ linkProblem = null }: { linkProblem?: LinkProblem | null }) {
  const setSession = useMeeting((s) => s.setSession);
  const [link, setLink] = useState(linkProblem?.link ?? '');
  const [error, setError] = useState<string | null>(linkProblem?.problem ?? null);
  const recent = loadPreferences().recentHosts;

  const go = (target: JoinTarget, href?: string) => {
    // The page talks only to the host that served it: another host's link opens that
    // host's page (in the app, trusting exactly the certificate the link names).
    if (target.origin === location.origin) {
      setSession({ target, phase: 'prejoin', error: null });
      return;
    }
    // A recent meeting is opened with the invite it was joined with (the owner's own key included).
    const link = href ?? inviteLinkFor(target, target.invite);
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
          <button type="submit" className="primary">
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
