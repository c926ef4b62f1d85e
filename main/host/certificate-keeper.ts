import type { Server } from 'node:https';
import type { Logger } from './logger';
import {
  dueForRenewal,
  loadOrCreateCertificate,
  type CertificateOptions,
  type HostCertificate,
} from './tls';

/** How often a running host looks at its certificate's expiry. */
const CHECK_EVERY_MS = 12 * 60 * 60_000;

/**
 * The certificate a running host serves: loaded (or made) at start, and for
 * a host that runs for months, renewed in place before it expires (the
 * server takes the new one for new connections; invite links carry the new
 * fingerprint from then on). A certificate given with --cert/--key is only
 * warned about: its owner renews it.
 */
export class CertificateKeeper {
  private timer: NodeJS.Timeout | undefined;
  private server: Server | undefined;

  private constructor(
    private certificate: HostCertificate,
    private readonly options: CertificateOptions,
    private readonly log: Logger,
  ) {}

  static async load(options: CertificateOptions, log: Logger): Promise<CertificateKeeper> {
    return new CertificateKeeper(await loadOrCreateCertificate(options, log), options, log);
  }

  get current(): HostCertificate {
    return this.certificate;
  }

  /** Starts watching the expiry for `server`, which serves the certificate. */
  watch(server: Server): void {
    this.server = server;
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Renews the certificate when it is due (the host's own) or warns (a given one). */
  async check(now = (this.options.now ?? (() => new Date()))()): Promise<void> {
    if (!dueForRenewal(this.certificate, now)) return;
    try {
      // Loading again renews a due certificate of the host's own, or warns about a given one.
      const next = await loadOrCreateCertificate({ ...this.options, now: () => now }, this.log);
      if (next.fingerprint === this.certificate.fingerprint) return;
      this.server?.setSecureContext({ cert: next.cert, key: next.key });
      this.certificate = next;
    } catch (error) {
      this.log.error({ err: error }, 'could not renew the certificate; trying again later');
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
