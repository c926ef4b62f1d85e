import { Fragment, useEffect } from 'react';
import { create } from 'zustand';
import { Dialog } from '../../components/Dialog';
import './shortcuts.css';

/** The room's keyboard shortcuts, as the list shows them. */
export const SHORTCUTS: { keys: string[]; action: string }[] = [
  { keys: ['M'], action: 'Mute or unmute your microphone' },
  { keys: ['V'], action: 'Turn your camera on or off' },
  { keys: ['Shift', 'L'], action: 'Leave the meeting' },
  { keys: ['?'], action: 'Show this list of shortcuts' },
  { keys: ['Esc'], action: 'Close a dialog or menu' },
];

/** Whether the list is open; anything (a menu entry, a button) may open it with `open()`. */
export const useShortcutsHelp = create<{ isOpen: boolean; open(): void; close(): void }>()(
  (set) => ({
    isOpen: false,
    open: () => set({ isOpen: true }),
    close: () => set({ isOpen: false }),
  }),
);

/** A key pressed while typing (a name, a chat message) is text, not a shortcut. */
function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.closest('input, textarea, select') !== null)
  );
}

/** "?" opens the list of keyboard shortcuts; Esc or a click outside closes it. */
export function ShortcutsHelp() {
  const { isOpen, open, close } = useShortcutsHelp();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return;
      // Typing, or in another dialog (its keys are its own, as for the room's shortcuts).
      if (typing(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      open();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      // Leaving the room closes it: the next meeting does not open with it.
      useShortcutsHelp.getState().close();
    };
  }, [open]);

  return (
    <Dialog open={isOpen} onClose={close} title="Keyboard shortcuts" className="shortcuts-dialog">
      <dl className="shortcut-list">
        {SHORTCUTS.map(({ keys, action }) => (
          <div key={action}>
            <dt>
              {keys.map((key, index) => (
                <Fragment key={key}>
                  {index > 0 && ' + '}
                  <kbd>{key}</kbd>
                </Fragment>
              ))}
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Shortcuts work when you are not typing in a field.</p>
    </Dialog>
  );
}
