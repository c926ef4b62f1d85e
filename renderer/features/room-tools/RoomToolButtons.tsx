import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { REACTIONS, type Reaction } from '../../../shared/protocol/room-tools';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { describeToolError } from './errors';
import { ToolIcon } from './icons';
import { CHAT_BUTTON_ID, CHAT_PANEL_ID, REACTIONS_POPOVER_ID } from './ids';
import { REACTION_NAMES } from './reactions';
import { returnFocus, useDismiss } from '../../components/use-dismiss';
import './room-tools.css';

/** The control bar's buttons for chat, raising a hand and reactions. */
export function RoomToolButtons() {
  return (
    <>
      <ChatButton />
      <HandButton />
      <ReactionsButton />
    </>
  );
}

function ChatButton() {
  const { unread, panelOpen } = useMeeting((s) => s.chat);
  const setOpen = useMeeting((s) => s.setChatPanelOpen);
  const setUi = useMeeting((s) => s.setUi);
  const shown = unread > 99 ? '99+' : String(unread);
  return (
    <button
      type="button"
      id={CHAT_BUTTON_ID}
      className={`rt-button${panelOpen ? ' rt-active' : ''}`}
      aria-expanded={panelOpen}
      aria-controls={panelOpen ? CHAT_PANEL_ID : undefined}
      aria-label={unread > 0 ? `Chat, ${unread} unread` : 'Chat'}
      title="Chat with everyone in the meeting"
      onClick={() => {
        // One side panel at a time: the chat takes the People panel's place.
        if (!panelOpen) setUi({ peoplePanelOpen: false });
        setOpen(!panelOpen);
      }}
    >
      <ToolIcon name="chat" />
      <span className="rt-label">Chat</span>
      {unread > 0 && (
        <span className="rt-count" aria-hidden="true">
          {shown}
        </span>
      )}
    </button>
  );
}

function HandButton() {
  const client = useMeetingClient();
  const raised = useMeeting((s) => s.hands.some((h) => h.peer_id === s.session.self?.peerId));
  const notify = useMeeting((s) => s.showToolNotice);
  // The label says what pressing does (like Mute / Unmute), so no aria-pressed.
  return (
    <button
      type="button"
      className={`rt-button${raised ? ' rt-active' : ''}`}
      title={raised ? 'Lower your hand' : 'Raise your hand to speak'}
      onClick={() =>
        void client.tools.setHandRaised(!raised).catch((error: unknown) => {
          notify(describeToolError(error));
        })
      }
    >
      <ToolIcon name="hand" />
      <span className="rt-label">{raised ? 'Lower hand' : 'Raise hand'}</span>
    </button>
  );
}

function ReactionsButton() {
  const client = useMeetingClient();
  const notify = useMeeting((s) => s.showToolNotice);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);

  const close = (focusBack: boolean) => {
    setOpen(false);
    returnFocus(button.current, focusBack);
  };
  useDismiss(open, [button, popover], (how) => close(how === 'escape'));
  // The first reaction takes focus when the popover opens; the popover stays inside the window.
  useLayoutEffect(() => {
    const element = popover.current;
    if (!open || !element) return;
    const margin = 8;
    const { left, right } = element.getBoundingClientRect();
    const shift =
      left < margin ? margin - left : right > innerWidth - margin ? innerWidth - margin - right : 0;
    element.style.setProperty('--rt-shift', `${shift}px`);
    element.querySelector('button')?.focus();
  }, [open]);

  const react = (emoji: Reaction) => {
    close(true);
    void client.tools.react(emoji).catch((error: unknown) => notify(describeToolError(error)));
  };

  // Arrow keys move along the row of reactions; Tab leaves it as usual.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const items = [...(popover.current?.querySelectorAll('button') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    if (step) next = (at + step + items.length) % items.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    items[next]?.focus();
  };

  return (
    <div className="rt-reactions">
      <button
        type="button"
        ref={button}
        className={`rt-button${open ? ' rt-active' : ''}`}
        aria-expanded={open}
        aria-controls={open ? REACTIONS_POPOVER_ID : undefined}
        title="Send a reaction everyone sees over your tile"
        onClick={() => (open ? close(true) : setOpen(true))}
      >
        <ToolIcon name="smile" />
        <span className="rt-label">Reactions</span>
      </button>
      {open && (
        <div
          ref={popover}
          id={REACTIONS_POPOVER_ID}
          className="rt-popover"
          role="group"
          aria-label="Reactions"
          onKeyDown={onKeyDown}
        >
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="rt-emoji"
              aria-label={`React with ${REACTION_NAMES[emoji]}`}
              title={`React with ${REACTION_NAMES[emoji]}`}
              onClick={() => react(emoji)}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
