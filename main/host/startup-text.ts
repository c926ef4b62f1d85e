import QRCode from 'qrcode';
import { fingerprintRows } from '../../shared/format/fingerprint';
import type { RunningHost } from './host';

/**
 * What `npm run host` prints when it is up: the invite link first, with a QR
 * code a phone can scan from the terminal, then how else to reach the
 * meeting, the certificate fingerprint to compare, and the rest for whoever
 * runs the host. Tests read the "Invite link", fingerprint and "Media ports" lines.
 */
export async function startupText(
  host: Pick<
    RunningHost,
    | 'inviteUrl'
    | 'ownerUrl'
    | 'urls'
    | 'localUrl'
    | 'meetingName'
    | 'fingerprint'
    | 'apiToken'
    | 'mediaSockets'
  >,
  dataDir: string,
): Promise<string> {
  const qr = await QRCode.toString(host.inviteUrl, { type: 'terminal', small: true });
  const addresses = host.localUrl ? [host.localUrl, ...host.urls] : host.urls;
  return [
    '',
    `Roundtable is hosting "${host.meetingName}".`,
    '',
    `Invite link (share it):  ${host.inviteUrl}`,
    qr,
    'Without the link, people on your network can open this and ask to join:',
    ...addresses.map((url) => `  ${url}`),
    '',
    ...(host.fingerprint
      ? [
          'Certificate fingerprint (SHA-256): when the browser warns, compare it with this:',
          ...fingerprintRows(host.fingerprint).map((row) => `    ${row}`),
          `  ${host.fingerprint}`,
        ]
      : ['Plain HTTP (--insecure-http): browsers allow camera and microphone only on localhost.']),
    '',
    `Owner link (keep it):    ${host.ownerUrl}`,
    `REST API token (keep it): Authorization: Bearer ${host.apiToken}`,
    `Media ports to allow through a firewall: ${host.mediaSockets.join(', ')}`,
    `Data: ${dataDir}`,
    '',
  ].join('\n');
}
