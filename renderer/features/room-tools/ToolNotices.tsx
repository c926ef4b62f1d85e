import { useEffect, useRef, useState } from 'react';
import { useMeeting } from '../../state/store';
import { firstWords } from './chat-format';
import type { HandChange } from './slice';

/** How long a chat notification line or a short notice stays. */
export const TOOL_NOTICE_MS = 6_000;
/** Announcements kept in the live region (new ones are read as they are added). */
const KEPT = 4;

interface Line {
  id: number;
  text: string;
}

/** What to say about a change in the hand queue, one sentence per hand. */
export function describeHandChange(change: HandChange, selfPeerId: string | null): string[] {
  const own = (peerId: string) => peerId === selfPeerId;
  return [
    ...change.raised.map((hand) =>
      own(hand.peer_id) ? 'Your hand is raised.' : `${hand.fullname} raised their hand.`,
    ),
    ...change.lowered.map(({ hand, why }) => {
      if (why === 'spoke')
        return own(hand.peer_id)
          ? 'Your hand was lowered because you spoke.'
          : `${hand.fullname}'s hand was lowered after they spoke.`;
      if (why === 'left') return `${hand.fullname} left; their hand is down.`;
      return own(hand.peer_id) ? 'Your hand is lowered.' : `${hand.fullname} lowered their hand.`;
    }),
  ];
}

/**
 * What the room tools tell people as things happen: a polite live region
 * (chat from others, hands going up and down, refused requests), a
 * notification line for a new message while the chat is closed (press it to
 * open the chat) and short notices (your hand lowered because you spoke).
 */
export function ToolNotices() {
  const store = useMeeting;
  const panelOpen = useMeeting((s) => s.chat.panelOpen);
  const setPanelOpen = useMeeting((s) => s.setChatPanelOpen);
  const setUi = useMeeting((s) => s.setUi);
  const [announced, setAnnounced] = useState<Line[]>([]);
  const [chatLine, setChatLine] = useState<{ id: number; name: string; words: string } | null>(
    null,
  );
  const [notice, setNotice] = useState<Line | null>(null);
  const nextId = useRef(1);

  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (run: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, TOOL_NOTICE_MS);
      timers.add(timer);
    };
    const announce = (texts: string[]) => {
      const lines = texts.map((text) => ({ id: nextId.current++, text }));
      if (lines.length) setAnnounced((all) => [...all, ...lines].slice(-KEPT));
    };
    const show = (text: string) => {
      const id = nextId.current++;
      setNotice({ id, text });
      later(() => setNotice((shown) => (shown?.id === id ? null : shown)));
    };

    // What was already there when the room showed is not news.
    let seen = store.getState();
    const unsubscribe = store.subscribe((s) => {
      const before = seen;
      seen = s;
      const selfPeerId = s.session.self?.peerId ?? null;
      if (s.chat.incoming && s.chat.incoming.seq !== before.chat.incoming?.seq) {
        const { fullname, text } = s.chat.incoming.message;
        announce([`${fullname} says: ${firstWords(text, 200)}`]);
        if (!s.chat.panelOpen) {
          const id = nextId.current++;
          setChatLine({ id, name: fullname, words: firstWords(text) });
          later(() => setChatLine((line) => (line?.id === id ? null : line)));
        }
      }
      if (s.handChange && s.handChange.seq !== before.handChange?.seq) {
        announce(describeHandChange(s.handChange, selfPeerId));
        const spoke = s.handChange.lowered.find(
          ({ hand, why }) => why === 'spoke' && hand.peer_id === selfPeerId,
        );
        if (spoke) show('Your hand was lowered because you spoke.');
      }
      if (s.toolNotice && s.toolNotice.seq !== before.toolNotice?.seq) {
        announce([s.toolNotice.text]);
        show(s.toolNotice.text);
      }
    });
    return () => {
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [store]);

  const openChat = () => {
    setUi({ peoplePanelOpen: false });
    setPanelOpen(true);
    setChatLine(null);
  };

  return (
    <>
      <div className="visually-hidden" aria-live="polite" data-testid="room-tools-announcer">
        {announced.map((line) => (
          <p key={line.id}>{line.text}</p>
        ))}
      </div>
      <div className="rt-toasts">
        {notice && (
          <p className="rt-toast" data-testid="room-tools-notice">
            {notice.text}
          </p>
        )}
        {chatLine && !panelOpen && (
          <button
            type="button"
            className="rt-toast rt-chat-toast"
            title="Open the chat"
            onClick={openChat}
          >
            <span className="rt-sender">{chatLine.name}:</span> {chatLine.words}
          </button>
        )}
      </div>
    </>
  );
}
