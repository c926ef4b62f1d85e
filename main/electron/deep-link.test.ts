import { expect, test } from 'vitest';
import { deepLinkFromArgv, parseDeepLink, toDeepLink } from './deep-link';

const FP =
  '92:BD:17:B0:3D:B3:E3:16:ED:07:91:8E:20:B8:DE:42:00:AA:4A:D6:7D:81:95:B6:58:03:18:E6:16:22:12:83';

test('a roundtable:// link becomes the https invite link, with its fingerprint to pin', () => {
  expect(
    parseDeepLink(
      `roundtable://join/192.168.1.20:8443?hub=abc&invite=s3cret&fp=${FP.toLowerCase()}`,
    ),
  ).toEqual({
    inviteUrl: `https://192.168.1.20:8443/#/join?hub=abc&invite=s3cret&fp=${FP}`,
    origin: 'https://192.168.1.20:8443',
    fingerprint: FP,
  });
  expect(parseDeepLink('roundtable://join/host.local?hub=a&invite=b')?.fingerprint).toBeNull();
});

test('anything else is refused', () => {
  for (const link of [
    'https://192.168.1.20:8443/#/join?hub=a&invite=b',
    'roundtable://join/192.168.1.20:8443?hub=a',
    'roundtable://host/192.168.1.20?hub=a&invite=b',
    'roundtable://join/evil.com@192.168.1.20?hub=a&invite=b',
    'roundtable://join/?hub=a&invite=b',
    'not a url',
  ]) {
    expect(parseDeepLink(link), link).toBeNull();
  }
  // A malformed fingerprint is dropped rather than pinned.
  expect(
    parseDeepLink('roundtable://join/10.0.0.2:8443?hub=a&invite=b&fp=zz')?.fingerprint,
  ).toBeNull();
});

test('the second instance hands over its deep link; invites convert both ways', () => {
  expect(
    deepLinkFromArgv([
      '/opt/Roundtable/roundtable',
      '--flag',
      'roundtable://join/h?hub=a&invite=b',
    ]),
  ).toBe('roundtable://join/h?hub=a&invite=b');
  expect(deepLinkFromArgv(['/opt/Roundtable/roundtable'])).toBeUndefined();
  // As the host prints it: the fingerprint readable.
  const invite = `https://10.0.0.2:8443/#/join?hub=a&invite=b&fp=${FP}`;
  expect(parseDeepLink(toDeepLink(invite))?.inviteUrl).toBe(invite);
});
