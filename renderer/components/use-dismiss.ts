import { useEffect, useRef, type RefObject } from 'react';

// Every panel and popover of the room (chat, reactions, devices, hosting, the
// tile menu's kin) closes with Esc (the topmost one only) and with a click
// outside it; focus then goes back to the button that opened it.

/** Open layers, the last opened last: Esc closes only that one. */
const layers: object[] = [];

/**
 * Focus goes back to `trigger`: `always` (Esc, a close button), else only if
 * focus is now nowhere or still in what closed (`closing`), not when the person
 * just put it somewhere else by clicking a field.
 */
export function returnFocus(
  trigger: HTMLElement | null,
  always: boolean,
  closing: HTMLElement | null = null,
): void {
  const settle = () => {
    const active = document.activeElement;
    const lost =
      !active || active === document.body || !active.isConnected || !!closing?.contains(active);
    if (always || lost) trigger?.focus();
  };
  // After an outside click the browser moves focus on mousedown: look once it has.
  if (always) settle();
  else setTimeout(settle, 0);
}

/**
 * While `open`: Esc, or a pointer pressed outside every element of `inside`
 * (the panel and its toggle button), calls `close` with how it happened.
 */
export function useDismiss(
  open: boolean,
  inside: ReadonlyArray<RefObject<HTMLElement | null>>,
  close: (how: 'escape' | 'outside') => void,
): void {
  const latest = useRef({ inside, close });
  useEffect(() => {
    latest.current = { inside, close };
  });
  useEffect(() => {
    if (!open) return;
    const layer = {};
    layers.push(layer);
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || layers.at(-1) !== layer) return;
      event.preventDefault();
      latest.current.close('escape');
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && latest.current.inside.some((ref) => ref.current?.contains(target))) return;
      latest.current.close('outside');
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer, true);
    return () => {
      layers.splice(layers.indexOf(layer), 1);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer, true);
    };
  }, [open]);
}
