/**
 * roundtable:// links: the registered protocol hands invite links to the
 * desktop app. `roundtable://join/192.168.1.20:8443?hub=…&invite=…&fp=…`
 * becomes the https invite link the web client understands.
 */

export const PROTOCOL = 'roundtable';

export interface DeepLinkInvite {
  /** https://host:port/#/join?… as the host prints it. */
  inviteUrl: string;
  origin: string;
  /** SHA-256 fingerprint to pin for this origin, when the link carries one. */
  fingerprint: string | null;
}

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export function parseDeepLink(link: string): DeepLinkInvite | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${PROTOCOL}:` || url.hostname !== 'join') return null;
  const hostPort = url.pathname.replace(/^\/+/, '').split('/')[0] ?? '';
  const hub = url.searchParams.get('hub');
  const invite = url.searchParams.get('invite');
  if (!hub || !invite || !/^[\w.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i.test(hostPort))
    return null;
  let origin: string;
  try {
    origin = new URL(`https://${hostPort}`).origin;
  } catch {
    return null;
  }
  const fp = url.searchParams.get('fp');
  const fingerprint = fp && FINGERPRINT.test(fp.toUpperCase()) ? fp.toUpperCase() : null;
  // As the host prints it: the fingerprint readable (colons are fine in a fragment).
  const query = new URLSearchParams({ hub, invite });
  return {
    inviteUrl: `${origin}/#/join?${query}${fingerprint ? `&fp=${fingerprint}` : ''}`,
    origin,
    fingerprint,
  };
}

/** The roundtable:// link among a (second) instance's command-line arguments, if any. */
export function deepLinkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.startsWith(`${PROTOCOL}://`));
}

/** The deep link for an https invite link, for sharing with desktop users. */
export function toDeepLink(inviteUrl: string): string {
  const url = new URL(inviteUrl);
  const query = new URLSearchParams(url.hash.replace(/^#\/join\??/, ''));
  return `${PROTOCOL}://join/${url.host}?${query}`;
}
