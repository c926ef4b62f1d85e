import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { MessageRejectedError } from '../../shared/client/message-socket';
import { ServiceCallError, ServiceClient } from '../../shared/client/service-client';
import type { DownstreamName } from '../../shared/protocol/messages';
import { AUTH_HEADER } from '../../shared/protocol/services';
import { joinAsGuest, startTestHost, type TestHost } from '../../testing/host';
import { enter, publish, type RoomMember } from '../../testing/room-member';
import { waitFor } from '../../testing/wait';

// Recording through both doors of a real host (real sockets, a real worker,
// Debian's ffmpeg): who may start and stop it, what everyone in the room and
// people about to join are told, who may list and fetch recordings, and a
// host without ffmpeg. The recorded media itself is proven by
// main/recording/*.test.ts and e2e/recording.spec.ts.

const PUSHES: DownstreamName[] = ['downstream-recording', 'downstream-recording-progress'];

let host: TestHost | undefined;
afterEach(async () => {
  await host?.dispose();
  host = undefined;
});

const ownerHub = (h: TestHost) => ({ id: h.hub.id, inviteSecret: h.hub.ownerKey });

async function meeting(overrides = {}) {
  host = await startTestHost(overrides);
  const owner = await enter(await joinAsGuest(host, 'Olive', ownerHub(host)), PUSHES);
  const ben = await enter(await joinAsGuest(host, 'Ben'), PUSHES);
  await publish(owner, 'microphone');
  await publish(ben, 'camera');
  return { host, owner, ben };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the host accepted it');
    },
    (error: unknown) => error as MessageRejectedError | ServiceCallError,
  );

/** A service client of the host: a member's own (with their credential), or one without any. */
const services = (h: TestHost, member?: RoomMember) =>
  member?.services ?? new ServiceClient(h.origin);
const credentialOf = (member: RoomMember) => member.services.auth!;

test('an owner records; everyone is told, a member may not start, stop or list; newcomers are told before they join', async () => {
  const { host, owner, ben } = await meeting();
  const roomId = owner.room.room_id;
  // Right after access everyone learns the meeting is not being recorded, and that it can be.
  for (const member of [owner, ben])
    expect(member.seen('downstream-recording')[0]).toMatchObject({
      recording: false,
      available: true,
      by: null,
    });

  const refused = await refusal(ben.socket.request('upstream-recording-start', {}));
  expect((refused as MessageRejectedError).reason).toBe('forbidden');
  expect(host.recordings.isRecording(roomId)).toBe(false);
  expect(existsSync(join(host.config.dataDir, 'recordings'))).toBe(true);
  expect(readdirSync(join(host.config.dataDir, 'recordings'))).toEqual([]);

  await owner.socket.request('upstream-recording-start', {});
  for (const member of [owner, ben]) {
    const pushed = await member.next('downstream-recording', (p) => p.recording);
    expect(pushed.by).toEqual({ peer_id: owner.peerId, display_name: 'Olive' });
    expect(pushed.started_by).toEqual(pushed.by);
  }
  // Only admins follow the recording's progress.
  await owner.next('downstream-recording-progress', (p) => p.state === 'recording');
  expect(ben.seen('downstream-recording-progress')).toEqual([]);
  const again = await refusal(owner.socket.request('upstream-recording-start', {}));
  expect(again.message).toMatch(/already being recorded/);

  // Someone opening the link now is told before they join.
  const check = await services(host).call('hub.check_invite', {
    hub_id: host.hub.id,
    invite: host.hub.inviteSecret,
  });
  expect(check.recording).toBe(true);
  expect((await services(host).call('hub.about', {})).recording).toBe(true);

  // A member may neither stop it nor list recordings.
  expect(
    ((await refusal(ben.socket.request('upstream-recording-stop', {}))) as MessageRejectedError)
      .reason,
  ).toBe('forbidden');
  expect(
    (
      (await refusal(
        services(host, ben).call('recording.list', { hub_id: host.hub.id }),
      )) as ServiceCallError
    ).reason,
  ).toBe('forbidden');

  await owner.socket.request('upstream-recording-stop', {});
  for (const member of [owner, ben]) {
    // The push after the start's (the first one said "not recording" too).
    await waitFor(
      () => member.seen('downstream-recording').length,
      (count) => count >= 3,
      { what: 'the stop to be told' },
    );
    expect(member.seen('downstream-recording').at(-1)).toMatchObject({
      recording: false,
      by: { peer_id: owner.peerId },
      message: null,
    });
  }
  const list = await services(host, owner).call('recording.list', { hub_id: host.hub.id });
  expect(list).toHaveLength(1);
  expect(list[0]!.stopped_at).toBeGreaterThanOrEqual(list[0]!.started_at);
  expect(['stopped', 'composing', 'composed', 'compose_failed']).toContain(list[0]!.state);
  expect((await refusal(owner.socket.request('upstream-recording-stop', {}))).message).toMatch(
    /not being recorded/,
  );
});

