import { useEffect } from 'react';

/**
 * M mutes, V toggles the camera, Shift+L asks to leave; ignored while typing
 * and while a dialog is open (its keys are its own).
 */
export function useShortcuts(actions: { mic(): void; camera(): void; askToLeave(): void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        target.closest('input, textarea, select, dialog, [role="dialog"]') ||
        document.querySelector('dialog[open]')
      )
        return;
      if (event.key === 'm' || event.key === 'M') actions.mic();
      else if (event.key === 'v' || event.key === 'V') actions.camera();
      else if (event.key === 'L' && event.shiftKey) actions.askToLeave();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
