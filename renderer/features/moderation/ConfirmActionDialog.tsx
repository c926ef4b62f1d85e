import type { ReactNode } from 'react';
import { ConfirmDialog, type ConfirmButton } from './ConfirmDialog';

/**
 * "Cancel" or one action, for what cannot be undone (removing someone,
 * ending the meeting, a new invite link, starting a recording). The focus
 * starts on Cancel, the safe choice; the host's refusal shows under the text.
 */
export function ConfirmActionDialog({
  title,
  onCancel,
  action,
  error,
  children,
}: {
  title: string;
  onCancel(): void;
  /** The action's button; disabled while it is being sent. */
  action: Omit<ConfirmButton, 'autoFocus'>;
  /** Why the action failed, if it did. */
  error: string | null;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      open
      title={title}
      onCancel={onCancel}
      buttons={[{ label: 'Cancel', onClick: onCancel, autoFocus: true }, action]}
    >
      {children}
      {error !== null && (
        <p role="alert" className="confirm-error">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
