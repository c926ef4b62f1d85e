import { X509Certificate } from 'node:crypto';

/**
 * What the desktop app trusts. A host's certificate is self-signed, so it is
 * trusted exactly when its SHA-256 fingerprint is the one the invite link
 * carried (pinned per origin); anything else self-signed is left to
 * Chromium's normal verification, which rejects it. The same origins are the
 * only ones the window may navigate to and grant camera, microphone and
 * screen capture to.
 */
/**
 * scheme://host[:port] of a URL. Not URL.origin: that is "null" for app://,
 * which Chromium (with the scheme registered as standard) treats as a real origin.
 */
export function originOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

export class TrustedOrigins {
  /** Origins whose pages are ours: the bundled app and hosts we joined. */
  private readonly origins = new Set<string>();
  /** Host name → pinned fingerprint (colon-separated SHA-256, as the host prints it). Electron's verifier sees no port. */
  private readonly pins = new Map<string, string>();

  constructor(appOrigin: string) {
    this.origins.add(originOf(appOrigin));
  }

  /** Trusts a host we join (from its invite link) or host ourselves. */
  addHost(origin: string, fingerprint: string | null): void {
    this.origins.add(originOf(origin));
    if (fingerprint) this.pins.set(new URL(origin).hostname, fingerprint.toUpperCase());
  }

  isTrusted(url: string): boolean {
    try {
      return this.origins.has(originOf(url));
    } catch {
      return false;
    }
  }

  /**
   * Electron's certificate verification result for a TLS connection:
   * 0 accepts, -2 rejects, -3 uses Chromium's own verification.
   */
  verifyCertificate(hostname: string, certificatePem: string): 0 | -2 | -3 {
    const pinned = this.pins.get(hostname);
    if (!pinned) return -3;
    return new X509Certificate(certificatePem).fingerprint256 === pinned ? 0 : -2;
  }

  /** Camera and microphone ("media"), screen capture and fullscreen, for trusted pages only. */
  allowsPermission(permission: string, requestingUrl: string): boolean {
    const allowed = ['media', 'display-capture', 'fullscreen', 'clipboard-sanitized-write'];
    return allowed.includes(permission) && this.isTrusted(requestingUrl);
  }
}
