import { expect, test } from 'vitest';
import { MessageRejectedError } from '../../../shared/client/message-socket';
import { ServiceCallError } from '../../../shared/client/service-client';
import {
  describeListError,
  describeRecordingError,
  describeState,
  formatBytes,
  formatDuration,
  unavailableReason,
} from './describe';
import { status, summary } from './recording-test-kit';

test('sizes in the units people read, 1000 to the next', () => {
  expect([0, 1, 999, 1000, 1234, 45_600, 999_999, 4_200_000, 245_300_000].map(formatBytes)).toEqual(
    ['0 bytes', '1 byte', '999 bytes', '1 KB', '1.2 KB', '46 KB', '1 MB', '4.2 MB', '245 MB'],
  );
  expect(formatBytes(1_340_000_000)).toBe('1.3 GB');
  expect(formatBytes(12_000_000_000_000)).toBe('12 TB');
});

test('lengths as people say them', () => {
  expect([0, 45_000, 60_000, 725_000, 3_600_000, 3_720_000].map(formatDuration)).toEqual([
    '0 s',
    '45 s',
    '1 min',
    '12 min 5 s',
    '1 h',
    '1 h 2 min',
  ]);
});

test('each state in a few words; composing with its percentage, failing with its reason', () => {
  expect(describeState(summary('a'))).toBe('Recording…');
  expect(describeState(summary('a', { state: 'stopped' }))).toBe('Stopped, waiting to be composed');
  expect(describeState(summary('a', { state: 'composing', progress: 0.418 }))).toBe(
    'Composing 42 %',
  );
  expect(describeState(summary('a', { state: 'composing' }))).toBe('Composing…');
  expect(describeState(summary('a', { state: 'composed' }))).toBe('Ready');
  expect(
    describeState(
      summary('a', { state: 'compose_failed', problems: ['ffmpeg exited with code 1.'] }),
    ),
  ).toBe('Failed: ffmpeg exited with code 1');
});

test('why recording is unavailable, and refusals, in words', () => {
  expect(unavailableReason(status())).toBeNull();
  expect(
    unavailableReason(
      status({ available: false, unavailable_reason: 'ffmpeg is not installed on the host.' }),
    ),
  ).toBe('Recording is unavailable: ffmpeg is not installed on the host');
  expect(describeRecordingError(new MessageRejectedError('forbidden', 'admins only'))).toBe(
    'Not done: only the meeting’s admins can record.',
  );
  expect(
    describeRecordingError(new MessageRejectedError('unavailable', 'no disk space left')),
  ).toBe('Recording is unavailable: no disk space left');
  expect(
    describeRecordingError(new MessageRejectedError('out_of_order', 'already being recorded')),
  ).toBe('Not done: already being recorded');
  expect(describeRecordingError(new Error('not connected'))).toContain('not connected');
  expect(
    describeListError(new ServiceCallError('recording.list', 'unavailable', 'storage busy', 503)),
  ).toBe('Could not list the recordings: storage busy.');
  expect(describeListError(new TypeError('Failed to fetch'))).toBe(
    'Could not list the recordings: the host did not answer.',
  );
});
