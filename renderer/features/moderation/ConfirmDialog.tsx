import { useEffect, useId, useRef, type ReactNode } from 'react';
import './moderation.css';

export interface ConfirmButton {
  label: string;
  onClick(): void;
  tone?: 'danger' | 'danger-outline' | 'primary';
  /** Where the focus starts (the safe choice, unless the dialog says otherwise). */
  autoFocus?: boolean;
  disabled?: boolean;
}

/**
 * A modal question with its answers as buttons (the browser's <dialog>):
 * Esc and a click on the backdrop cancel; the focus starts on the button
 * marked autoFocus and goes back where it was when the dialog closes.
 */
export function ConfirmDialog({
  open,
  title,
  onCancel,
  buttons,
  children,
  className,
}: {
  open: boolean;
  title: string;
  onCancel(): void;
  buttons: ConfirmButton[];
  children?: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`leave-dialog confirm-dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      aria-describedby={children ? textId : undefined}
      // Esc: cancel at once, before the browser's close event.
      onCancel={onCancel}
      onClose={onCancel}
      onClick={(event) => {
        if (event.target !== ref.current) return;
        const box = ref.current.getBoundingClientRect();
        const inside =
          event.clientX >= box.left &&
          event.clientX <= box.right &&
          event.clientY >= box.top &&
          event.clientY <= box.bottom;
        if (!inside) onCancel();
      }}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children && (
            <div id={textId} className="confirm-text">
              {children}
            </div>
          )}
          <div className="leave-dialog-buttons">
            {buttons.map((button) => (
              <button
                key={button.label}
                type="button"
                className={button.tone}
                data-autofocus={button.autoFocus || undefined}
                disabled={button.disabled}
                onClick={button.onClick}
              >
                {button.label}
              </button>
            ))}
          </div>
        </>
      )}
    </dialog>
  );
}
