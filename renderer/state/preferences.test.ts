import { beforeEach, expect, test } from 'vitest';
import {
  credentialFor,
  forgetCredential,
  loadPreferences,
  parseInvite,
  rememberJoin,
} from './preferences';

beforeEach(() => localStorage.clear());

test('invite links are read with or without a scheme; other text is not an invite', () => {
  const link = 'https://192.168.1.20:8443/#/join?hub=abc&invite=s3cr%2Bt&fp=AA%3ABB';
  expect(parseInvite(link)).toEqual({
    origin: 'https://192.168.1.20:8443',
    hubId: 'abc',
    invite: 's3cr+t',
    fingerprint: 'AA:BB',
  });
  expect(parseInvite('  192.168.1.20:8443/#/join?hub=abc&invite=x ')).toMatchObject({
    origin: 'https://192.168.1.20:8443',
    fingerprint: null,
  });
  expect(parseInvite('https://192.168.1.20:8443/')).toBeNull();
  expect(parseInvite('ftp://host/#/join?hub=a&invite=b')).toBeNull();
  expect(parseInvite('not a link at all')).toBeNull();
});

test('a join remembers the name, the credential and the host at the top of the recent list', () => {
  const target = (n: number) => ({
    origin: `https://10.0.0.${n}:8443`,
    hubId: 'h',
    invite: 'i',
    fingerprint: null,
  });
  for (let n = 1; n <= 8; n++)
    rememberJoin(target(n), { auth: `a${n}`, userId: `u${n}`, fullname: 'Ada' });
  rememberJoin(target(3), { auth: 'a3', userId: 'u3', fullname: 'Ada L' });
  const prefs = loadPreferences();
  expect(prefs.displayName).toBe('Ada L');
  expect(prefs.recentHosts.map((h) => h.origin)).toEqual(
    [3, 8, 7, 6, 5, 4].map((n) => target(n).origin),
  );
  expect(credentialFor(target(3))).toEqual({ auth: 'a3', userId: 'u3', fullname: 'Ada L' });
  forgetCredential(target(3));
  expect(credentialFor(target(3))).toBeUndefined();
});

test('unreadable stored preferences start fresh', () => {
  localStorage.setItem('roundtable.preferences.v1', '{broken');
  expect(loadPreferences()).toEqual({ displayName: '', recentHosts: [], credentials: {} });
});

test('asking at the lobby without an invite keeps the invite an earlier join had', () => {
  const withInvite = {
    origin: 'https://10.0.0.1:8443',
    hubId: 'h',
    invite: 'i',
    fingerprint: null,
  };
  const credential = { auth: 'a', userId: 'u', fullname: 'Ada' };
  rememberJoin(withInvite, credential);
  rememberJoin({ ...withInvite, invite: null, name: 'Roundtable' }, credential);
  expect(loadPreferences().recentHosts).toMatchObject([{ invite: 'i', name: 'Roundtable' }]);
  const elsewhere = { ...withInvite, origin: 'https://10.0.0.2:8443', invite: null };
  rememberJoin(elsewhere, credential);
  expect(loadPreferences().recentHosts[0]).toMatchObject({
    origin: elsewhere.origin,
    invite: null,
  });
});
