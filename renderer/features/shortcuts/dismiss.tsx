import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import './dialog.css';

/*
 * How the room's dialogs and popovers go away: Esc, or a click outside them,
 * and focus goes back where it was (Esc is in the shortcut list).
 */

/**
 * For a popover (a <details> menu): while `open`, Esc and a press outside
 * `container` call `close`. Esc also puts the focus on `returnTo` (the
 * popover's own button), where keyboard users left it.
 */
export function useDismiss(
  open: boolean,
  container: RefObject<HTMLElement | null>,
  close: () => void,
  returnTo?: RefObject<HTMLElement | null>,
) {
  const closeRef = useRef(close);
  useEffect(() => {
    closeRef.current = close;
  });
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      closeRef.current();
      returnTo?.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) closeRef.current();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, container, returnTo]);
}

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
