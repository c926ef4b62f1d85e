import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import './dialog.css';

// The room's modal dialogs (shortcut list, invite); popovers use use-dismiss.ts.

/**
 * A modal dialog (the browser's <dialog>): Esc and a click on the backdrop
 * close it, and focus returns to what had it before it opened.
 */
export function Dialog({
  open,
  onClose,
  title,
  className,
  children,
}: {
  open: boolean;
  onClose(): void;
  title: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, [open]);

  // In <body>, so the styles of wherever it is opened from (the control bar's) do not reach it.
  return createPortal(
    <dialog
      ref={ref}
      className={`rt-dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      // Esc: the browser closes the dialog; the owner's state follows.
      onClose={onClose}
      onClick={(event) => {
        const dialog = ref.current;
        if (!dialog || event.target !== dialog) return;
        const box = dialog.getBoundingClientRect();
        const inside =
          event.clientX >= box.left &&
          event.clientX <= box.right &&
          event.clientY >= box.top &&
          event.clientY <= box.bottom;
        if (!inside) onClose();
      }}
    >
      {open && (
        <div className="rt-dialog-body">
          <div className="rt-dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="rt-dialog-close" onClick={onClose}>
              Close
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>,
    document.body,
  );
}
