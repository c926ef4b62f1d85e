import { expect, test } from 'vitest';
import { addressFor, inviteLinkFor, isJoinHash, readJoinLink } from './invite-link';

// Invite links as people paste and open them, and the link shared from a meeting.

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();
const OWNER_KEY = 'owner-key-Zm9vYmFyYmF6cXV4';
const INVITE = 'yZW3G0jRhZ+s/Yk=';

test('a whole link reads as its meeting, with or without its scheme', () => {
  const link = `https://192.168.1.20:8443/#/join?hub=abc&invite=${encodeURIComponent(INVITE)}&fp=${encodeURIComponent(FP)}`;
  expect(readJoinLink(link)).toEqual({
    target: { origin: 'https://192.168.1.20:8443', hubId: 'abc', invite: INVITE, fingerprint: FP },
  });
  expect(readJoinLink(' 192.168.1.20:8443/#/join?hub=abc&invite=x ')).toMatchObject({
    target: { origin: 'https://192.168.1.20:8443', invite: 'x', fingerprint: null },
  });
});

test('a link cut off when copied says which part is missing', () => {
  const whole = `https://192.168.1.20:8443/#/join?hub=abc&invite=s3cret&fp=${encodeURIComponent(FP)}`;
  const cutIn = (text: string) => whole.slice(0, whole.indexOf(text) + text.length);
  expect(readJoinLink(cutIn('fp=00%3A07'))).toEqual({
    problem: expect.stringMatching(/incomplete: the host's certificate fingerprint .* cut short/),
  });
  expect(readJoinLink(cutIn('invite='))).toEqual({
    problem: expect.stringMatching(/incomplete: its invite secret is missing/),
  });
  expect(readJoinLink(cutIn('&inv'))).toEqual({
    problem: expect.stringMatching(/invite secret is missing.*ask the host for the whole link/),
  });
  expect(readJoinLink(cutIn('#/join?hu'))).toEqual({
    problem: expect.stringMatching(/does not say which meeting/),
  });
  expect(readJoinLink(cutIn('#/jo'))).toEqual({
    problem: expect.stringMatching(/does not say which meeting/),
  });
});

test('what is not an invite link is said to be none', () => {
  for (const text of ['https://192.168.1.20:8443/', 'ftp://host/#/join?hub=a&invite=b', 'a b c'])
    expect(readJoinLink(text)).toEqual({ problem: expect.stringMatching(/not an invite link/) });
});

test('join fragments, whole or cut inside "#/join", are told from other addresses', () => {
  expect(isJoinHash('#/join?hub=a')).toBe(true);
  expect(isJoinHash('#/jo')).toBe(true);
  expect(isJoinHash('')).toBe(false);
  expect(isJoinHash('#')).toBe(false);
  expect(isJoinHash('#/settings')).toBe(false);
});

test('the shared link carries the invite to share, never the owner key the meeting was opened with', () => {
  const opened = readJoinLink(
    `https://192.168.1.20:8443/#/join?hub=abc&invite=${OWNER_KEY}&fp=${encodeURIComponent(FP)}`,
  );
  if (!('target' in opened)) throw new Error('the owner link should read');
  const shared = inviteLinkFor(opened.target, INVITE);
  expect(shared).not.toContain(OWNER_KEY);
  expect(shared).toBe(
    `https://192.168.1.20:8443/#/join?hub=abc&invite=${encodeURIComponent(INVITE)}&fp=${FP}`,
  );
  // It reads back as the same meeting with the shared invite.
  expect(readJoinLink(shared)).toEqual({ target: { ...opened.target, invite: INVITE } });
  // Plain http (tests, a host without TLS): no fingerprint.
  expect(
    inviteLinkFor({ origin: 'http://127.0.0.1:5000', hubId: 'abc', fingerprint: null }, 'x'),
  ).toBe('http://127.0.0.1:5000/#/join?hub=abc&invite=x');
});

test('a meeting joined without an invite is opened at its host’s address, not as a link without an invite', () => {
  const target = { origin: 'https://192.168.1.20:8443', hubId: 'abc', fingerprint: null };
  expect(addressFor({ ...target, invite: null })).toBe('https://192.168.1.20:8443/');
  expect(addressFor({ ...target, invite: 's3cret' })).toBe(
    'https://192.168.1.20:8443/#/join?hub=abc&invite=s3cret',
  );
});
