import QRCode from 'qrcode';
import type { HostingInfo } from '../../shared/desktop/bridge';
import type { Knock } from '../../shared/protocol/moderation';
import type { HostConfig } from '../host/config';
import type { Logger } from '../host/logger';
import { startHost, type RunningHost } from '../host/host';
import { toDeepLink } from './deep-link';

/** How often the app restarts a host that lost all its media workers before it gives up. */
export const HOST_RESTARTS = { max: 3, windowMs: 5 * 60_000, delayMs: 1_000 };

/**
 * Hosting from the desktop app: the same host as `npm run host`, started and
 * stopped inside the main process (its mediasoup workers are child
 * processes, so the window stays responsive). The app is the host's
 * supervisor: a host that can no longer start any media worker is restarted
 * (quietly, so the people in the meeting rejoin), a few times at most.
 */
export class HostingController {
  private running: { host: RunningHost; info: HostingInfo } | undefined;
  private starting: Promise<HostingInfo> | undefined;
  private readonly restarts: number[] = [];

  constructor(
    private readonly config: () => HostConfig,
    private readonly log: Logger,
    /** Someone asks to join the hosted meeting while it is locked: the app shows a notification. */
    private readonly onKnock: (knock: Knock) => void = () => undefined,
  ) {}

  /** Starts hosting, or returns the running host's details. */
  start(): Promise<HostingInfo> {
    if (this.running) return Promise.resolve(this.running.info);
    this.starting ??= (async () => {
      const host = await startHost(this.config(), this.log, {
        onFatal: () => void this.restart(host),
        onKnock: (knock) => this.onKnock(knock),
        // The panel shows the new link: the old one no longer lets anyone in.
        onInviteRotated: () => {
          if (this.running?.host === host) void this.describe(host).catch(() => undefined);
        },
      });
      return this.describe(host);
    })().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** What the hosting panel shows of `host`, kept as the running host's details. */
  private async describe(host: RunningHost): Promise<HostingInfo> {
    const info: HostingInfo = {
      inviteUrl: host.inviteUrl,
      deepLink: toDeepLink(host.inviteUrl),
      ownerUrl: host.ownerUrl,
      fingerprint: host.fingerprint ?? '',
      qrDataUrl: await QRCode.toDataURL(host.inviteUrl, { margin: 1, width: 256 }),
      mediaSockets: host.mediaSockets,
    };
    this.running = { host, info };
    return info;
  }

  /** A host that can no longer carry media: stop it without ending the meeting, and start it again. */
  private async restart(host: RunningHost): Promise<void> {
    if (this.running?.host !== host) return;
    this.running = undefined;
    await host.close({ restarting: true });
    const now = Date.now();
    const recent = this.restarts.filter((at) => now - at < HOST_RESTARTS.windowMs);
    this.restarts.splice(0, this.restarts.length, ...recent, now);
    if (recent.length >= HOST_RESTARTS.max) {
      this.log.error('the host keeps failing to start its media workers; hosting stopped');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, HOST_RESTARTS.delayMs));
    try {
      await this.start();
      this.log.info('hosting restarted after the media workers failed');
    } catch (error) {
      this.log.error({ err: error }, 'could not restart hosting');
    }
  }

  info(): HostingInfo | null {
    return this.running?.info ?? null;
  }

  /** Ends the meeting for everyone: sockets closed, rooms and workers stopped. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.host.close();
  }
}
