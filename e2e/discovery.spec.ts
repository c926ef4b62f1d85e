import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { FoundMeeting } from '../main/discovery/finder';
import { expect, test } from './fixtures';
import { TestLan } from './lan';

// Meetings found on the network: the host announces itself over multicast
// DNS in its namespace; another machine on the veth LAN finds it with the
// meeting's name, its address, port and certificate fingerprint, and its
// .local name, and sees it go when the host stops. Multicast never leaves our
// own namespaces.

const unavailable = TestLan.unavailableReason();
test.skip(unavailable !== undefined, `LAN test skipped: ${unavailable}`);

test('another machine on the LAN finds the meeting by name, with its fingerprint, until it stops', async () => {
  const lan = new TestLan();
  try {
    const host = await lan.startHost(['--name', 'Design review']);
    const finder = lan.spawnInLan([
      process.execPath,
      resolve('dist/main/discover.js'),
      '--seconds',
      '60',
    ]);
    // Every list the finder printed, newest last.
    const lists: FoundMeeting[][] = [];
    createInterface({ input: finder.stdout! }).on('line', (line) =>
      lists.push(JSON.parse(line) as FoundMeeting[]),
    );
    const latest = async () => {
      await expect.poll(() => lists.length, { timeout: 30_000 }).toBeGreaterThan(0);
      return lists.at(-1)!;
    };
    try {
      await expect.poll(async () => (await latest()).length, { timeout: 30_000 }).toBe(1);
      const [meeting] = await latest();
      expect(meeting).toMatchObject({
        name: 'Design review',
        fingerprint: host.fingerprint,
        urls: [`https://${lan.hostIp}:8443/`],
      });
      expect(meeting!.hostName).toMatch(/^[a-z0-9-]+\.local$/);
      // Never a secret on the network.
      expect(JSON.stringify(lists)).not.toContain(
        new URL(host.inviteUrl.replace('#/join?', '?')).searchParams.get('invite')!,
      );

      // The host stops: it says goodbye, and the meeting leaves the list.
      host.child.kill('SIGTERM');
      await host.exited;
      await expect.poll(() => lists.at(-1)?.length, { timeout: 30_000 }).toBe(0);
    } finally {
      finder.kill();
    }
  } finally {
    lan.dispose();
  }
});
