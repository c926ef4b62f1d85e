import { useEffect, useState } from 'react';
import { desktopBridge, type DesktopBridge } from '../../../shared/desktop/bridge';

/**
 * The desktop app's bridge as recording uses it: an app older than recording
 * has no openRecordingsFolder, so it is checked for before it is offered.
 */
export type RecordingsBridge = Omit<DesktopBridge, 'openRecordingsFolder'> & {
  /** Opens the folder the host keeps its recordings in (the desktop app's own host). */
  openRecordingsFolder?(): Promise<void>;
};

/**
 * Opens the recordings folder, when this page runs in the desktop app that
 * hosts the meeting (the folder is on this computer only then); else null.
 */
export function useRecordingsFolder(): (() => Promise<void>) | null {
  const desktop = desktopBridge() as RecordingsBridge | undefined;
  const open = desktop?.openRecordingsFolder;
  const [hosting, setHosting] = useState(false);
  useEffect(() => {
    if (!desktop || !open) return;
    let current = true;
    void desktop.hostingInfo().then(
      (info) => current && setHosting(info !== null),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [desktop, open]);
  return desktop && open && hosting ? () => open.call(desktop) : null;
}
