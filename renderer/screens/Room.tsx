import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { AudioSink } from '../components/AudioSink';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { PeoplePanel } from '../components/PeoplePanel';
import { ScreenPicker } from '../components/ScreenPicker';
import { InviteCard } from '../features/invite/InviteCard';
import { Notices } from '../features/notices/Notices';
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
 * "Leave the meeting?" with Leave and Stay: Esc, Stay and a click on the
 * backdrop stay; the focus starts on Leave and goes back where it was.
 */
function LeaveDialog({
  open,
  onStay,
  onLeave,
}: {
  open: boolean;
  onStay(): void;
  onLeave(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const leave = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    leave.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="leave-dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      // Esc: we stay (at once, before the browser's close event), and the browser closes the dialog.
      onCancel={onStay}
      onClose={onStay}
      onClick={(event) => {
        if (event.target !== ref.current) return;
        const box = ref.current.getBoundingClientRect();
        const inside =
          event.clientX >= box.left &&
          event.clientX <= box.right &&
          event.clientY >= box.top &&
          event.clientY <= box.bottom;
        if (!inside) onStay();
      }}
    >
      {open && (
        <>
          <h2 id={titleId}>Leave the meeting?</h2>
          <p id={textId}>
            You can come back with the same invite link. Next time, hold Shift while clicking Leave
            to leave at once.
          </p>
          <div className="leave-dialog-buttons">
            <button type="button" onClick={onStay}>
              Stay
            </button>
            <button ref={leave} type="button" className="danger" onClick={onLeave}>
              Leave
            </button>
          </div>
        </>
      )}
    </dialog>
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
  const selfName = loadPreferences().displayName || 'You';
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
      <ConnectionBanner />
      <Stage selfName={selfName} />
      <InviteCard />
      {peoplePanelOpen && <PeoplePanel selfName={selfName} />}
      <RoomToolPanels />
      <ScreenPicker />
      <ShortcutsHelp />
      <Notices />
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
      />
    </main>
  );
}
