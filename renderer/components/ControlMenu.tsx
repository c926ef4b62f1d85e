import { useRef, useState, type ReactElement, type ReactNode } from 'react';
import { Icon, type IconName } from './Icon';
import { returnFocus, useDismiss } from './use-dismiss';

/**
 * A control-bar menu: a <details> whose summary is an icon with a short label,
 * closing with Esc (focus back on its button) and with a click outside.
 * An item that closes the menu when chosen calls closeControlMenu.
 */
export function ControlMenu({
  className,
  icon,
  label,
  title,
  children,
}: {
  className: string;
  /** An Icon's name, or a drawn icon of a feature's own. */
  icon: IconName | ReactElement;
  label: string;
  title: string;
  children: ReactNode;
}) {
  const menu = useRef<HTMLDetailsElement>(null);
  const button = useRef<HTMLElement>(null);
  const [open, setOpen] = useState(false);
  useDismiss(open, [menu], (how) => {
    setOpen(false);
    returnFocus(button.current, how === 'escape', menu.current);
  });
  return (
    <details
      ref={menu}
      className={className}
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary ref={button} className="ctl" title={title}>
        {typeof icon === 'string' ? <Icon name={icon} size={22} /> : icon}
        <span className="ctl-label">{label}</span>
      </summary>
      {children}
    </details>
  );
}

/** Closes the control menu holding `item` (a chosen action), giving the focus back to its button. */
export function closeControlMenu(item: HTMLElement): void {
  const menu = item.closest('details');
  if (!menu) return;
  menu.open = false;
  menu.querySelector('summary')?.focus();
}
