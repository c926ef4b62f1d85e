import { useMeeting } from '../../state/store';
import { ToolIcon } from '../room-tools/icons';
import { ModerationIcon } from './icons';
import './moderation.css';

/**
 * In the control bar: the meeting is locked, and/or asks people to ask before
 * they unmute. Icons with a tooltip; the words show where the bar has room.
 */
export function RoomStatus() {
  const { locked, ask_to_unmute } = useMeeting((s) => s.moderation.settings);
  if (!locked && !ask_to_unmute) return null;
  return (
    <ul className="room-status" aria-label="Meeting settings">
      {locked && (
        <li title="Locked: new people wait in the lobby until an admin lets them in">
          <ModerationIcon name="lock" size={16} />
          <span className="room-status-label">Locked</span>
        </li>
      )}
      {ask_to_unmute && (
        <li title="Ask to unmute: people raise their hand, and an admin lets them unmute">
          <ToolIcon name="hand" size={16} />
          <span className="room-status-label">Ask to unmute</span>
        </li>
      )}
    </ul>
  );
}
