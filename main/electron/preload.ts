// The preload bridge: sandboxed, so only contextBridge and ipcRenderer. It
// exposes the typed DesktopBridge and nothing else of Electron or Node.
import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC,
  type DesktopBridge,
  type FoundMeeting,
  type ScreenSource,
} from '../../shared/desktop/bridge';

const bridge: DesktopBridge = {
  hostMeeting: () => ipcRenderer.invoke(IPC.hostMeeting),
  stopHosting: () => ipcRenderer.invoke(IPC.stopHosting),
  hostingInfo: () => ipcRenderer.invoke(IPC.hostingInfo),
  openInvite: (link) => ipcRenderer.invoke(IPC.openInvite, link),
  openLogs: () => ipcRenderer.invoke(IPC.openLogs),
  openRecordingsFolder: () => ipcRenderer.invoke(IPC.openRecordings),
  onScreenPickerRequest: (listener) => {
    const handler = (_event: unknown, sources: ScreenSource[]) => listener(sources);
    ipcRenderer.on(IPC.screenPickerOpen, handler);
    return () => ipcRenderer.off(IPC.screenPickerOpen, handler);
  },
  chooseScreen: (sourceId) => ipcRenderer.send(IPC.screenPickerChoose, sourceId),
  watchMeetings: (listener) => {
    const handler = (_event: unknown, meetings: FoundMeeting[]) => listener(meetings);
    ipcRenderer.on(IPC.meetingsChanged, handler);
    void ipcRenderer.invoke(IPC.watchMeetings).then(listener);
    return () => ipcRenderer.off(IPC.meetingsChanged, handler);
  },
  openMeeting: (url, fingerprint) => ipcRenderer.invoke(IPC.openMeeting, url, fingerprint),
};

contextBridge.exposeInMainWorld('roundtableDesktop', bridge);
