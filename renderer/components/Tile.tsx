import {
  Fragment,
  useEffect,
  useId,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { Icon } from './Icon';

/** One entry of a tile's menu (Pin, Unpin, a layout switch, an admin's Mute microphone). */
export interface TileAction {
  label: string;
  run(): void;
  /** Starts a new group: a line above it (not at the top of the menu). */
  separated?: boolean;
  /** Cannot be undone (Remove from meeting): shown in red. */
  danger?: boolean;
}

/**
 * Up to two initials for an avatar: the first letter or digit of the first
 * two words, so "Eve (no devices)" is "EN" and "Ada Lovelace" is "AL".
 */
export function initialsOf(name: string): string {
  const initials = name
    .split(/\s+/)
    .map((word) => word.match(/[\p{L}\p{N}]/u)?.[0])
    .filter((letter) => letter !== undefined)
    .slice(0, 2)
    .join('')
    .toLocaleUpperCase();
  return initials || '?';
}

/** One person (or one screen share) on the stage: video or initials, name, state badges, a menu. */
export function Tile({
  name,
  avatarName = name,
  children,
  muted,
  speaking,
  reconnecting = false,
  pinned = false,
  actions = [],
  menuName = name,
  testId,
  large = false,
  overlay = null,
  role = null,
}: {
  /** The caption, e.g. "Ada (you)" or "Ben's screen". */
  name: string;
  /** Whose initials the avatar shows when there is no video; the caption by default. */
  avatarName?: string;
  children: ReactNode | null;
  muted: boolean;
  speaking: boolean;
  /** The host holds this person's place while their connection comes back. */
  reconnecting?: boolean;
  pinned?: boolean;
  /** What the tile's menu offers; no menu when empty. */
  actions?: TileAction[];
  /** What the menu button calls the tile ("Options for …"); the caption by default. */
  menuName?: string;
  testId: string;
  large?: boolean;
  /** Drawn over the video: a raised hand, reactions (features/room-tools). */
  overlay?: ReactNode;
  /** "Owner" or "Admin": a badge after the name, where the tile is wide enough. */
  role?: string | null;
}) {
  const classes = ['tile'];
  if (speaking) classes.push('speaking');
  if (large) classes.push('large');
  if (reconnecting) classes.push('reconnecting');
  return (
    <div className="cell">
      <figure
        className={classes.join(' ')}
        data-testid={testId}
        data-muted={muted}
        data-reconnecting={reconnecting}
      >
        {children ?? (
          <div className="avatar" aria-hidden="true">
            {initialsOf(avatarName)}
          </div>
        )}
        {overlay}
        {actions.length > 0 && (
          <ActionMenu
            label={`Options for ${menuName}`}
            actions={actions}
            className="tile-menu"
            // Pinning moves the tile (to the spotlight or back): find its button where it is now.
            refocus={() =>
              [...document.querySelectorAll<HTMLElement>('figure.tile')]
                .find((tile) => tile.dataset.testid === testId)
                ?.querySelector<HTMLElement>('.tile-menu-button')
                ?.focus()
            }
          />
        )}
        <figcaption>
          {muted && (
            <span className="badge">
              <Icon name="micOff" label={`${name} is muted`} />
            </span>
          )}
          {pinned && (
            <span className="badge pinned-badge">
              <Icon name="pin" label="Pinned" />
            </span>
          )}
          {speaking && (
            <span className="badge speaking-badge">
              <span className="speaking-bars" role="img" aria-label={`${name} is speaking`}>
                <span />
                <span />
                <span />
              </span>
            </span>
          )}
          <span className="name">{name}</span>
          {role && <span className="badge role-badge">{role}</span>}
          {reconnecting && (
            <span className="badge status-badge" aria-label={`${name} is reconnecting`} role="img">
              Reconnecting…
            </span>
          )}
        </figcaption>
      </figure>
    </div>
  );
}

/**
 * A tile's (or a person's) menu: a button always there for touch and keyboard
 * (not only on hover) and a short list over the page (a small tile or a
 * scrolling strip does not cut it off). Arrow keys move, Esc closes with the
 * focus back on the button, Tab closes and moves on, a press outside, a
 * scroll or a resize closes it. After a choice, `refocus` puts the focus
 * back (by default on the button, if it is still there).
 */
export function ActionMenu({
  label,
  actions,
  className,
  refocus,
}: {
  /** The button's and the menu's name, e.g. "Options for Ben" or "More actions for Ben". */
  label: string;
  actions: TileAction[];
  className: string;
  refocus?(): void;
}) {
  const [open, setOpen] = useState<{ focus: 'first' | 'last'; place: CSSProperties } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const items = menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
    items?.[open.focus === 'first' ? 0 : items.length - 1]?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(null);
    };
    const onMove = () => setOpen(null);
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('resize', onMove);
    window.addEventListener('scroll', onMove, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('resize', onMove);
      window.removeEventListener('scroll', onMove, true);
    };
  }, [open]);

  /** Opens beside the button: above it when there is more room above, else below; right edges aligned. */
  const show = (focus: 'first' | 'last') => {
    const at = button.current?.getBoundingClientRect();
    if (!at) return;
    const { clientWidth, clientHeight } = document.documentElement;
    const right = Math.max(4, clientWidth - at.right);
    const place: CSSProperties =
      at.top > clientHeight - at.bottom
        ? { right, bottom: clientHeight - at.top + 6 }
        : { right, top: at.bottom + 6 };
    setOpen({ focus, place });
  };

  const close = () => {
    setOpen(null);
    button.current?.focus();
  };

  const choose = (action: TileAction) => {
    setOpen(null);
    // Back on the button first: a dialog the action opens gives the focus back to it.
    button.current?.focus();
    action.run();
    const own = button.current;
    requestAnimationFrame(() => (refocus ? refocus() : own?.isConnected && own.focus()));
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = (at + 1) % items.length;
    else if (event.key === 'ArrowUp') next = (at - 1 + items.length) % items.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
      return;
    } else if (event.key === 'Tab') {
      // Back on the button, from where Tab goes on to the next control.
      close();
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    items[next]?.focus();
  };

  return (
    <div className={`${className}${open ? ' open' : ''}`}>
      <button
        ref={button}
        type="button"
        className="tile-menu-button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(null) : show('first'))}
        onKeyDown={onButtonKey}
      >
        <Icon name="more" size={20} />
      </button>
      {open &&
        createPortal(
          <div
            ref={menu}
            id={menuId}
            role="menu"
            aria-label={label}
            className="tile-menu-list"
            style={open.place}
            onKeyDown={onMenuKey}
          >
            {actions.map((action, index) => (
              <Fragment key={action.label}>
                {action.separated && index > 0 && <div role="separator" />}
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className={action.danger ? 'danger-item' : undefined}
                  onClick={() => choose(action)}
                >
                  {action.label}
                </button>
              </Fragment>
            ))}
          </div>,
          document.body,
        )}
    </div>
  );
}
