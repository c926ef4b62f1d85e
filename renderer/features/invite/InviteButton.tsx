import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { MeetingInvite } from './InviteLink';

/** The control bar's Invite button: the invite link, Copy and a QR code, in a dialog, at any time. */
export function InviteButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="ctl"
        aria-haspopup="dialog"
        title="Invite people: the link and its QR code"
        onClick={() => setOpen(true)}
      >
        <svg className="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            fill="currentColor"
            d="M15 12c2.21 0 4-1.79 4-4s-1.79-4-4-4-4 1.79-4 4 1.79 4 4 4zm-9-2V7H4v3H1v2h3v3h2v-3h3v-2H6zm9 4c-2.67 0-8 1.34-8 4v2h16v-2c0-2.66-5.33-4-8-4z"
          />
        </svg>
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
      </Dialog>
    </>
  );
}
