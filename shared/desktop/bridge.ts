/**
 * The few calls the desktop app's preload script exposes to its pages as
 * `window.roundtableDesktop` (contextBridge). Absent in a plain browser.
 */

export interface HostingInfo {
  /** Link for the people invited (https, as browsers open it). */
  inviteUrl: string;
  /** The same as a roundtable:// link, for desktop users. */
  deepLink: string;
  /** Link that makes its opener the hub's owner: the app opens it for the person hosting. */
  ownerUrl: string;
  fingerprint: string;
  /** The invite link as a QR code image (data: URL), for phones. */
  qrDataUrl: string;
  mediaSockets: string[];
}

/** A meeting announced on the LAN (multicast DNS), as the desktop app lists it. */
export interface FoundMeeting {
  name: string;
  /** Where to open it: https://<address>:<port>/ for each address it gave. */
  urls: string[];
  /** Its certificate fingerprint (pinned when opening it), or null over plain HTTP. */
  fingerprint: string | null;
  hostName: string;
}

export interface ScreenSource {
  id: string;
  name: string;
  kind: 'screen' | 'window';
  thumbnailDataUrl: string;
}

export interface DesktopBridge {
  hostMeeting(): Promise<HostingInfo>;
  stopHosting(): Promise<void>;
  hostingInfo(): Promise<HostingInfo | null>;
  /** Opens an invite link (https or roundtable://), trusting exactly the certificate it names. */
  openInvite(link: string): Promise<void>;
  openLogs(): Promise<void>;
  /** Opens the folder of the meeting's recordings (this app's host) in the file manager. */
  openRecordingsFolder(): Promise<void>;
  /** Lists the meetings on the network now and whenever that changes, until the returned function is called. */
  watchMeetings(listener: (meetings: FoundMeeting[]) => void): () => void;
  /** Opens a meeting found on the network (its page, where one asks to join), trusting exactly its certificate. */
  openMeeting(url: string, fingerprint: string | null): Promise<void>;
  /** The app asks the page to pick what to share; answer with chooseScreen. */
  onScreenPickerRequest(listener: (sources: ScreenSource[]) => void): () => void;
  chooseScreen(sourceId: string | null): void;
}

/** IPC channel names between preload and main. */
export const IPC = {
  hostMeeting: 'hosting:start',
  stopHosting: 'hosting:stop',
  hostingInfo: 'hosting:info',
  openInvite: 'invite:open',
  openLogs: 'logs:open',
  openRecordings: 'recordings:open',
  watchMeetings: 'meetings:watch',
  meetingsChanged: 'meetings:changed',
  openMeeting: 'meeting:open',
  screenPickerOpen: 'screen-picker:open',
  screenPickerChoose: 'screen-picker:choose',
} as const;

export function desktopBridge(): DesktopBridge | undefined {
  return (globalThis as { roundtableDesktop?: DesktopBridge }).roundtableDesktop;
}
