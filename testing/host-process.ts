import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface HostProcess {
  child: ChildProcess;
  /** The invite link the host printed. */
  inviteUrl: string;
  /** The certificate fingerprint it printed (empty with --insecure-http). */
  fingerprint: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** Its last lines of output (at most OUTPUT_LINES), for a test that failed to print. */
  recentOutput(): string[];
}

const OUTPUT_LINES = 300;

/**
 * `npm run host`'s program (dist/main/host-cli.js, built by `npm run build`)
 * as its own process, as people run it, so a test can kill it outright or
 * stop it on purpose. `prefix` runs it inside something, e.g.
 * `['ip', 'netns', 'exec', ns]`. Resolves once it printed its addresses.
 */
export async function startHostProcess(
  args: string[],
  prefix: string[] = [],
): Promise<HostProcess> {
  // On the machine's own network the host never announces itself: multicast stays inside test namespaces.
  const own = prefix.length ? args : [...args, '--no-discovery'];
  const command = [...prefix, process.execPath, resolve('dist/main/host-cli.js'), ...own];
  const child = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  let inviteUrl = '';
  let fingerprint = '';
  const output: string[] = [];
  // Read to the end, so the host never blocks on a full pipe.
  const lines = createInterface({ input: child.stdout! });
  const started = new Promise<void>((done) => {
    lines.on('line', (line) => {
      output.push(line);
      if (output.length > OUTPUT_LINES) output.shift();
      inviteUrl ||= /Invite link \(share it\):\s+(\S+)/.exec(line)?.[1] ?? '';
      if (/^\s+([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(line)) fingerprint = line.trim();
      if (line.startsWith('Media ports')) done();
    });
    lines.on('close', done);
  });
  await started;
  if (!inviteUrl) throw new Error(`the host did not start (exit ${String(await exited)})`);
  return { child, inviteUrl, fingerprint, exited, recentOutput: () => [...output] };
}
