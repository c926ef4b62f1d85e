import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useMeeting } from '../../state/store';
import { isAdmin } from '../moderation/peer-actions';
import { MeetingInvite } from './InviteLink';

/**
 * The control bar's Invite button: the invite link, Copy and a QR code, in a
 * dialog, at any time. Admins can make a new link there (after a warning):
 * the old one stops working, and the dialog shows the new one.
 */
export function InviteButton() {
  const [open, setOpen] = useState(false);
  const admin = useMeeting((s) => isAdmin(s.session.self?.privilege));
  const setConfirming = useMeeting((s) => s.setConfirming);
  return (
    <>
      <button
        type="button"
        className="ctl"
        aria-haspopup="dialog"
        title="Invite people: the link and its QR code"
        onClick={() => setOpen(true)}
      >
        <Icon name="invite" size={22} />
        <span className="ctl-label">Invite</span>
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Invite people"
        className="invite-dialog"
      >
        <p className="muted">Anyone on your network with this link can join the meeting.</p>
        <MeetingInvite qrSize={200} />
        {admin && (
          <div className="invite-rotate">
            <p className="muted">Shared it too widely? A new link stops the old one working.</p>
            <button
              type="button"
              onClick={() => setConfirming({ kind: 'rotate-invite', showLink: false })}
            >
              Make a new link
            </button>
          </div>
        )}
      </Dialog>
    </>
  );
}
