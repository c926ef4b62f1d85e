import { useMeeting } from '../state/store';

export function Left() {
  const setSession = useMeeting((s) => s.setSession);
  return (
    <main className="screen home">
      <section className="card">
        <h2>You left the meeting</h2>
        <div className="row">
          <button
            type="button"
            className="primary"
            onClick={() => setSession({ phase: 'prejoin', error: null })}
          >
            Rejoin
          </button>
          <button type="button" onClick={() => setSession({ phase: 'home', target: null })}>
            Home
          </button>
        </div>
      </section>
    </main>
  );
}
