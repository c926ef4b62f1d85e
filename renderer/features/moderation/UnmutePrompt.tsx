import { useEffect } from 'react';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting } from '../../state/store';
import { describeToolError } from '../room-tools/errors';
import { ASK_TO_UNMUTE_TEXT } from './describe';
import { ToolIcon } from '../room-tools/icons';
import './moderation.css';

/**
 * Shown when our unmute was held back because the meeting asks people to ask
 * first: says so and offers raising the hand (an admin then lets us unmute).
 * Goes when dismissed or when an admin lets us.
 */
export function UnmutePrompt() {
  const client = useMeetingClient();
  const prompt = useMeeting((s) => s.moderation.unmutePrompt);
  const mayUnmute = useMeeting((s) => s.moderation.mayUnmute);
  const raised = useMeeting((s) => s.hands.some((h) => h.peer_id === s.session.self?.peerId));
  const dismiss = useMeeting((s) => s.dismissUnmutePrompt);
  const notify = useMeeting((s) => s.showModerationNotice);

  // Said aloud once per refusal; the card shows it.
  useEffect(() => {
    if (prompt !== null) notify(ASK_TO_UNMUTE_TEXT, { toast: false });
  }, [prompt, notify]);

  if (prompt === null || mayUnmute) return null;
  return (
    <section className="unmute-prompt" aria-label="Ask to unmute" data-testid="unmute-prompt">
      <p>
        {ASK_TO_UNMUTE_TEXT}
        {raised && '. Your hand is raised: an admin can let you unmute.'}
      </p>
      <div className="row">
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
        {!raised && (
          <button
            type="button"
            className="primary"
            onClick={() =>
              void client.tools
                .setHandRaised(true)
                .catch((error: unknown) => notify(describeToolError(error)))
            }
          >
            <ToolIcon name="hand" />
            Raise hand
          </button>
        )}
      </div>
    </section>
  );
}
