import QRCode from 'qrcode';
import type { HostingInfo } from '../../shared/desktop/bridge';
import type { HostConfig } from '../host/config';
import type { Logger } from '../host/logger';
import { startHost, type RunningHost } from '../host/host';
import { toDeepLink } from './deep-link';

/**
 * Hosting from the desktop app: the same host as `npm run host`, started and
 * stopped inside the main process (its mediasoup workers are child
 * processes, so the window stays responsive).
 */
export class HostingController {
  private running: { host: RunningHost; info: HostingInfo } | undefined;
  private starting: Promise<HostingInfo> | undefined;

  constructor(
    private readonly config: () => HostConfig,
    private readonly log: Logger,
  ) {}

  /** Starts hosting, or returns the running host's details. */
  start(): Promise<HostingInfo> {
    if (this.running) return Promise.resolve(this.running.info);
    this.starting ??= (async () => {
      const host = await startHost(this.config(), this.log);
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
    })().finally(() => (this.starting = undefined));
    return this.starting;
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
