import { useCallback } from 'react';
import type { TileAction } from '../../components/Tile';
import { useMeetingClient } from '../../meeting/context';
import { useMeeting, type RemotePeer } from '../../state/store';
import { describeModerationError } from './describe';
import { PEER_ACTION_LABEL, peerActionKinds, type PeerActionKind } from './peer-actions';

/**
 * The moderation entries of a person's menus (tile and People panel), ready
 * to run: requests go to the host, refusals become a notice, removing asks
 * first. `only` narrows them (a screen share's tile offers Stop presenting).
 */
export function usePeerActions(): (
  peer: RemotePeer,
  only?: readonly PeerActionKind[],
) => TileAction[] {
  const client = useMeetingClient();
  const selfPrivilege = useMeeting((s) => s.session.self?.privilege ?? 0);
  const settings = useMeeting((s) => s.moderation.settings);
  const hands = useMeeting((s) => s.hands);
  const notify = useMeeting((s) => s.showModerationNotice);
  const setConfirming = useMeeting((s) => s.setConfirming);

  return useCallback(
    (peer, only) => {
      const moderation = client.moderation;
      const send = (request: () => Promise<void>) => () =>
        void request().catch((error: unknown) => notify(describeModerationError(error)));
      const run: Record<PeerActionKind, () => void> = {
        'mute-microphone': send(() => moderation.mutePeer(peer.peerId, 'microphone')),
        'stop-camera': send(() => moderation.mutePeer(peer.peerId, 'camera')),
        'stop-screen': send(() => moderation.mutePeer(peer.peerId, 'screen')),
        'allow-unmute': send(() => moderation.allowUnmute(peer.peerId)),
        'make-admin': send(() => moderation.setRole(peer.peerId, 'admin')),
        'remove-admin': send(() => moderation.setRole(peer.peerId, 'member')),
        remove: () =>
          setConfirming({ kind: 'remove', peerId: peer.peerId, name: peer.displayName }),
      };
      const handRaised = hands.some((hand) => hand.peer_id === peer.peerId);
      return peerActionKinds(peer, { selfPrivilege, settings, handRaised })
        .filter((kind) => !only || only.includes(kind))
        .map((kind, index) => ({
          label: PEER_ACTION_LABEL[kind],
          run: run[kind],
          // Moderation starts a new group below pinning and layout; removing is the dangerous one.
          separated: index === 0,
          danger: kind === 'remove',
        }));
    },
    [client, selfPrivilege, settings, hands, notify, setConfirming],
  );
}
