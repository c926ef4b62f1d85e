import { useId } from 'react';
import type { InviteCheck } from '../../meeting/hub-access';
import type { JoinTarget } from '../../state/store';
import './invite.css';

/**
 * The pre-join screen when the host refused the link's invite, or did not
 * answer: said before anyone is asked for a camera or a name.
 */
export function InviteProblem({
  target,
  check,
  onRetry,
  onBack,
}: {
  target: JoinTarget;
  check: Extract<InviteCheck, { state: 'invalid' | 'unreachable' }>;
  onRetry(): void;
  onBack(): void;
}) {
  const headingId = useId();
  const unreachable = check.state === 'unreachable';
  return (
    <main className="screen invite-problem">
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId}>
          {unreachable ? 'The meeting cannot be reached' : 'This invite link does not work'}
        </h2>
        <p role="alert" className="error">
          {check.message}
        </p>
        <p className="muted">
          Meeting at <strong>{new URL(target.origin).host}</strong>
        </p>
        <div className="row">
          {unreachable && (
            <button type="button" className="primary" onClick={onRetry}>
              Try again
            </button>
          )}
          <button type="button" onClick={onBack}>
            Back to the start page
          </button>
        </div>
      </section>
    </main>
  );
}
