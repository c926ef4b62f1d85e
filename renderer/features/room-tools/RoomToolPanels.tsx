import { useEffect, useState, type CSSProperties } from 'react';
import { ChatPanel } from './ChatPanel';
import { HandQueue } from './HandQueue';
import { CHAT_BUTTON_ID } from './ids';
import { ToolNotices } from './ToolNotices';
import './room-tools.css';

/** How much of the window's bottom the control bar takes, so panels end above it. */
function useControlsInset(): number {
  const [inset, setInset] = useState(0);
  useEffect(() => {
    const controls = document.getElementById(CHAT_BUTTON_ID)?.closest('nav');
    if (!controls) return;
    const measure = () => {
      const top = controls.getBoundingClientRect().top;
      // A control bar that is not along the bottom leaves the whole height.
      const below = window.innerHeight - top;
      setInset(below > 0 && below < window.innerHeight / 2 ? Math.ceil(below) : 0);
    };
    measure();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    observer?.observe(controls);
    window.addEventListener('resize', measure);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);
  return inset;
}

/** The room's chat panel, hand queue, chat notification line and announcements. */
export function RoomToolPanels() {
  const inset = useControlsInset();
  return (
    <div className="room-tools" style={{ '--rt-controls': `${inset}px` } as CSSProperties}>
      <HandQueue />
      <ChatPanel />
      <ToolNotices />
    </div>
  );
}
