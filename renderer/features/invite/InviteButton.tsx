import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { MeetingInvite } from './InviteLink';
import { Icon } from '../../components/Icon';

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
      </Dialog>
    </>
  );
}
