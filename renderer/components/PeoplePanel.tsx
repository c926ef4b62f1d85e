import { PRIVILEGE, type OnlineStatus } from '../../shared/protocol/services';
import { micState } from '../state/media-state';
import { useMeeting } from '../state/store';

const STATUS_LABEL: Record<OnlineStatus, string> = {
  '0': 'Offline',
  '1': 'Online',
  '2': 'In a meeting',
};

/** Who is in the room (with mute state) and who is in the hub (with live presence). */
export function PeoplePanel({ selfName }: { selfName: string }) {
  const peers = useMeeting((s) => s.room.peers);
  const members = useMeeting((s) => s.presence.members);
  const mic = useMeeting(micState);
  const selfUserId = useMeeting((s) => s.session.self?.userId);

  const people = Object.values(peers);
  const order: Record<OnlineStatus, number> = { '2': 0, '1': 1, '0': 2 };
  const sortedMembers = [...members].sort(
    (a, b) => order[a.online] - order[b.online] || a.fullname.localeCompare(b.fullname),
  );
  return (
    <aside className="people" aria-label="People">
      <h2>In this meeting ({people.length + 1})</h2>
      <ul>
        <li>
          <span>{selfName} (you)</span>
          <span className="muted">{mic === 'on' ? '' : 'muted'}</span>
        </li>
        {people.map((peer) => {
          const mic = Object.values(peer.tracks).find((track) => track.source === 'microphone');
          return (
            <li key={peer.peerId} data-testid={`participant-${peer.userId}`}>
              <span>{peer.fullname}</span>
              <span className="muted">
                {peer.reconnecting ? 'reconnecting…' : !mic || mic.paused ? 'muted' : ''}
              </span>
            </li>
          );
        })}
      </ul>
      <h2>Hub members</h2>
      <ul>
        {sortedMembers.map((member) => (
          <li key={member.id} data-testid={`member-${member.id}`} data-online={member.online}>
            <span>
              <span className={`dot status-${member.online}`} aria-hidden="true" />
              {member.fullname}
              {member.id === selfUserId && ' (you)'}
              {member.privilege >= PRIVILEGE.owner
                ? ' · host'
                : member.privilege >= PRIVILEGE.admin
                  ? ' · admin'
                  : ''}
            </span>
            <span className="muted">{STATUS_LABEL[member.online]}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
