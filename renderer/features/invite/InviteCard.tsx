import { useEffect, useId, useState } from 'react';
import { useMeeting } from '../../state/store';
import { inviteLinkFor, readJoinLink } from './invite-link';
import { MeetingInvite, useShareInvite } from './InviteLink';
import './invite.css';

/**
 * Once in the room (the credential is kept by then), the address bar shows
 * the link to share: the owner opened the meeting with the owner link, so
 * copying the address shares no owner key; or an admin made a new link, so
 * the address is not one that no longer works.
 */
function useShareLinkInAddress() {
  const target = useMeeting((s) => s.session.target);
  const inRoom = useMeeting((s) => s.session.phase === 'in-room');
  const { share } = useShareInvite(target);
  useEffect(() => {
    if (!inRoom || !target || share === null || target.invite === share) return;
    if (target.origin !== location.origin) return;
    const address = readJoinLink(location.href);
    if ('target' in address && address.target.invite !== share)
      history.replaceState(history.state, '', inviteLinkFor(target, share));
  }, [inRoom, target, share]);
}

/** Alone in the room: "You're the only one here", with the invite link, Copy and a QR code. */
export function InviteCard() {
  const alone = useMeeting((s) => Object.keys(s.room.peers).length === 0);
  const inRoom = useMeeting((s) => s.session.phase === 'in-room');
  const [hidden, setHidden] = useState(false);
  const headingId = useId();
  useShareLinkInAddress();
  if (!inRoom || !alone || hidden) return null;
  return (
    <section className="invite-card" aria-labelledby={headingId}>
      <div className="invite-card-head">
        <h2 id={headingId}>You&rsquo;re the only one here</h2>
        <button
          type="button"
          className="invite-card-hide"
          aria-label="Hide the invite card"
          title="Hide (the Invite button shows the link again)"
          onClick={() => setHidden(true)}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path
              d="M6 6l12 12M18 6L6 18"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
            />
          </svg>
        </button>
      </div>
      <p className="muted">Share this link with the people you want in the meeting.</p>
      <MeetingInvite qrSize={120} />
    </section>
  );
}