test('a composed file is for the hub’s admins only; bad ids are not found', async () => {
  const { host, owner, ben } = await meeting();
  await owner.socket.request('upstream-recording-start', {});
  await owner.socket.request('upstream-recording-stop', {});
  const [recording] = await services(host, owner).call('recording.list', { hub_id: host.hub.id });
  const fetchFile = (id: string, auth?: string) =>
    fetch(`${host.origin}/-/recordings/${id}/file`, {
      headers: auth ? { [AUTH_HEADER]: auth } : {},
    });
  expect((await fetchFile(recording!.recording_id)).status).toBe(401);
  expect((await fetchFile(recording!.recording_id, credentialOf(ben))).status).toBe(403);
  for (const id of ['..%2F..%2Froundtable.db', 'no-such-recording', 'a'.repeat(80)]) {
    const response = await fetchFile(id, credentialOf(owner));
    expect(response.status).toBe(404);
    expect((await response.json()).__status__).toBe('error');
  }
  // Not composed yet (or composed: then it is the MP4).
  const response = await fetchFile(recording!.recording_id, credentialOf(owner));
  expect([200, 404]).toContain(response.status);
  if (response.status === 200) expect(response.headers.get('content-type')).toBe('video/mp4');
});

test('the REST API records for a headless host; without its token, nothing', async () => {
  const { host, owner } = await meeting();
  const rest = (method: string, path: string, token: string | null = host.apiToken) =>
    fetch(`${host.origin}${path}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  expect((await rest('GET', '/recordings', null)).status).toBe(401);
  const overview = (await (await rest('GET', '/recordings')).json()) as {
    meetingRoomId: string;
    status: { recording: boolean };
  };
  expect(overview).toMatchObject({
    meetingRoomId: owner.room.room_id,
    status: { recording: false },
  });
  expect((await rest('POST', '/rooms/nobody-here/recording')).status).toBe(404);
  expect((await rest('POST', `/rooms/${overview.meetingRoomId}/recording`)).status).toBe(201);
  // Started by the host itself: nobody in the room is named.
  expect(await owner.next('downstream-recording', (p) => p.recording)).toMatchObject({
    by: null,
    started_by: null,
  });
  expect((await rest('POST', `/rooms/${overview.meetingRoomId}/recording`)).status).toBe(409);
  expect((await rest('DELETE', `/rooms/${overview.meetingRoomId}/recording`)).status).toBe(200);
  await waitFor(
    () => owner.seen('downstream-recording').at(-1),
    (last) => last?.recording === false,
    { what: 'the stop to be told' },
  );
  expect((await rest('DELETE', `/rooms/${overview.meetingRoomId}/recording`)).status).toBe(409);
});

test('a host without ffmpeg says so, and refuses to record with the reason', async () => {
  const { owner } = await meeting({ ffmpegPath: '/nonexistent/ffmpeg' });
  const status = owner.seen('downstream-recording')[0]!;
  expect(status.available).toBe(false);
  expect(status.unavailable_reason).toMatch(/not an executable/);
  const refused = (await refusal(
    owner.socket.request('upstream-recording-start', {}),
  )) as MessageRejectedError;
  expect(refused.reason).toBe('unavailable');
  expect(refused.message).toMatch(/recording is unavailable/);
});

test('everyone leaving ends the recording; it is kept and listed', async () => {
  const { host, owner, ben } = await meeting();
  await owner.socket.request('upstream-recording-start', {});
  await owner.next('downstream-recording', (p) => p.recording);
  await ben.socket.request('upstream-leave', {});
  await owner.socket.request('upstream-leave', {});
  await waitFor(
    () => host.recordings.isRecording(owner.room.room_id),
    (recording) => !recording,
    { what: 'the recording to stop with the meeting' },
  );
  const [summary] = await host.recordings.list(host.hub.id);
  expect(summary?.stopped_at).not.toBeNull();
});
