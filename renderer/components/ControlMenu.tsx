import { useRef, useState, type ReactNode } from 'react';
import { Icon, type IconName } from './Icon';
import { returnFocus, useDismiss } from './use-dismiss';

/**
 * A control-bar menu: a <details> whose summary is an icon with a short label,
 * closing with Esc (focus back on its button) and with a click outside.
 */
export function ControlMenu({
  className,
  icon,
  label,
  title,
  children,
}: {
  className: string;
  icon: IconName;
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
        <Icon name={icon} size={22} />
        <span className="ctl-label">{label}</span>
      </summary>
      {children}
    </details>
  );
}
