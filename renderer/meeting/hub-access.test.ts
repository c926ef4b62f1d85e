import { expect, test } from 'vitest';
import { ServiceClient } from '../../shared/client/service-client';
import type { ServiceErrorReason } from '../../shared/protocol/services';
import type { JoinTarget } from '../state/store';
import { rememberJoin } from '../state/preferences';
import { checkInvite, credentialAndSocket, guestCredential, servingHub } from './hub-access';

// What pre-join makes of the host's answer to hub.check_invite.

const target: JoinTarget = {
  origin: 'https://192.168.1.20:8443',
  hubId: 'h1',
  invite: 'the-owner-key',
  fingerprint: null,
};

const answering = (status: number, body: unknown) =>
  new ServiceClient(target.origin, async () => new Response(JSON.stringify(body), { status }));
const refusing = (reason: ServiceErrorReason, status: number) =>
  answering(status, {
    __ack__: 'hub.check_invite',
    __status__: 'error',
    __timestamp__: 0,
    data: { reason, message: 'no' },
  });

test('a good invite gives the invite to share; the owner key is known as the owner', async () => {
  const ok = (privilege: number) =>
    answering(200, {
      __ack__: 'hub.check_invite',
      __status__: 'ok',
      __timestamp__: 0,
      data: { hub_id: 'h1', privilege, share_invite: 'the-invite' },
    });
  expect(await checkInvite(target, ok(63))).toEqual({
    state: 'valid',
    owner: true,
    shareInvite: 'the-invite',
    recording: false,
  });
  expect(await checkInvite(target, ok(7))).toMatchObject({ state: 'valid', owner: false });
});

test('the check says whether the meeting is being recorded, to tell before joining', async () => {
  const recording = answering(200, {
    __ack__: 'hub.check_invite',
    __status__: 'ok',
    __timestamp__: 0,
    data: { hub_id: 'h1', privilege: 7, share_invite: 'the-invite', recording: true },
  });
  expect(await checkInvite(target, recording)).toMatchObject({ state: 'valid', recording: true });
});

test('a wrong invite or a gone meeting stops pre-join; a busy or older host leaves it to the join', async () => {
  expect(await checkInvite(target, refusing('forbidden', 403))).toEqual({
    state: 'invalid',
    message: expect.stringContaining('cut off'),
  });
  expect(await checkInvite(target, refusing('not_found', 404))).toEqual({
    state: 'invalid',
    message: expect.stringContaining('does not exist'),
  });
  for (const [reason, status] of [
    ['rate_limited', 429],
    ['unavailable', 503],
    ['unknown_service', 404],
  ] as const)
    expect(await checkInvite(target, refusing(reason, status))).toEqual({ state: 'unchecked' });
});

test('no answer at all is an unreachable host, said with its address', async () => {
  const down = new ServiceClient(target.origin, async () => {
    throw new TypeError('Failed to fetch');
  });
  expect(await checkInvite(target, down)).toEqual({
    state: 'unreachable',
    message: expect.stringContaining('Cannot reach the host at https://192.168.1.20:8443'),
  });
  const slow = new ServiceClient(target.origin, async () => {
    throw new DOMException('timed out', 'TimeoutError');
  });
  expect(await checkInvite(target, slow)).toMatchObject({ state: 'unreachable' });
});

test('without an invite there is nothing to check, and the account made is a visitor’s', async () => {
  const visitor = { ...target, invite: null };
  const unused = new ServiceClient(target.origin, async () => {
    throw new Error('no call expected');
  });
  expect(await checkInvite(visitor, unused)).toEqual({ state: 'none' });

  const bodies: Record<string, unknown>[] = [];
  const signingUp = new ServiceClient(target.origin, async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    bodies.push(body);
    const privilege = body.invite ? 7 : 0;
    return new Response(
      JSON.stringify({
        __ack__: 'yp.create_guest',
        __status__: 'ok',
        __timestamp__: 0,
        data: { user_id: `u${bodies.length}`, hub_id: 'h1', fullname: 'Ada', privilege, auth: 'a' },
      }),
    );
  });
  const storage = new Map<string, string>();
  const local = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  } as Storage;
  const asked = await guestCredential(visitor, signingUp, 'Ada', local);
  expect(bodies[0]).not.toHaveProperty('invite');
  expect(asked.privilege).toBe(0);
  rememberJoin(visitor, asked, local);
  // The same name again: the same account.
  expect(await guestCredential(visitor, signingUp, 'Ada', local)).toEqual(asked);
  expect(bodies).toHaveLength(1);
  // With an invite now, a visitor's account would still only knock: a member's is made.
  const member = await guestCredential(target, signingUp, 'Ada', local);
  expect(bodies[1]).toMatchObject({ invite: 'the-owner-key' });
  expect(member).toMatchObject({ userId: 'u2', privilege: 7 });
});

test('the page’s own host says which meeting it holds; the desktop app’s page has none', async () => {
  const about = answering(200, {
    __ack__: 'hub.about',
    __status__: 'ok',
    __timestamp__: 0,
    data: { hub_id: 'h1', name: 'Roundtable' },
  });
  expect(await servingHub({ protocol: 'https:', origin: target.origin }, about)).toEqual({
    hub_id: 'h1',
    name: 'Roundtable',
  });
  expect(await servingHub({ protocol: 'app:', origin: 'app://roundtable' }, about)).toBeNull();
  // An older host that does not know the call: just no offer.
  expect(
    await servingHub(
      { protocol: 'https:', origin: target.origin },
      refusing('unknown_service', 404),
    ),
  ).toBeNull();
});

test('a socket opened beside a credential that failed is closed, and the failure is thrown', async () => {
  let closed = 0;
  const socket = { close: () => closed++ };
  const refused = new Error('invite refused');
  await expect(credentialAndSocket(Promise.reject(refused), Promise.resolve(socket))).rejects.toBe(
    refused,
  );
  expect(closed).toBe(1);
  const credential = { auth: 'a', userId: 'u', fullname: 'Ada', privilege: 1 };
  await expect(
    credentialAndSocket(Promise.resolve(credential), Promise.resolve(socket)),
  ).resolves.toEqual([credential, socket]);
  expect(closed).toBe(1);
});
