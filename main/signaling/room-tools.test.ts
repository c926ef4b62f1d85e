import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DownstreamName, DownstreamPayloads } from '../../shared/protocol/messages';
import { MAX_CHAT_CHARS } from '../../shared/protocol/room-tools';
import { MessageRejectedError } from '../../shared/client/message-socket';
import {
  joinAsGuest,
  openBoundSocket,
  startTestHost,
  type TestGuest,
  type TestHost,
  requestAccess,
} from '../../testing/host';
import { waitFor } from '../../testing/wait';
import { TOOL_RATES } from './room-tools';

// Chat, hands and reactions through the client door, between real sockets.

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost();
});

afterAll(async () => {
  await host?.dispose();
});

interface Member extends TestGuest {
  seen<N extends DownstreamName>(name: N): DownstreamPayloads[N][];
  peerId: string;
}

/** A guest that listens to every room-tool push, got access and entered the room. */
async function member(name: string, rejoining?: TestGuest): Promise<Member> {
  const guest = rejoining
    ? { ...rejoining, socket: (await openBoundSocket(host, rejoining)).socket }
    : await joinAsGuest(host, name);
  const seen = new Map<string, unknown[]>();
  for (const push of [
    'downstream-chat',
    'downstream-chat-history',
    'downstream-hands',
    'downstream-reaction',
  ] as const)
    guest.socket.on(push, (payload) => seen.set(push, [...(seen.get(push) ?? []), payload]));
  const granted = await requestAccess(guest.socket, 'd');
  await guest.socket.request('upstream-peer-enter', {
    rtpCapabilities: granted.routerRtpCapabilities as never,
  });
  return {
    ...guest,
    peerId: granted.peer_id,
    seen: <N extends DownstreamName>(push: N) => (seen.get(push) ?? []) as DownstreamPayloads[N][],
  };
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as MessageRejectedError,
  );

test('chat reaches everyone, and a late joiner or a rejoining person gets the history', async () => {
  const ann = await member('Ann');
  const bo = await member('Bo');
  expect(bo.seen('downstream-chat-history')).toEqual([{ room_id: bo.room.room_id, messages: [] }]);

  await ann.socket.request('upstream-chat', { text: '  hello <b>all</b> https://example.lan  ' });
  for (const person of [ann, bo])
    await waitFor(
      () => person.seen('downstream-chat').length,
      (n) => n === 1,
      { what: 'the chat message' },
    );
  const [said] = bo.seen('downstream-chat');
  expect(said!.message).toMatchObject({
    peer_id: ann.peerId,
    user_id: ann.userId,
    fullname: 'Ann',
    // Trimmed, and kept as text: rendering it safely is the client's job.
    text: 'hello <b>all</b> https://example.lan',
  });
  expect(said!.message.sent_at).toBeGreaterThan(Date.now() - 60_000);

  const cy = await member('Cy');
  expect(cy.seen('downstream-chat-history')[0]!.messages).toEqual([said!.message]);

  // Bo's socket drops and he comes back (same person, new socket): the history comes again.
  bo.socket.close();
  const boAgain = await member('Bo', bo);
  expect(boAgain.peerId).toBe(bo.peerId);
  expect(boAgain.seen('downstream-chat-history')[0]!.messages.map((m) => m.text)).toEqual([
    'hello <b>all</b> https://example.lan',
  ]);

  // Bad chat input is refused with a reason, and nothing is sent.
  const empty = await rejection(ann.socket.request('upstream-chat', { text: '   ' }));
  expect(empty?.reason).toBe('invalid_message');
  expect(empty?.message).toMatch(/needs some text/);
  const long = await rejection(
    ann.socket.request('upstream-chat', { text: 'x'.repeat(MAX_CHAT_CHARS + 1) }),
  );
  expect(long?.message).toMatch(new RegExp(`at most ${MAX_CHAT_CHARS} characters`));
  expect(cy.seen('downstream-chat')).toHaveLength(0);

  for (const person of [ann, boAgain, cy]) person.socket.close();
});

test('chat and reactions are rate-limited per person; a person who has not entered cannot use them', async () => {
  const dee = await member('Dee');
  const eve = await member('Eve');
  for (let i = 0; i < TOOL_RATES.chat.count; i++)
    await dee.socket.request('upstream-chat', { text: `message ${i}` });
  const limited = await rejection(dee.socket.request('upstream-chat', { text: 'one too many' }));
  expect(limited?.reason).toBe('rate_limited');
  // Eve is not limited by Dee's messages.
  await eve.socket.request('upstream-chat', { text: 'still here' });

  for (let i = 0; i < TOOL_RATES.reaction.count; i++)
    await dee.socket.request('upstream-reaction', { emoji: '👍' });
  expect((await rejection(dee.socket.request('upstream-reaction', { emoji: '🎉' })))?.reason).toBe(
    'rate_limited',
  );
  await waitFor(
    () => eve.seen('downstream-reaction').length,
    (n) => n === TOOL_RATES.reaction.count,
    { what: 'the reactions' },
  );
  expect(eve.seen('downstream-reaction')[0]).toMatchObject({ peer_id: dee.peerId, emoji: '👍' });
  const odd = await rejection(dee.socket.request('upstream-reaction', { emoji: '💩' as never }));
  expect(odd?.reason).toBe('invalid_message');

  // Access granted but not entered: not listed, so not heard either.
  const fay = await joinAsGuest(host, 'Fay');
  await requestAccess(fay.socket, 'd');
  expect((await rejection(fay.socket.request('upstream-chat', { text: 'hi' })))?.reason).toBe(
    'out_of_order',
  );
  for (const person of [dee, eve, fay]) person.socket.close();
});

test('raised hands form a queue everyone sees, first raised on top; leaving lowers a hand', async () => {
  const gus = await member('Gus');
  const hal = await member('Hal');
  const ida = await member('Ida');
  const lastHands = (person: Member) => person.seen('downstream-hands').at(-1)!;

  await hal.socket.request('upstream-hand', { raised: true });
  await gus.socket.request('upstream-hand', { raised: true });
  await waitFor(
    () => lastHands(ida).hands.map((h) => h.fullname),
    (names) => names.join() === 'Hal,Gus',
    { what: 'two hands in order' },
  );
  // Raising again changes nothing; a late joiner sees the queue with access.
  await hal.socket.request('upstream-hand', { raised: true });
  const jo = await member('Jo');
  expect(jo.seen('downstream-hands')[0]!.hands.map((h) => h.fullname)).toEqual(['Hal', 'Gus']);

  await hal.socket.request('upstream-hand', { raised: false });
  await waitFor(
    () => lastHands(ida).hands.map((h) => h.fullname),
    (names) => names.join() === 'Gus',
    { what: 'Hal lowered' },
  );
  await gus.socket.request('upstream-leave', {});
  await waitFor(
    () => lastHands(ida),
    (last) => last.hands.length === 0 && last.lowered?.why === 'left',
    { what: 'Gus left, hand down' },
  );
  for (const person of [gus, hal, ida, jo]) person.socket.close();
});
