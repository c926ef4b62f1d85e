import { expect, test } from 'vitest';
import { ServiceCallError } from '../../shared/client/service-client';
import { describeJoinError, layerForWidth } from './meeting-client';
import { describeMediaError } from './media';

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
