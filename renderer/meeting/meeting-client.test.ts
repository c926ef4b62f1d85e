import { expect, test } from 'vitest';
import {
  MessageRejectedError,
  RequestTimeoutError,
  SocketClosedError,
} from '../../shared/client/message-socket';
import { ServiceCallError } from '../../shared/client/service-client';
import { describeJoinError, isFatalRejoinError } from './errors';
import { describeMediaError } from './media';
import { layerForWidth } from './subscriber';

const target = { origin: 'https://192.168.1.20:8443', hubId: 'h', invite: 'i', fingerprint: null };

test('a tile asks for the simulcast layer its width needs', () => {
  expect([160, 320, 321, 640, 641, 1920].map(layerForWidth)).toEqual([0, 0, 1, 1, 2, 2]);
});

test('join failures are explained in words for people', () => {
  expect(
    describeJoinError(new ServiceCallError('yp.create_guest', 'forbidden', 'x', 403), target),
  ).toContain('invite link is not valid');
  expect(describeJoinError(new TypeError('Failed to fetch'), target)).toMatch(
    /Cannot reach the host.*accept its certificate/s,
  );
  expect(
    describeJoinError(new Error('the WebSocket could not connect'), {
      ...target,
      origin: 'http://localhost:8443',
    }),
  ).not.toContain('certificate');
  expect(describeJoinError(new DOMException('signal timed out', 'TimeoutError'), target)).toContain(
    'Cannot reach the host',
  );
});

test('a rejoin gives up only when the host refuses for good; busy and unreachable hosts are retried', () => {
  expect(isFatalRejoinError(new ServiceCallError('room.get', 'forbidden', 'x', 403))).toBe(true);
  expect(isFatalRejoinError(new ServiceCallError('room.get', 'not_found', 'x', 404))).toBe(true);
  for (const transient of [
    new ServiceCallError('room.get', 'rate_limited', 'slow down', 429),
    new ServiceCallError('room.get', 'unavailable', 'storage busy', 503),
    new ServiceCallError('room.get', 'internal', 'oops', 500),
    new MessageRejectedError('rate_limited', 'slow down'),
    new MessageRejectedError('unavailable', 'busy'),
    new MessageRejectedError('internal', 'oops'),
    new RequestTimeoutError('upstream-request-access', 10_000),
    new SocketClosedError(),
    new TypeError('Failed to fetch'),
    new DOMException('signal timed out', 'TimeoutError'),
  ])
    expect(isFatalRejoinError(transient)).toBe(false);
  expect(
    describeJoinError(new ServiceCallError('room.get', 'rate_limited', 'x', 429), target),
  ).toContain('busy');
});

test('capture failures say what to do', () => {
  expect(describeMediaError(new DOMException('no', 'NotAllowedError'), 'camera')).toContain(
    'site settings',
  );
  expect(describeMediaError(new DOMException('no', 'NotFoundError'), 'microphone')).toBe(
    'No microphone was found.',
  );
  expect(describeMediaError(new DOMException('busy', 'NotReadableError'), 'camera')).toContain(
    'in use',
  );
});
