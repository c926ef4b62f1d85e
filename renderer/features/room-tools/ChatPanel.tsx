import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_CHAT_CHARS } from '../../../shared/protocol/room-tools';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { clockTime } from './chat-format';
import { describeToolError } from './errors';
import { ToolIcon } from './icons';
import { CHAT_BUTTON_ID, CHAT_INPUT_ID, CHAT_PANEL_ID, refById } from './ids';
import { LinkifiedText } from './LinkifiedText';
import { returnFocus, useDismiss } from '../../components/use-dismiss';

const chatButton = refById(CHAT_BUTTON_ID);

/**
 * The meeting's chat: every message so far with its sender and time, and a
 * field to say something to everyone. It stays mounted while closed, so a
 * draft survives closing it.
 */
export function ChatPanel() {
  const client = useMeetingClient();
  const open = useMeeting((s) => s.chat.panelOpen);
  const messages = useMeeting((s) => s.chat.messages);
  const selfPeerId = useMeeting((s) => s.session.self?.peerId);
  const setOpen = useMeeting((s) => s.setChatPanelOpen);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  // Follow new messages unless the person scrolled up to read older ones.
  const following = useRef(true);

  const close = (focusBack: boolean) => {
    setOpen(false);
    returnFocus(chatButton.current, focusBack, panel.current);
  };
  useDismiss(open, [panel, chatButton], (how) => close(how === 'escape'));

  useEffect(() => {
    if (!open) return;
    following.current = true;
    input.current?.focus();
  }, [open]);

  useEffect(() => {
    const box = list.current;
    if (open && box && following.current) box.scrollTop = box.scrollHeight;
  }, [open, messages]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || sending) return;
    setSending(true);
    setError(null);
    client.tools
      .sendChat(text)
      .then(
        () => {
          setDraft('');
          following.current = true;
        },
        (failure: unknown) => setError(describeToolError(failure)),
      )
      .finally(() => setSending(false));
  };

  return (
    <aside
      ref={panel}
      id={CHAT_PANEL_ID}
      className="rt-chat"
      aria-label="Chat"
      hidden={!open}
      data-testid="chat-panel"
    >
      <header className="rt-chat-header">
        <h2>Chat</h2>
        <button
          type="button"
          className="rt-close"
          aria-label="Close chat"
          title="Close chat (Esc)"
          onClick={() => close(true)}
        >
          <ToolIcon name="close" />
        </button>
      </header>
      <div
        ref={list}
        className="rt-messages"
        // Scrollable, so reachable by keyboard; named for what it holds.
        tabIndex={0}
        role="region"
        aria-label="Messages"
        onScroll={(event) => {
          const box = event.currentTarget;
          following.current = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
        }}
      >
        {messages.length === 0 ? (
          <p className="rt-empty">
            No messages yet. Everyone in the meeting sees what is said here, and so do people who
            join later.
          </p>
        ) : (
          <ol>
            {messages.map((message) => {
              const own = message.peer_id === selfPeerId;
              return (
                <li
                  key={message.message_id}
                  className={`rt-message${own ? ' rt-own' : ''}`}
                  data-testid="chat-message"
                >
                  <p className="rt-meta">
                    <span className="rt-sender">{own ? 'You' : message.fullname}</span>
                    <time dateTime={new Date(message.sent_at).toISOString()}>
                      {clockTime(message.sent_at)}
                    </time>
                  </p>
                  <p className="rt-text">
                    <LinkifiedText text={message.text} />
                  </p>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      <form className="rt-compose" onSubmit={send}>
        <label htmlFor={CHAT_INPUT_ID} className="visually-hidden">
          Message everyone
        </label>
        <input
          ref={input}
          id={CHAT_INPUT_ID}
          type="text"
          autoComplete="off"
          maxLength={MAX_CHAT_CHARS}
          placeholder="Message everyone"
          value={draft}
          aria-describedby={error ? 'room-tools-chat-error' : undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="primary rt-send">
          Send
        </button>
      </form>
      {error && (
        <p id="room-tools-chat-error" className="rt-error" role="alert">
          {error}
        </p>
      )}
    </aside>
  );
}
