import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A network namespace of its own for `npm run bench peer`, where both SFUs
 * and Chromium run on 127.0.0.1. Janus gathers ICE candidates only on
 * interfaces not flagged LOOPBACK (and no setting changes that), so besides
 * `lo` the namespace has a veth pair whose one end also carries
 * 127.0.0.1/32: Janus gathers on it (`ice_enforce_list`), its sockets bind
 * 127.0.0.1, and the packets still go through `lo`. Nothing leaves the
 * namespace; it is deleted at the end. IPv4 only (as e2e/lan.ts: an IPv6
 * address finishing duplicate detection is a network change to Chromium).
 */
export class BenchNamespace {
  readonly name = `rt-peer-${process.pid}`;
  /** The veth end with 127.0.0.1/32, the one Janus gathers on. */
  readonly iceInterface = `rtpv${process.pid % 100_000}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'roundtable-peer-ns-'));

  /** Why this machine cannot make the namespace, or undefined when it can. */
  static unavailableReason(): string | undefined {
    if (process.getuid?.() !== 0) return 'the network namespace needs root';
    try {
      execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
      return undefined;
    } catch {
      return 'the ip command (iproute2) is missing';
    }
  }

  constructor() {
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    const peerEnd = `${this.iceInterface}p`;
    ip('netns', 'add', this.name);
    try {
      execFileSync('ip', [
        ...['netns', 'exec', this.name],
        ...[
          'sysctl',
          '-qw',
          'net.ipv6.conf.all.disable_ipv6=1',
          'net.ipv6.conf.default.disable_ipv6=1',
        ],
      ]);
      ip('-n', this.name, 'link', 'set', 'lo', 'up');
      ip(
        '-n',
        this.name,
        'link',
        'add',
        this.iceInterface,
        'type',
        'veth',
        'peer',
        'name',
        peerEnd,
      );
      ip('-n', this.name, 'addr', 'add', '127.0.0.1/32', 'dev', this.iceInterface);
      ip('-n', this.name, 'link', 'set', this.iceInterface, 'up');
      ip('-n', this.name, 'link', 'set', peerEnd, 'up');
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Runs a command inside the namespace when put in front of it. */
  get prefix(): string[] {
    return ['ip', 'netns', 'exec', this.name];
  }

  /** An executable that starts `chromium` inside the namespace, for Playwright's executablePath. */
  chromium(chromium: string): string {
    const wrapper = join(this.dir, 'chromium-in-namespace');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${this.name} ${chromium} "$@"\n`);
    chmodSync(wrapper, 0o755);
    return wrapper;
  }

  dispose(): void {
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
