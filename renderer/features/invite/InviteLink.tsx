import { useContext, useEffect, useId, useRef, useState } from 'react';
import { MeetingClientContext } from '../../meeting/context';
import { useInviteCheck } from './invite-check';
import { inviteLinkFor } from './invite-link';
import { QrCode } from './QrCode';
import { useMeeting, type JoinTarget } from '../../state/store';
import './invite.css';

type CopyState = 'idle' | 'copied' | 'select';

/**
 * The link to share, a Copy button and its QR code. The clipboard may be
 * missing (a page over plain http on the LAN) or refuse: then the link is
 * selected so Ctrl+C (or the phone's menu) copies it.
 */
export function CopyLink({ link, qrSize }: { link: string; qrSize: number }) {
  const fieldId = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => {
    if (copy !== 'copied') return;
    const timer = setTimeout(() => setCopy('idle'), 4000);
    return () => clearTimeout(timer);
  }, [copy]);

  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopy('copied');
    } catch {
      field.current?.focus();
      field.current?.select();
      setCopy('select');
    }
  };

  return (
    <div className="invite-link-box">
      <label htmlFor={fieldId}>Invite link</label>
      <div className="invite-copy-row">
        <input
          id={fieldId}
          ref={field}
          className="invite-link-field"
          readOnly
          value={link}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="primary" onClick={() => void onCopy()}>
          {copy === 'copied' ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <p className="invite-copy-status" role="status">
        {copy === 'copied'
          ? 'Link copied. Paste it to the people you invite.'
          : copy === 'select'
            ? 'Could not copy by itself: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.'
            : ''}
      </p>
      <QrCode text={link} size={qrSize} label="QR code of the invite link" />
    </div>
  );
}

/**
 * The invite secret to share now: in the room, the host's current one
 * (hub.get_invite, so a link an admin replaced is never shown); before that,
 * the one the invite check gave. Null while neither is known.
 */
export function useShareInvite(target: JoinTarget | null) {
  const { check, retry } = useInviteCheck(target);
  const client = useContext(MeetingClientContext);
  const current = useMeeting((s) => s.moderation.shareInvite);
  const share = current ?? (check.state === 'valid' ? check.shareInvite : null);
  return {
    share,
    check,
    retry: () => {
      retry();
      void client?.moderation.refreshInvite().catch(() => undefined);
    },
  };
}

/**
 * This meeting's invite: the link built from the hub and the invite secret
 * the host said to share (never the owner key the owner may have opened it
 * with), or what stands in the way of showing it.
 */
export function MeetingInvite({ qrSize }: { qrSize: number }) {
  const target = useMeeting((s) => s.session.target);
  const { share, check, retry } = useShareInvite(target);
  if (!target) return null;
  if (share !== null) return <CopyLink link={inviteLinkFor(target, share)} qrSize={qrSize} />;
  if (check.state === 'checking') return <p className="muted">Getting the invite link…</p>;
  return (
    <div className="stack">
      <p className="warning">The host did not give the invite link just now.</p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
