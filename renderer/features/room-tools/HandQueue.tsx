import { useMeeting } from '../../state/store';
import { ToolIcon } from './icons';

/** Hands listed by name; the rest are counted. */
const LISTED = 6;

/** Everyone's raised hands, first raised on top, for everyone to see while any is up. */
export function HandQueue() {
  const hands = useMeeting((s) => s.hands);
  const selfPeerId = useMeeting((s) => s.session.self?.peerId);
  if (hands.length === 0) return null;
  return (
    <section className="rt-hands" aria-labelledby="room-tools-hands-title" data-testid="hand-queue">
      <h2 id="room-tools-hands-title">
        <ToolIcon name="hand" size={16} />
        Raised hands ({hands.length})
      </h2>
      <ol>
        {hands.slice(0, LISTED).map((hand) => (
          <li key={hand.peer_id}>
            {hand.fullname}
            {hand.peer_id === selfPeerId && <span className="rt-you"> (you)</span>}
          </li>
        ))}
      </ol>
      {hands.length > LISTED && <p className="rt-more">and {hands.length - LISTED} more</p>}
    </section>
  );
}
