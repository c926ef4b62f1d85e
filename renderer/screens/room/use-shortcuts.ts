import { useEffect } from 'react';

/** M mutes, V toggles the camera, Shift+L leaves; ignored while typing. */
export function useShortcuts(actions: { mic(): void; camera(): void; leave(): void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        target.closest('input, textarea, select')
      )
        return;
      if (event.key === 'm' || event.key === 'M') actions.mic();
      else if (event.key === 'v' || event.key === 'V') actions.camera();
      else if (event.key === 'L' && event.shiftKey) actions.leave();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
