import { useState } from 'react';
import { Dialog } from '../shortcuts/dismiss';
import { MeetingInvite } from './InviteLink';

/** The control bar's Invite button: the invite link, Copy and a QR code, in a dialog, at any time. */
export function InviteButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        title="Invite people"
        onClick={() => setOpen(true)}
      >
        Invite
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
