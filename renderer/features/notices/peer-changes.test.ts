import { expect, test } from 'vitest';
import { describeChange, peerChanges } from './peer-changes';

test('joins and leaves between two views of the room, by peer id', () => {
  const before = new Map([
    ['p1', 'Ann'],
    ['p2', 'Bo'],
  ]);
  const after = new Map([
    ['p2', 'Bo'],
    ['p3', 'Cy'],
    ['p4', 'Ann'],
  ]);
  // Ann came back as another peer: she left and joined; Bo (same id) did neither.
  expect(peerChanges(before, after)).toEqual({ joined: ['Cy', 'Ann'], left: ['Ann'] });
  expect(peerChanges(after, after)).toEqual({ joined: [], left: [] });
});

test('one line per change, short for crowds', () => {
  expect(describeChange([], 'joined')).toBe('');
  expect(describeChange(['Ann'], 'joined')).toBe('Ann joined');
  expect(describeChange(['Ann', 'Bo'], 'left')).toBe('Ann and Bo left');
  expect(describeChange(['Ann', 'Bo', 'Cy'], 'joined')).toBe('3 people joined');
});
