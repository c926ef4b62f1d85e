import { useState } from 'react';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { CopyLink } from '../invite/InviteLink';
import { inviteLinkFor } from '../invite/invite-link';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { describeModerationError } from './describe';
import type { ConfirmRequest } from './slice';

type Step = { state: 'asking' } | { state: 'sending' } | { state: 'failed'; error: string };

/**
 * The confirmations before what cannot be undone, asked from anywhere in the
 * room (a tile's menu, the People panel, Host controls, the Invite dialog):
 * removing someone, ending the meeting for everyone, a new invite link (and,
 * from Host controls, the new link to copy).
 */
export function ModerationDialogs() {
  const request = useMeeting((s) => s.moderation.confirming);
  if (!request) return null;
  // Each request starts fresh.
  return (
    <Confirmation
      key={request.kind === 'remove' ? request.peerId : request.kind}
      request={request}
    />
  );
}

function Confirmation({ request }: { request: ConfirmRequest }) {
  const setConfirming = useMeeting((s) => s.setConfirming);
  const [step, setStep] = useState<Step>({ state: 'asking' });
  const [newLink, setNewLink] = useState<string | null>(null);
  const client = useMeetingClient();
  const target = useMeeting((s) => s.session.target);
  const notify = useMeeting((s) => s.showModerationNotice);

  const close = () => setConfirming(null);
  const run = (action: () => Promise<void>) => {
    setStep({ state: 'sending' });
    action().then(
      () => setStep({ state: 'asking' }),
      (error: unknown) => setStep({ state: 'failed', error: describeModerationError(error) }),
    );
  };
  const sending = step.state === 'sending';
  const error = step.state === 'failed' ? step.error : null;

  switch (request.kind) {
    case 'remove':
      return (
        <ConfirmActionDialog
          title={`Remove ${request.name} from the meeting?`}
          onCancel={close}
          action={{
            label: 'Remove',
            tone: 'danger',
            disabled: sending,
            onClick: () => run(() => client.moderation.removePeer(request.peerId).then(close)),
          }}
          error={error}
        >
          <p>{request.name} cannot come back to this meeting until it ends.</p>
        </ConfirmActionDialog>
      );
    case 'end':
      return (
        <ConfirmActionDialog
          title="End the meeting for everyone?"
          onCancel={close}
          action={{
            label: 'End for everyone',
            tone: 'danger',
            disabled: sending,
            onClick: () => run(() => client.moderation.endMeeting()),
          }}
          error={error}
        >
          <p>Everyone leaves the meeting, you too.</p>
        </ConfirmActionDialog>
      );
    case 'rotate-invite':
      if (newLink && target)
        return (
          <ConfirmDialog
            // A dialog of its own: the focus starts on Done.
            key="new-link"
            open
            title="New invite link"
            onCancel={close}
            buttons={[{ label: 'Done', tone: 'primary', onClick: close, autoFocus: true }]}
          >
            <p>The old link no longer works. Share this one:</p>
            <CopyLink link={inviteLinkFor(target, newLink)} qrSize={140} />
          </ConfirmDialog>
        );
      return (
        <ConfirmActionDialog
          title="Make a new invite link?"
          onCancel={close}
          action={{
            label: 'Make a new link',
            tone: 'primary',
            disabled: sending,
            onClick: () =>
              run(async () => {
                const invite = await client.moderation.rotateInvite();
                notify('You made a new invite link. The old one no longer works.');
                if (request.showLink) setNewLink(invite);
                else close();
              }),
          }}
          error={error}
        >
          <p>People with the old link can no longer join. People in the meeting stay.</p>
        </ConfirmActionDialog>
      );
  }
}
