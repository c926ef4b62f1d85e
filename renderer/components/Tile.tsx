import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** One person (or one screen share) in the grid: video or initials, name, state badges. */
export function Tile({
  name,
  children,
  muted,
  speaking,
  reconnecting = false,
  pinned,
  onPin,
  testId,
  large = false,
  overlay = null,
}: {
  name: string;
  children: ReactNode | null;
  muted: boolean;
  speaking: boolean;
  /** The host holds this person's place while their connection comes back. */
  reconnecting?: boolean;
  pinned?: boolean;
  onPin?: () => void;
  testId: string;
  large?: boolean;
  /** Drawn over the video: a raised hand, reactions (features/room-tools). */
  overlay?: ReactNode;
}) {
  const initials = name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <div className="cell">
      <figure
        className={`tile${speaking ? ' speaking' : ''}${large ? ' large' : ''}${reconnecting ? ' reconnecting' : ''}`}
        data-testid={testId}
        data-muted={muted}
        data-reconnecting={reconnecting}
      >
        {children ?? (
          <div className="avatar" aria-hidden="true">
            {initials}
          </div>
        )}
        {overlay}
        <figcaption>
          {muted && (
            <span className="badge">
              <Icon name="micOff" label={`${name} is muted`} />
            </span>
          )}
          <span className="name">{name}</span>
          {reconnecting && (
            <span className="badge status-badge" aria-label={`${name} is reconnecting`} role="img">
              Reconnecting…
            </span>
          )}
          {onPin && (
            <button
              type="button"
              className="pin"
              aria-pressed={pinned}
              aria-label={pinned ? `Unpin ${name}` : `Pin ${name}`}
              onClick={onPin}
            >
              <Icon name="pin" />
            </button>
          )}
        </figcaption>
      </figure>
    </div>
  );
}
