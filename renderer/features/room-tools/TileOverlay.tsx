import { useMeeting } from '../../state/store';
import { ToolIcon } from './icons';
import './room-tools.css';

/** Over a tile: the person's raised hand and the reactions they just sent. `peerId` null is ourselves. */
export function TileOverlay({ peerId }: { peerId: string | null }) {
  const selfId = useMeeting((s) => s.session.self?.peerId ?? null);
  const id = peerId ?? selfId;
  const hand = useMeeting((s) => s.hands.findIndex((h) => h.peer_id === id));
  // Select the stable array and filter here: a selector that builds a new array re-renders forever.
  const reactions = useMeeting((s) => s.reactions).filter((r) => r.peerId === id);
  if (id === null || (hand < 0 && reactions.length === 0)) return null;
  return (
    <div className="tile-overlay" data-testid="tile-overlay">
      {hand >= 0 && (
        <span className="hand-badge" role="img" aria-label={`Hand raised, number ${hand + 1}`}>
          <ToolIcon name="hand" size={14} />
          {hand + 1}
        </span>
      )}
      {reactions.map((r) => (
        <span key={r.id} className="reaction-float" aria-hidden="true" data-emoji={r.emoji}>
          {r.emoji}
        </span>
      ))}
    </div>
  );
}
