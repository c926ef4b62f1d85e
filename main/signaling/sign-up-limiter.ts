import { isIPv6 } from 'node:net';
import { HostError } from '../host/host-error';

export interface SignUpLimits {
  /** Sign-ups one client address may make per window (IPv6: per /64, what one device can hop within). */
  perAddress: number;
  /** Sign-ups from everyone together per window. */
  total: number;
  windowMs: number;
}

/**
 * yp.create_guest is the one call anyone who can reach the host may make, and
 * each one stores a user and writes to disk: capped so a client cannot flood
 * the database, the disk and the member list. 20 a minute per address is far
 * more than a person needs (a browser signs up once and keeps its
 * credential); 120 a minute in all lets a whole class or office join at once.
 * Every well-formed sign-up counts, whether its invite is right or not;
 * refused ones do not. Documented in docs/storage.md.
 */
export const GUEST_SIGN_UP_LIMITS: SignUpLimits = {
  perAddress: 20,
  total: 120,
  windowMs: 60_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets: each address and the host as a whole hold up to their limit
 * of sign-ups, refilled evenly over the window, so a burst up to the limit is
 * fine and a steady flood gets limit/window. Only admitted addresses are
 * remembered, and only until their bucket is full again, so memory stays
 * bounded by the number of recent sign-ups whoever asks.
 */
export class SignUpLimiter {
  private readonly byAddress = new Map<string, Bucket>();
  private readonly all: Bucket;

  constructor(
    private readonly limits: SignUpLimits = GUEST_SIGN_UP_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.all = { tokens: limits.total, at: now() };
  }

  /** Counts one sign-up from `ip`, or throws HostError('rate_limited') when over a limit. */
  take(ip: string): void {
    const now = this.now();
    this.forgetIdle(now);
    const key = addressKey(ip);
    const mine = this.byAddress.get(key) ?? { tokens: this.limits.perAddress, at: now };
    this.refill(mine, this.limits.perAddress, now);
    this.refill(this.all, this.limits.total, now);
    if (mine.tokens < 1) {
      throw new HostError(
        'rate_limited',
        `too many sign-ups from this address (at most ${this.limits.perAddress} a minute); try again in ${this.waitSeconds(mine, this.limits.perAddress)} s`,
      );
    }
    if (this.all.tokens < 1) {
      throw new HostError(
        'rate_limited',
        `too many sign-ups right now (at most ${this.limits.total} a minute); try again in ${this.waitSeconds(this.all, this.limits.total)} s`,
      );
    }
    mine.tokens -= 1;
    this.all.tokens -= 1;
    this.byAddress.set(key, mine);
  }

  /** How many addresses are remembered now (at most those admitted in the last window). */
  get trackedAddresses(): number {
    return this.byAddress.size;
  }

  private refill(bucket: Bucket, limit: number, now: number): void {
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(limit, bucket.tokens + (elapsed * limit) / this.limits.windowMs);
    bucket.at = now;
  }

  private waitSeconds(bucket: Bucket, limit: number): number {
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * this.limits.windowMs) / limit / 1000));
  }

  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.byAddress) {
      const full =
        bucket.tokens + ((now - bucket.at) * this.limits.perAddress) / this.limits.windowMs >=
        this.limits.perAddress;
      if (full) this.byAddress.delete(key);
    }
  }
}

/** The address a limit applies to: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [
          ...left,
          ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'),
          ...right,
        ];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
