import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A small LAN made of two network namespaces joined by a veth pair: the host
 * runs in one (at 10.77.N.1), browsers in the other (10.77.N.2). Only traffic
 * between our own namespaces, never the machine's real network.
 */
export class TestLan {
  readonly hostNs: string;
  readonly clientNs: string;
  readonly hostIp: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'roundtable-lan-'));
  private hostProcess: ChildProcess | undefined;
  private readonly clientEnd: string;

  /** Why this machine cannot make namespaces (not root, no iproute2), or undefined when it can. */
  static unavailableReason(): string | undefined {
    if (process.getuid?.() !== 0) return 'network namespaces need root';
    try {
      execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
      return undefined;
    } catch {
      return 'the ip command (iproute2) is missing';
    }
  }

  constructor() {
    const n = process.pid % 250;
    this.hostNs = `rt-host-${process.pid}`;
    this.clientNs = `rt-lan-${process.pid}`;
    this.hostIp = `10.77.${n}.1`;
    const clientIp = `10.77.${n}.2`;
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    const hostEnd = `rth${n}`;
    const clientEnd = (this.clientEnd = `rtl${n}`);
    ip('netns', 'add', this.hostNs);
    ip('netns', 'add', this.clientNs);
    ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', clientEnd);
    ip('link', 'set', hostEnd, 'netns', this.hostNs);
    ip('link', 'set', clientEnd, 'netns', this.clientNs);
    for (const [ns, dev, addr] of [
      [this.hostNs, hostEnd, this.hostIp],
      [this.clientNs, clientEnd, clientIp],
    ] as const) {
      ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev);
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
  }

  /** Takes the client's link down until restore(): Wi-Fi gone for a while. */
  cut(): void {
    execFileSync('ip', ['-n', this.clientNs, 'link', 'set', this.clientEnd, 'down']);
  }

  restore(): void {
    execFileSync('ip', ['-n', this.clientNs, 'link', 'set', this.clientEnd, 'up']);
  }

  /** Starts `npm run host`'s program in the host namespace, on HTTPS, and resolves with its invite link. */
  async startHost(): Promise<{ inviteUrl: string; fingerprint: string }> {
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        this.hostNs,
        process.execPath,
        resolve('dist/main/host-cli.js'),
        '--port',
        '8443',
        '--data-dir',
        join(this.dir, 'data'),
        '--workers',
        '1',
        '--rtc-port',
        '40000',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    this.hostProcess = child;
    let invite = '';
    let fingerprint = '';
    for await (const line of createInterface({ input: child.stdout! })) {
      invite ||= /Invite link \(share it\):\s+(\S+)/.exec(line)?.[1] ?? '';
      if (/^\s+([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(line)) fingerprint = line.trim();
      if (line.startsWith('Media ports')) break;
    }
    if (!invite) throw new Error('the host did not print an invite link');
    return { inviteUrl: invite, fingerprint };
  }

  /** An executable that starts Debian's Chromium inside the client namespace. */
  chromiumInLan(): string {
    const wrapper = join(this.dir, 'chromium-in-lan');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec ip netns exec ${this.clientNs} /usr/bin/chromium "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    return wrapper;
  }

  dispose(): void {
    this.hostProcess?.kill('SIGTERM');
    for (const ns of [this.hostNs, this.clientNs]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
