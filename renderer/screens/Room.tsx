import { useEffect, useMemo, useState } from 'react';
import { AudioSink } from '../components/AudioSink';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { PeoplePanel } from '../components/PeoplePanel';
import { ScreenPicker } from '../components/ScreenPicker';
import { InviteCard } from '../features/invite/InviteCard';
import { ConfirmDialog } from '../features/moderation/ConfirmDialog';
import { describeModerationError } from '../features/moderation/describe';
import { LobbyCard } from '../features/moderation/LobbyCard';
import { ModerationDialogs } from '../features/moderation/ModerationDialogs';
import { isAdmin } from '../features/moderation/peer-actions';
import { UnmutePrompt } from '../features/moderation/UnmutePrompt';
import { Notices } from '../features/notices/Notices';
import { RecordingDialogs } from '../features/recording/RecordingDialogs';
import { RecordingIndicator } from '../features/recording/RecordingIndicator';
import { RoomToolPanels } from '../features/room-tools/RoomToolPanels';
import { ShortcutsHelp } from '../features/shortcuts/ShortcutsHelp';
import { useMeetingClient } from '../meeting/context';
import { loadPreferences } from '../state/preferences';
import { useMeeting } from '../state/store';
import { ControlBar } from './room/ControlBar';
import { Stage } from './room/Stage';
import { useShortcuts } from './room/use-shortcuts';

/** What the meeting is called in the tab title and the room's heading. */
const MEETING_NAME = 'Roundtable';

function hostOf(origin: string | undefined): string {
  try {
    return origin ? new URL(origin).host : '';
  } catch {
    return '';
  }
}

const peopleCount = (count: number) => `${count} ${count === 1 ? 'person' : 'people'}`;

/** The tab shows the meeting and how many are in it; the title from before comes back on leaving. */
function useTabTitle(count: number) {
  useEffect(() => {
    const before = document.title;
    return () => {
      document.title = before;
    };
  }, []);
  useEffect(() => {
    document.title = `${MEETING_NAME} — ${peopleCount(count)}`;
  }, [count]);
}

/**
 * "Leave the meeting?" with Leave and Stay (and, for admins, End for
 * everyone, as Google Meet offers): Esc, Stay and a click on the backdrop
 * stay; the focus starts on Leave and goes back where it was.
 */
function LeaveDialog({
  open,
  onStay,
  onLeave,
  onEndForEveryone,
}: {
  open: boolean;
  onStay(): void;
  onLeave(): void;
  onEndForEveryone(): void;
}) {
  const admin = useMeeting((s) => isAdmin(s.session.self?.privilege));
  return (
    <ConfirmDialog
      open={open}
      title="Leave the meeting?"
      onCancel={onStay}
      buttons={[
        { label: 'Stay', onClick: onStay },
        ...(admin
          ? [
              {
                label: 'End for everyone',
                tone: 'danger-outline' as const,
                onClick: onEndForEveryone,
              },
            ]
          : []),
        { label: 'Leave', tone: 'danger', onClick: onLeave, autoFocus: true },
      ]}
    >
      <p>
        You can come back with the same invite link. Next time, hold Shift while clicking Leave to
        leave at once.
      </p>
    </ConfirmDialog>
  );
}

/** The meeting room: the stage, side panels, remote audio and the control bar. */
export function Room() {
  const client = useMeetingClient();
  const peers = useMeeting((s) => s.room.peers);
  const { micOn, camOn } = useMeeting((s) => s.localMedia);
  const peoplePanelOpen = useMeeting((s) => s.ui.peoplePanelOpen);
  const chatOpen = useMeeting((s) => s.chat.panelOpen);
  const host = hostOf(useMeeting((s) => s.session.target?.origin));
  // The room's name for us (" (2)" added when names repeat), else the one we typed.
  const selfName =
    useMeeting((s) => s.session.self?.displayName) || loadPreferences().displayName || 'You';
  const notify = useMeeting((s) => s.showModerationNotice);
  const [confirmingLeave, setConfirmingLeave] = useState(false);
  const count = Object.keys(peers).length + 1;
  useTabTitle(count);

  const actions = useMemo(
    () => ({
      mic: () => void client.setMicOn(!micOn),
      camera: () => void client.setCamOn(!camOn),
      askToLeave: () => setConfirmingLeave(true),
      leave: () => void client.leave(),
    }),
    [client, micOn, camOn],
  );
  useShortcuts(actions);

  return (
    <main
      className={`screen room${peoplePanelOpen ? ' with-panel' : chatOpen ? ' with-chat' : ''}`}
    >
      <h1 className="visually-hidden">
        {MEETING_NAME} meeting{host && ` on ${host}`}, {peopleCount(count)}
      </h1>
      <RecordingIndicator />
      <ConnectionBanner />
      <Stage selfName={selfName} />
      <InviteCard />
      {peoplePanelOpen && <PeoplePanel selfName={selfName} />}
      <RoomToolPanels />
      <ScreenPicker />
      <ShortcutsHelp />
      <Notices />
      <LobbyCard />
      <UnmutePrompt />
      <ModerationDialogs />
      <RecordingDialogs />
      {Object.values(peers).flatMap((peer) =>
        Object.values(peer.tracks)
          .filter((track) => track.kind === 'audio' && track.track)
          .map((track) => <AudioSink key={track.producerId} track={track.track!} />),
      )}
      <ControlBar actions={actions} />
      <LeaveDialog
        open={confirmingLeave}
        onStay={() => setConfirmingLeave(false)}
        onLeave={actions.leave}
        onEndForEveryone={() => {
          setConfirmingLeave(false);
          void client.moderation
            .endMeeting()
            .catch((error: unknown) => notify(describeModerationError(error)));
        }}
      />
    </main>
  );
}
