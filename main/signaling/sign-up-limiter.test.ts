import { expect, test } from 'vitest';
import { addressKey, GUEST_SIGN_UP_LIMITS, SignUpLimiter } from './sign-up-limiter';

function limiter(limits = { perAddress: 3, total: 5, windowMs: 60_000 }) {
  let now = 1_000_000;
  const signUps = new SignUpLimiter(limits, () => now);
  return {
    signUps,
    advance: (ms: number) => (now += ms),
    take: (ip: string) => {
      try {
        signUps.take(ip);
        return 'ok';
      } catch (error) {
        return (error as { reason: string }).reason;
      }
    },
  };
}

test('the documented default: 20 a minute per address, 120 in all', () => {
  expect(GUEST_SIGN_UP_LIMITS).toEqual({ perAddress: 20, total: 120, windowMs: 60_000 });
  const { take } = limiter(GUEST_SIGN_UP_LIMITS);
  const results = Array.from({ length: 21 }, () => take('192.168.1.20'));
  expect(results.slice(0, 20).every((result) => result === 'ok')).toBe(true);
  expect(results[20]).toBe('rate_limited');
});

test('each address has its own budget, under one for everyone', () => {
  const { take } = limiter();
  expect([take('10.0.0.1'), take('10.0.0.1'), take('10.0.0.1'), take('10.0.0.1')]).toEqual([
    'ok',
    'ok',
    'ok',
    'rate_limited',
  ]);
  expect([take('10.0.0.2'), take('10.0.0.2'), take('10.0.0.3')]).toEqual([
    'ok',
    'ok',
    'rate_limited',
  ]);
});

test('budgets refill over the window, and refused attempts do not count', () => {
  const { take, advance } = limiter();
  for (let i = 0; i < 3; i++) take('10.0.0.1');
  for (let i = 0; i < 10; i++) expect(take('10.0.0.1')).toBe('rate_limited');
  advance(20_000); // a third of the window: one more sign-up
  expect([take('10.0.0.1'), take('10.0.0.1')]).toEqual(['ok', 'rate_limited']);
  advance(60_000);
  expect([take('10.0.0.1'), take('10.0.0.1'), take('10.0.0.1')]).toEqual(['ok', 'ok', 'ok']);
});

test('the message says when to try again', () => {
  const { signUps } = limiter({ perAddress: 1, total: 5, windowMs: 60_000 });
  signUps.take('10.0.0.1');
  expect(() => signUps.take('10.0.0.1')).toThrow(/at most 1 a minute\); try again in 60 s/);
});

test('addresses are forgotten once their budget is full again: memory stays bounded', () => {
  const { signUps, take, advance } = limiter({ perAddress: 2, total: 1_000, windowMs: 60_000 });
  for (let i = 0; i < 50; i++) take(`10.0.${i}.1`);
  expect(signUps.trackedAddresses).toBe(50);
  advance(60_000);
  take('10.1.0.1');
  expect(signUps.trackedAddresses).toBe(1);
});

test('IPv4-mapped addresses count as IPv4; IPv6 counts per /64', () => {
  expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
  expect(addressKey('192.168.1.20')).toBe('192.168.1.20');
  expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(addressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
  expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  expect(addressKey('::1')).toBe('0:0:0:0::/64');
  const { take } = limiter();
  for (let i = 1; i <= 3; i++) expect(take(`2001:db8:1:2::${i}`)).toBe('ok');
  expect(take('2001:db8:1:2::99')).toBe('rate_limited');
  expect(take('2001:db8:1:3::1')).toBe('ok');
});
