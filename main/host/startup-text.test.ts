import jsQR from 'jsqr';
import { expect, test } from 'vitest';
import { startupText } from './startup-text';

// What `npm run host` prints: the invite first, and a QR code of it that a
// phone can scan off the terminal (decoded here from the printed characters).

const host = {
  inviteUrl:
    'https://192.168.1.20:8443/#/join?hub=6b0690a58cec513e&invite=yZW3G0jRhZmsYeSk&fp=AB%3ACD',
  ownerUrl: 'https://192.168.1.20:8443/#/join?hub=6b0690a58cec513e&invite=owner-key',
  urls: ['https://192.168.1.20:8443/', 'https://127.0.0.1:8443/'],
  localUrl: 'https://alices-laptop.local:8443/',
  meetingName: 'Design review',
  fingerprint: Array.from({ length: 32 }, (_, i) =>
    (i * 7).toString(16).padStart(2, '0').toUpperCase(),
  ).join(':'),
  apiToken: 'token',
  mediaSockets: ['udp 192.168.1.20:40000', 'tcp 192.168.1.20:40000'],
};

test('the invite link comes first, then its QR code, which decodes to the link', async () => {
  const text = await startupText(host, '/data');
  const lines = text.split('\n');
  const invite = lines.findIndex((line) => line.startsWith('Invite link (share it):'));
  expect(invite).toBe(3);
  expect(lines.findIndex((line) => line.includes(host.ownerUrl))).toBeGreaterThan(invite);
  expect(lines[1]).toBe('Roundtable is hosting "Design review".');
  expect(decodeTerminalQr(lines.slice(invite + 1))).toBe(host.inviteUrl);
  // Then the ways in without the link, the local name first, and the fingerprint grouped.
  expect(text).toMatch(
    /ask to join:\n {2}https:\/\/alices-laptop\.local:8443\/\n {2}https:\/\/192\.168\.1\.20/,
  );
  expect(text).toContain('    00 07 0E 15 1C 23 2A 31\n');
  expect(text).toContain(`  ${host.fingerprint}\n`);
});

/**
 * Reads a QR code printed with half blocks (qrcode's small terminal form:
 * black on white, each character two pixels high) back into pixels and decodes it.
 */
const ESC = String.fromCharCode(27);

function decodeTerminalQr(lines: string[]): string | undefined {
  const rows: boolean[][] = [];
  for (const line of lines) {
    if (!line.includes('\u001b[47m')) break;
    // The last row paints its bottom half white on the terminal's own background: all light.
    const light = line.includes('\u001b[37m');
    const chars = [...line.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')];
    rows.push(chars.map((c) => !light && (c === '█' || c === '▀')));
    rows.push(chars.map((c) => !light && (c === '█' || c === '▄')));
  }
  const scale = 4;
  const margin = 4;
  const width = (rows[0]!.length + 2 * margin) * scale;
  const height = (rows.length + 2 * margin) * scale;
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  rows.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const at = (((y + margin) * scale + dy) * width + (x + margin) * scale + dx) * 4;
          pixels.fill(0, at, at + 3);
        }
    }),
  );
  return jsQR(pixels, width, height)?.data;
}
