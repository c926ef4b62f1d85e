import { afterAll, beforeAll, expect, test } from 'vitest';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import { PRIVILEGE } from '../../shared/protocol/services';
import { startTestHost, type TestHost } from '../../testing/host';

// hub.check_invite: a client learns whether its link is good before it asks
// for a camera, and what link to share, without the host making an account.

let host: TestHost;
let services: ServiceClient;

beforeAll(async () => {
  host = await startTestHost({ guestSignUps: { perAddress: 5, total: 100, windowMs: 60_000 } });
  services = new ServiceClient(host.origin);
});

afterAll(async () => {
  await host?.dispose();
});

async function refusal(promise: Promise<unknown>): Promise<ServiceCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  return error as ServiceCallError;
}

test('the invite secret and the owner key are good; both share the invite secret, never the owner key', async () => {
  const members = host.store.membersOf(host.hub.id).length;
  expect(
    await services.call('hub.check_invite', {
      hub_id: host.hub.id,
      invite: host.hub.inviteSecret,
    }),
  ).toEqual({
    hub_id: host.hub.id,
    privilege: PRIVILEGE.member,
    share_invite: host.hub.inviteSecret,
    recording: false,
  });
  const owner = await services.call('hub.check_invite', {
    hub_id: host.hub.id,
    invite: host.hub.ownerKey,
  });
  expect(owner).toEqual({
    hub_id: host.hub.id,
    privilege: PRIVILEGE.owner,
    share_invite: host.hub.inviteSecret,
    recording: false,
  });
  expect(JSON.stringify(owner)).not.toContain(host.hub.ownerKey);
  // Checking makes nobody a member.
  expect(host.store.membersOf(host.hub.id)).toHaveLength(members);
});

test('a wrong or cut-off invite is forbidden, an unknown hub not found, and neither says the secret', async () => {
  const wrong = await refusal(
    services.call('hub.check_invite', { hub_id: host.hub.id, invite: 'not-the-secret' }),
  );
  expect([wrong.reason, wrong.httpStatus]).toEqual(['forbidden', 403]);
  const cut = await refusal(
    services.call('hub.check_invite', {
      hub_id: host.hub.id,
      invite: host.hub.inviteSecret.slice(0, 5),
    }),
  );
  expect(cut.reason).toBe('forbidden');
  const noHub = await refusal(
    services.call('hub.check_invite', { hub_id: 'no-such-hub', invite: host.hub.inviteSecret }),
  );
  expect([noHub.reason, noHub.httpStatus]).toEqual(['not_found', 404]);
  for (const error of [wrong, cut, noHub]) {
    expect(error.message).not.toContain(host.hub.inviteSecret);
    expect(error.message).not.toContain(host.hub.ownerKey);
  }
  const empty = await refusal(
    services.call('hub.check_invite', { hub_id: host.hub.id, invite: '' }),
  );
  expect([empty.reason, empty.httpStatus]).toEqual(['invalid_request', 400]);
});

test('checks are capped per address in buckets of their own: sign-ups are not used up', async () => {
  // Five a minute in this host: whatever the tests before used, the sixth check in a row is refused.
  let refused: ServiceCallError | undefined;
  for (let i = 0; i < 6 && !refused; i++) {
    refused = await services
      .call('hub.check_invite', { hub_id: host.hub.id, invite: host.hub.inviteSecret })
      .then(
        () => undefined,
        (error: unknown) => error as ServiceCallError,
      );
  }
  expect([refused?.reason, refused?.httpStatus]).toEqual(['rate_limited', 429]);
  const guest = await services.call('yp.create_guest', {
    hub_id: host.hub.id,
    invite: host.hub.inviteSecret,
    fullname: 'Still Welcome',
    device_id: 'device-still-welcome',
  });
  expect(guest.privilege).toBe(PRIVILEGE.member);
});
