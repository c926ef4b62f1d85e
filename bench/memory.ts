import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { joinAsGuest, type TestGuest, requestAccess } from '../testing/host';
import { loopbackHostArgs, rssBytes, sleep } from './lib';

/**
 * Host memory with 2, 8 and 32 participants in one room, each with its
 * socket, peer and two WebRTC transports (what joining costs before media).
 * The host runs as its own process (`npm run host`'s program, built), so the
 * figures are the host's: RSS of its Node process and of its mediasoup
 * worker, and the growth per participant over the empty host.
 */
export async function benchMemory(counts = [2, 8, 32]) {
  const results: {
    participants: number;
    nodeMiB: number;
    workerMiB: number;
    perParticipantKiB: number;
  }[] = [];
  for (const count of counts) {
    const host = await startHostProcess();
    try {
      await sleep(500);
      const baseline = host.rss();
      const guests: TestGuest[] = [];
      for (let i = 0; i < count; i++) {
        const guest = await joinAsGuest(host, `Member ${i}`);
        await requestAccess(guest.socket, 'bench');
        guests.push(guest);
      }
      await sleep(500);
      const { node, worker } = host.rssParts();
      results.push({
        participants: count,
        nodeMiB: Math.round(node / 2 ** 20),
        workerMiB: Math.round(worker / 2 ** 20),
        perParticipantKiB: Math.round((node + worker - baseline) / count / 1024),
      });
      for (const guest of guests) guest.socket.close();
    } finally {
      host.stop();
    }
  }
  return results;
}

async function startHostProcess() {
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-bench-'));
  const child = spawn(
    process.execPath,
    // As `npm run host` starts it (package.json): a 2 MiB young generation, not Node's 16 MiB.
    ['--max-semi-space-size=2', resolve('dist/main/host-cli.js'), ...loopbackHostArgs(dataDir)],
    // Every participant signs up from loopback: lift the per-address sign-up cap.
    {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, ROUNDTABLE_SIGNUPS_PER_MINUTE: '10000' },
    },
  );
  let invite: URL | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    const link = /Invite link \(share it\):\s+(\S+)/.exec(line)?.[1];
    if (link) invite = new URL(link);
    if (line.startsWith('Media ports')) break;
  }
  if (!invite) throw new Error('the host did not start');
  const query = new URLSearchParams(invite.hash.replace(/^#\/join\?/, ''));
  const workerPids = () =>
    readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  const rssParts = () => ({
    node: rssBytes(child.pid!),
    worker: workerPids().reduce((sum, pid) => sum + rssBytes(pid), 0),
  });
  return {
    origin: invite.origin,
    wsUrl: `${invite.origin.replace(/^http/, 'ws')}/-/ws`,
    hub: { id: query.get('hub')!, inviteSecret: query.get('invite')! },
    rssParts,
    rss: () => Object.values(rssParts()).reduce((a, b) => a + b, 0),
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
