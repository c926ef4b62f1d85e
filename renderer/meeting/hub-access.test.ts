import { expect, test } from 'vitest';
import { ServiceClient } from '../../shared/client/service-client';
import type { ServiceErrorReason } from '../../shared/protocol/services';
import { checkInvite } from './hub-access';

// What pre-join makes of the host's answer to hub.check_invite.

const target = {
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
  });
  expect(await checkInvite(target, ok(7))).toMatchObject({ state: 'valid', owner: false });
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
