import { ChatPanel } from './ChatPanel';
import { HandQueue } from './HandQueue';
import { ToolNotices } from './ToolNotices';
import './room-tools.css';

/** The room's chat panel, hand queue, chat notification line and announcements. */
export function RoomToolPanels() {
  // Panels end above the control bar: its height is --rt-controls, set by the bar on the room.
  return (
    <div className="room-tools">
      <HandQueue />
      <ChatPanel />
      <ToolNotices />
    </div>
  );
}
