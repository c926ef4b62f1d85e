import { IPC, type FoundMeeting, type HostingInfo } from '../../shared/desktop/bridge';
import { originOf, type TrustedOrigins } from './trust';

/** The part of Electron's ipcMain the handlers need. */
export interface IpcRegistrar {
  handle(
    channel: string,
    handler: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void;
}

export interface IpcDeps {
  hosting: { start(): Promise<HostingInfo>; stop(): Promise<void>; info(): HostingInfo | null };
  trust: TrustedOrigins;
  /** Origin of the bundled app's own pages: they, and the pages of our own host, may start or stop hosting. */
  appOrigin: string;
  openInvite(link: string): Promise<void>;
  openLogs(): Promise<void>;
  /** Opens the hosted meeting's recordings folder (<data dir>/recordings) in the file manager. */
  openRecordingsFolder(): Promise<void>;
  /** Starts listing the meetings on the network (pushed to the app's page); returns the list now. */
  watchMeetings(): FoundMeeting[];
  openMeeting(url: string, fingerprint: string | null): Promise<void>;
}

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** A found meeting's address: http(s), a host and port, nothing after the slash. */
function meetingAddress(url: unknown): string {
  if (typeof url === 'string' && URL.canParse(url)) {
    const parsed = new URL(url);
    if (
      /^https?:$/.test(parsed.protocol) &&
      parsed.pathname === '/' &&
      !parsed.search &&
      !parsed.hash
    )
      return parsed.href;
  }
  throw new TypeError("a meeting's address is https://<address>:<port>/");
}

export class IpcForbiddenError extends Error {}

/**
 * The main-process side of the preload bridge. Every call checks who asks:
 * hosting is for the app's own pages and the meeting we host, the rest for
 * any trusted page (a host we joined).
 */
export function registerIpcHandlers(ipc: IpcRegistrar, deps: IpcDeps): void {
  const ownOrigins = () => {
    const hosted = deps.hosting.info();
    return hosted ? [deps.appOrigin, originOf(hosted.ownerUrl)] : [deps.appOrigin];
  };
  const from = (event: { senderFrame: { url: string } | null }, ownOnly: boolean) => {
    const url = event.senderFrame?.url ?? '';
    const origin = URL.canParse(url) ? originOf(url) : '';
    const allowed = ownOnly ? ownOrigins().includes(origin) : deps.trust.isTrusted(url);
    if (!allowed) throw new IpcForbiddenError(`not allowed from ${url || 'an unknown frame'}`);
  };
  ipc.handle(IPC.hostMeeting, (event) => (from(event, true), deps.hosting.start()));
  ipc.handle(IPC.stopHosting, (event) => (from(event, true), deps.hosting.stop()));
  ipc.handle(IPC.hostingInfo, (event) => (from(event, false), deps.hosting.info()));
  ipc.handle(IPC.openInvite, (event, link) => {
    from(event, false);
    if (typeof link !== 'string' || link.length > 2048)
      throw new TypeError('an invite link is a string');
    return deps.openInvite(link);
  });
  ipc.handle(IPC.openLogs, (event) => (from(event, false), deps.openLogs()));
  // The recordings are on this computer only when it hosts: for its own pages, never a joined host's.
  ipc.handle(IPC.openRecordings, (event) => (from(event, true), deps.openRecordingsFolder()));
  // The network's meetings are the app's own Home's business, not a joined host's pages.
  ipc.handle(IPC.watchMeetings, (event) => (from(event, true), deps.watchMeetings()));
  ipc.handle(IPC.openMeeting, (event, url, fingerprint) => {
    from(event, true);
    if (fingerprint !== null && !(typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint)))
      throw new TypeError('a fingerprint is 32 colon-separated hex bytes, or null');
    return deps.openMeeting(meetingAddress(url), fingerprint);
  });
}
