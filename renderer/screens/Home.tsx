import { useState, type FormEvent } from 'react';
import { desktopBridge } from '../../shared/desktop/bridge';
import { loadPreferences, parseInvite } from '../state/preferences';
import { useMeeting, type JoinTarget } from '../state/store';

const desktop = desktopBridge();

export function Home() {
  const setSession = useMeeting((s) => s.setSession);
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);
  const recent = loadPreferences().recentHosts;

  const go = (target: JoinTarget, href?: string) => {
    // The page talks only to the host that served it: another host's link opens that
    // host's page (in the app, trusting exactly the certificate the link names).
    if (target.origin === location.origin) {
      setSession({ target, phase: 'prejoin', error: null });
      return;
    }
    const link =
      href ??
      `${target.origin}/#/join?hub=${target.hubId}&invite=${encodeURIComponent(target.invite)}` +
        (target.fingerprint ? `&fp=${encodeURIComponent(target.fingerprint)}` : '');
    if (desktop) void desktop.openInvite(link);
    else location.href = link;
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const target = parseInvite(link);
    if (!target) {
      setError(
        'That is not an invite link. It looks like https://192.168.1.20:8443/#/join?hub=…&invite=… — ask the host for it.',
      );
      return;
    }
    go(target, link.trim());
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
          />
          {error && (
            <p role="alert" className="error">
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
