import { useEffect, useState } from 'react';
import { useMeeting, type MeetingState } from '../../state/store';
import { chime, noticeSoundOn } from './chime';
import { describeChange, peerChanges } from './peer-changes';
import './notices.css';

/** How long a join or leave toast stays. */
export const NOTICE_MS = 5_000;

interface Toast {
  id: number;
  text: string;
}

const namesOf = (s: MeetingState) =>
  new Map(Object.values(s.room.peers).map((peer) => [peer.peerId, peer.fullname]));

/**
 * Tells who joins and leaves while we are in the room: a toast, a soft
 * sound (NoticeSoundToggle, in the Devices menu, turns it off) and a polite
 * screen-reader announcement.
 * The people already there when we arrive (or come back) are not announced.
 */
export function Notices() {
  const store = useMeeting;
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    let known: Map<string, string> | null = null;
    let nextId = 1;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const watch = (s: MeetingState) => {
      // Only a connected room counts: a rejoin's first list is a new baseline, not a crowd arriving.
      if (s.session.phase !== 'in-room' || s.session.connection !== 'connected') {
        if (s.session.phase !== 'in-room') known = null;
        return;
      }
      const now = namesOf(s);
      if (known === null) {
        known = now;
        return;
      }
      const { joined, left } = peerChanges(known, now);
      known = now;
      const lines = [describeChange(joined, 'joined'), describeChange(left, 'left')].filter(
        Boolean,
      );
      if (lines.length === 0) return;
      if (noticeSoundOn()) chime(joined.length ? 'joined' : 'left');
      setAnnouncement(lines.join('. '));
      for (const text of lines) {
        const id = nextId++;
        setToasts((all) => [...all.slice(-2), { id, text }]);
        const timer = setTimeout(() => {
          timers.delete(timer);
          setToasts((all) => all.filter((toast) => toast.id !== id));
        }, NOTICE_MS);
        timers.add(timer);
      }
    };
    watch(store.getState());
    const unsubscribe = store.subscribe(watch);
    return () => {
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [store]);

  return (
    <div className="notices">
      {/* A live region without role=status: the connection banner is the room's one status. */}
      <div className="notice-live visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      <ul className="notice-toasts" aria-hidden="true">
        {toasts.map((toast) => (
          <li key={toast.id} className="notice-toast">
            {toast.text}
          </li>
        ))}
      </ul>
    </div>
  );
}
