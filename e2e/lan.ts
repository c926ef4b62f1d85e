import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { pageDiagnostics } from '../testing/app-page';
import { startHostProcess, type HostProcess } from '../testing/host-process';
import { chromiumLaunchOptions } from './chromium';
import { test } from './fixtures';

/** One machine on the test LAN: a namespace linked to the host's by its own veth pair. */
interface LanClient {
  ns: string;
  /** Its end of the link, which cut() takes down. */
  device: string;
  /** The host's address as this client reaches it. */
  hostIp: string;
}

/**
 * A small LAN made of network namespaces: the host runs in one, each client
 * machine in another, linked to the host's by its own veth pair (client i:
 * host at 10.(77+i).N.1, client at .2), so one client's link can be cut while
 * the others stay. Only traffic between our own namespaces, never the
 * machine's real network.
 */
export class TestLan {
  readonly hostNs: string;
  private readonly clients: LanClient[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'roundtable-lan-'));
  private hostProcess: HostProcess | undefined;
  private readonly extraNamespaces: string[] = [];

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

  constructor(clientMachines = 1) {
    const n = process.pid % 250;
    this.hostNs = `rt-host-${process.pid}`;
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    // IPv4 only: an IPv6 link-local address finishing duplicate detection a moment after a
    // link comes up is a "network change" to Chromium, which then fails a page load in flight.
    const ipv4Only = (ns: string, setting = 'all') =>
      execFileSync('ip', [
        'netns',
        'exec',
        ns,
        'sysctl',
        '-qw',
        `net.ipv6.conf.${setting}.disable_ipv6=1`,
      ]);
    ip('netns', 'add', this.hostNs);
    ipv4Only(this.hostNs);
    ip('-n', this.hostNs, 'link', 'set', 'lo', 'up');
    for (let i = 0; i < clientMachines; i++) {
      const client: LanClient = {
        ns: `rt-lan${i}-${process.pid}`,
        device: `rtl${i}x${n}`,
        hostIp: `10.${77 + i}.${n}.1`,
      };
      const hostEnd = `rth${i}x${n}`;
      ip('netns', 'add', client.ns);
      ipv4Only(client.ns);
      ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', client.device);
      ip('link', 'set', hostEnd, 'netns', this.hostNs);
      ip('link', 'set', client.device, 'netns', client.ns);
      for (const [ns, dev, addr] of [
        [this.hostNs, hostEnd, client.hostIp],
        [client.ns, client.device, `10.${77 + i}.${n}.2`],
      ] as const) {
        ipv4Only(ns, dev);
        ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev);
        ip('-n', ns, 'link', 'set', dev, 'up');
      }
      // Multicast DNS (meetings announced on the LAN) goes out on the client's link, and
      // on the host's first one (one multicast route per namespace).
      ip('-n', client.ns, 'route', 'add', '224.0.0.0/4', 'dev', client.device);
      if (i === 0) ip('-n', this.hostNs, 'route', 'add', '224.0.0.0/4', 'dev', hostEnd);
      ip('-n', client.ns, 'link', 'set', 'lo', 'up');
      this.clients.push(client);
    }
  }

  /** The host's address as the first client machine reaches it (the invite link's). */
  get hostIp(): string {
    return this.clients[0]!.hostIp;
  }

  /** The host's address as client machine `i` reaches it. */
  hostIpFor(i: number): string {
    return this.clients[i]!.hostIp;
  }

  /** The host's last lines of output, if it was started. */
  hostOutput(): string[] {
    return this.hostProcess?.recentOutput() ?? [];
  }

  /** Takes client machine `i`'s link down until restore(): Wi-Fi gone for a while. */
  cut(i = 0): void {
    const client = this.clients[i]!;
    execFileSync('ip', ['-n', client.ns, 'link', 'set', client.device, 'down']);
  }

  restore(i = 0): void {
    const client = this.clients[i]!;
    execFileSync('ip', ['-n', client.ns, 'link', 'set', client.device, 'up']);
  }

  /** Starts `npm run host`'s program in the host namespace, on HTTPS, and resolves with its invite link. */
  async startHost(extraArgs: string[] = []): Promise<HostProcess> {
    const host = await startHostProcess(
      [
        '--port',
        '8443',
        '--data-dir',
        join(this.dir, 'data'),
        '--workers',
        '1',
        '--rtc-port',
        '40000',
        ...extraArgs,
      ],
      ['ip', 'netns', 'exec', this.hostNs],
    );
    this.hostProcess = host;
    return host;
  }

  /**
   * Gives the host's namespace a way "out": a default route over a veth into
   * a namespace of its own where nothing answers ("the internet"). Anything
   * the host sends to an address outside the LAN, even a DNS query, leaves
   * through it and is counted. Returns the counter: packets sent out so far.
   */
  catchOutside(): () => number {
    const n = process.pid % 250;
    const outside = `rt-out-${process.pid}`;
    const [inner, outer] = [`rtoi${n}`, `rtoo${n}`];
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    ip('netns', 'add', outside);
    this.extraNamespaces.push(outside);
    ip('link', 'add', inner, 'type', 'veth', 'peer', 'name', outer);
    ip('link', 'set', inner, 'netns', this.hostNs);
    ip('link', 'set', outer, 'netns', outside);
    ip('-n', outside, 'link', 'set', outer, 'up');
    ip('-n', this.hostNs, 'link', 'set', inner, 'up');
    // Through a gateway whose hardware address is fixed: no ARP of its own to count.
    const gateway = `10.250.${n}.1`;
    ip('-n', this.hostNs, 'addr', 'add', `10.250.${n}.2/30`, 'dev', inner);
    ip(
      '-n',
      this.hostNs,
      'neigh',
      'add',
      gateway,
      'lladdr',
      '02:00:00:00:00:01',
      'dev',
      inner,
      'nud',
      'permanent',
    );
    ip('-n', this.hostNs, 'route', 'add', 'default', 'via', gateway, 'dev', inner);
    return () => {
      const [link] = JSON.parse(
        ip('-n', this.hostNs, '-s', '-j', 'link', 'show', 'dev', inner).toString(),
      ) as [{ stats64: { tx: { packets: number } } }];
      return link.stats64.tx.packets;
    };
  }

  /** Runs `command` in the host's namespace and waits for it (e.g. to check the way out is counted). */
  runInHost(command: string[]): void {
    execFileSync('ip', ['netns', 'exec', this.hostNs, ...command], { stdio: 'ignore' });
  }

  /** Runs a program on client machine `i`, e.g. the meeting finder. */
  spawnInLan(command: string[], i = 0): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.clients[i]!.ns, ...command], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** An executable that starts Debian's Chromium inside client machine `i`'s namespace. */
  chromiumInLan(i = 0): string {
    const wrapper = join(this.dir, `chromium-in-lan-${i}`);
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec ip netns exec ${this.clients[i]!.ns} /usr/bin/chromium "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    return wrapper;
  }

  dispose(): void {
    this.hostProcess?.child.kill('SIGTERM');
    for (const ns of [
      this.hostNs,
      ...this.clients.map((client) => client.ns),
      ...this.extraNamespaces,
    ]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * For a spec whose tests run on a test LAN: one LAN with `machines` client
 * machines and a Chromium on each, made before the tests and removed after;
 * the spec is skipped, saying why, where namespaces cannot be made.
 */
export function onTestLan(machines = 1): { lan(): TestLan; browser(machine?: number): Browser } {
  const unavailable = TestLan.unavailableReason();
  test.skip(unavailable !== undefined, `LAN test skipped: ${unavailable}`);
  let lan: TestLan | undefined;
  const browsers: Browser[] = [];
  test.beforeAll(async () => {
    lan = new TestLan(machines);
    for (let machine = 0; machine < machines; machine++)
      browsers.push(
        await chromium.launch({
          ...chromiumLaunchOptions,
          executablePath: lan.chromiumInLan(machine),
        }),
      );
  });
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status === testInfo.expectedStatus) return;
    // What each page's connection carried and what the host said: media faults are hard to see afterwards.
    const report: string[] = [];
    for (const [machine, browser] of browsers.entries())
      for (const context of browser.contexts())
        for (const page of context.pages())
          report.push(
            `machine ${machine}, ${page.url()}:`,
            JSON.stringify(await pageDiagnostics(page).catch(String), null, 1),
          );
    report.push('host output (last lines):', ...(lan?.hostOutput() ?? []));
    const text = report.join('\n');
    console.error(text);
    await testInfo.attach('lan-diagnostics', { body: text });
  });
  test.afterAll(async () => {
    for (const browser of browsers) await browser.close();
    lan?.dispose();
  });
  return { lan: () => lan!, browser: (machine = 0) => browsers[machine]! };
}
