import { useEffect, useState } from 'react';
import { useMeeting, type MeetingState } from '../../state/store';
import { chime, noticeSoundOn } from './chime';
import { describeChange, peerChanges } from './peer-changes';
import './notices.css';

/** How long a join or leave toast stays. */
export const NOTICE_MS = 5_000;
/** Announcements kept in the live region. */
const KEPT = 4;

interface Toast {
  id: number;
  text: string;
}

const namesOf = (s: MeetingState) =>
  new Map(Object.values(s.room.peers).map((peer) => [peer.peerId, peer.displayName]));

/**
 * Tells who joins and leaves while we are in the room, and what admins do
 * (features/moderation: "Ada muted your microphone", "Dee wants to join";
 * features/recording: "Ada started recording"): a toast, a soft sound for
 * joins, leaves and knocks (NoticeSoundToggle, in the Devices menu, turns it
 * off) and a polite screen-reader announcement (but for recording, whose
 * indicator in the room says it).
 * The people already there when we arrive (or come back) are not announced.
 */
export function Notices() {
  const store = useMeeting;
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [announcement, setAnnouncement] = useState('');
  // What admins do: the last few lines, each its own element, so two at once are both read.
  const [announced, setAnnounced] = useState<Toast[]>([]);

  useEffect(() => {
    let known: Map<string, string> | null = null;
    let nextId = 1;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const announce = (text: string) => {
      const id = nextId++;
      setAnnounced((all) => [...all.slice(-(KEPT - 1)), { id, text }]);
    };
    const toast = (text: string) => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-2), { id, text }]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setToasts((all) => all.filter((shown) => shown.id !== id));
      }, NOTICE_MS);
      timers.add(timer);
    };
    let lastNotice = store.getState().moderation.notice?.seq;
    const moderationNotice = (s: MeetingState) => {
      const notice = s.moderation.notice;
      if (!notice || notice.seq === lastNotice) return;
      lastNotice = notice.seq;
      if (notice.sound && noticeSoundOn()) chime(notice.sound);
      if (notice.announce) announce(notice.text);
      if (notice.toast) toast(notice.text);
    };
    const watch = (s: MeetingState) => {
      moderationNotice(s);
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
      for (const text of lines) toast(text);
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
      <div className="visually-hidden" aria-live="polite" data-testid="moderation-announcer">
        {announced.map((line) => (
          <p key={line.id}>{line.text}</p>
        ))}
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
