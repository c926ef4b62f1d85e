import { useEffect, useId, useRef, useState } from 'react';
import type { Knock } from '../../../shared/protocol/moderation';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { describeModerationError } from './describe';
import { ModerationIcon } from './icons';
import { isAdmin } from './peer-actions';
import './moderation.css';

/** "Chrome on Linux · invited" */
function knockDetails(knock: Knock): string {
  return `${knock.device} · ${knock.invited ? 'invited' : 'not invited'}`;
}

/**
 * For admins, while people wait in the lobby: who they are (name, browser and
 * system, invited or not) with Admit and Decline, and Admit all when more
 * than one wait. It shows without being opened (a new knock also plays the
 * notice sound and is announced; see Notices) and can be folded to its title.
 */
export function LobbyCard() {
  const admin = useMeeting((s) => isAdmin(s.session.self?.privilege));
  const knocks = useMeeting((s) => s.moderation.knocks);
  if (!admin || knocks.length === 0) return null;
  return <Lobby knocks={knocks} />;
}

function Lobby({ knocks }: { knocks: Knock[] }) {
  const client = useMeetingClient();
  const notify = useMeeting((s) => s.showModerationNotice);
  const [folded, setFolded] = useState(false);
  // Answers on their way: their buttons wait, so one click is one answer.
  const [answering, setAnswering] = useState<ReadonlySet<string>>(new Set());
  const headingId = useId();
  const listId = useId();
  const card = useRef<HTMLElement>(null);
  /** An answer was given from the keyboard or a click inside the card. */
  const refocus = useRef(false);

  // An answered knock leaves with the button that had the focus: the next one takes it.
  useEffect(() => {
    const active = document.activeElement;
    if (!refocus.current || (active && active !== document.body && active.isConnected)) return;
    refocus.current = false;
    card.current?.querySelector<HTMLElement>('button:not(:disabled)')?.focus();
  }, [knocks]);

  // Someone new knocks: the card opens again.
  const count = useRef(knocks.length);
  useEffect(() => {
    if (knocks.length > count.current) setFolded(false);
    count.current = knocks.length;
  }, [knocks.length]);

  const answer = (list: Knock[], admit: boolean) => {
    const ids = list.map((knock) => knock.knock_id);
    refocus.current = !!card.current?.contains(document.activeElement);
    setAnswering((was) => new Set([...was, ...ids]));
    void Promise.all(ids.map((id) => client.moderation.answerKnock(id, admit)))
      .catch((error: unknown) => notify(describeModerationError(error)))
      .finally(() => setAnswering((was) => new Set([...was].filter((id) => !ids.includes(id)))));
  };

  return (
    <section ref={card} className="lobby-card" aria-labelledby={headingId} data-testid="lobby-card">
      <div className="lobby-head">
        <ModerationIcon name="person" />
        <h2 id={headingId}>Waiting to join ({knocks.length})</h2>
        <button
          type="button"
          className="lobby-fold"
          aria-expanded={!folded}
          aria-controls={listId}
          onClick={() => setFolded(!folded)}
        >
          {folded ? 'Show' : 'Hide'}
        </button>
      </div>
      <div id={listId} hidden={folded}>
        <ul className="lobby-list">
          {knocks.map((knock) => {
            const busy = answering.has(knock.knock_id);
            return (
              <li key={knock.knock_id} data-testid={`knock-${knock.knock_id}`}>
                <span className="lobby-who">
                  <span className="lobby-name">{knock.display_name}</span>
                  <span className="lobby-device">{knockDetails(knock)}</span>
                </span>
                <span className="lobby-answers">
                  <button
                    type="button"
                    aria-label={`Decline ${knock.display_name}`}
                    disabled={busy}
                    onClick={() => answer([knock], false)}
                  >
                    Decline
                  </button>
                  <button
                    type="button"
                    className="primary"
                    aria-label={`Admit ${knock.display_name}`}
                    disabled={busy}
                    onClick={() => answer([knock], true)}
                  >
                    Admit
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
        {knocks.length > 1 && (
          <button
            type="button"
            className="lobby-admit-all"
            disabled={knocks.every((knock) => answering.has(knock.knock_id))}
            onClick={() => answer(knocks, true)}
          >
            Admit all ({knocks.length})
          </button>
        )}
      </div>
    </section>
  );
}
