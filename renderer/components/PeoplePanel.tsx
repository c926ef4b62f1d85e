import type { OnlineStatus } from '../../shared/protocol/services';
import { roleLabel } from '../features/moderation/peer-actions';
import { usePeerActions } from '../features/moderation/use-peer-actions';
import { micState } from '../state/media-state';
import { useMeeting } from '../state/store';
import { ActionMenu } from './Tile';

const STATUS_LABEL: Record<OnlineStatus, string> = {
  '0': 'Offline',
  '1': 'Online',
  '2': 'In a meeting',
};

/** "Owner" or "Admin" after a name, as text (screen readers read it with the name). */
function RoleBadge({ privilege }: { privilege: number | undefined }) {
  const role = roleLabel(privilege);
  return role && <span className="role-tag">{role}</span>;
}

/**
 * Who is in the room (with mute state, roles, and for admins each person's
 * actions) and who is in the hub (with live presence).
 */
export function PeoplePanel({ selfName }: { selfName: string }) {
  const peers = useMeeting((s) => s.room.peers);
  const members = useMeeting((s) => s.presence.members);
  const mic = useMeeting(micState);
  const selfUserId = useMeeting((s) => s.session.self?.userId);
  const selfPrivilege = useMeeting((s) => s.session.self?.privilege);
  const actionsFor = usePeerActions();

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
          <span className="person-name">
            <span>{selfName} (you)</span>
            <RoleBadge privilege={selfPrivilege} />
          </span>
          <span className="muted">{mic === 'on' ? '' : 'muted'}</span>
        </li>
        {people.map((peer) => {
          const mic = Object.values(peer.tracks).find((track) => track.source === 'microphone');
          const actions = actionsFor(peer);
          return (
            <li key={peer.peerId} data-testid={`participant-${peer.userId}`}>
              <span className="person-name">
                <span>{peer.displayName}</span>
                <RoleBadge privilege={peer.privilege} />
              </span>
              <span className="person-state">
                <span className="muted">
                  {peer.reconnecting ? 'reconnecting…' : !mic || mic.paused ? 'muted' : ''}
                </span>
                {actions.length > 0 && (
                  <ActionMenu
                    label={`More actions for ${peer.displayName}`}
                    actions={actions}
                    className="person-menu"
                  />
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <h2>Hub members</h2>
      <ul>
        {sortedMembers.map((member) => (
          <li key={member.id} data-testid={`member-${member.id}`} data-online={member.online}>
            <span className="person-name">
              <span>
                <span className={`dot status-${member.online}`} aria-hidden="true" />
                {member.fullname}
                {member.id === selfUserId && ' (you)'}
              </span>
              <RoleBadge privilege={member.privilege} />
            </span>
            <span className="muted">{STATUS_LABEL[member.online]}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
