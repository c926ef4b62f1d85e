/**
 * A certificate fingerprint as people compare it: the SHA-256 bytes in four
 * rows of eight, space-separated, as Chromium's and Firefox's certificate
 * viewers show them ("AB CD EF …"). Invite links carry the colon form.
 */
export function fingerprintRows(fingerprint: string): string[] {
  const bytes = fingerprint
    .toUpperCase()
    .split(/[:\s]+/)
    .filter(Boolean);
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) rows.push(bytes.slice(i, i + 8).join(' '));
  return rows;
}
