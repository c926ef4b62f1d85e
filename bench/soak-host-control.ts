import { fork } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { childPids, loopbackHostArgs, within } from './lib';
import type { HostInside, SoakHostMessage, SoakHostRequest } from './soak-host';
import { LIMITS } from './soak-limits';

// The soak's host as the bench holds it: bundles bench/soak-host.ts, runs it as
// its own process (log in the scratch directory), and asks it what the
// measurements need: the GC/heap/mediasoup probe over the IPC channel, the
// room's peers from the REST door, its mediasoup workers' pids. Stops it
// gracefully, or kills it and its workers.

export type SoakHost = Awaited<ReturnType<typeof startSoakHost>>;

export async function startSoakHost(webClientDir: string, scratch: string) {
  const entry = resolve('dist/bench/soak-host.mjs');
  await build({
    entryPoints: [resolve('bench/soak-host.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const logPath = join(scratch, 'host.log');
  const log = openSync(logPath, 'a');
  const child = fork(entry, [webClientDir, ...loopbackHostArgs(join(scratch, 'data'))], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', log, log, 'ipc'],
    env: process.env,
  });
  closeSync(log);
  const pid = child.pid!;
  const logTail = () =>
    existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n') : '';

  type ProbeReply = Extract<SoakHostMessage, { type: 'probe' }>;
  const replies = new Map<number, (reply: ProbeReply) => void>();
  let nextId = 1;
  const ready = new Promise<Extract<SoakHostMessage, { type: 'ready' }>>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the host did not start in time')),
      LIMITS.hostStartMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (code ${code})`));
    });
    child.on('message', (message: SoakHostMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolveReady(message);
      } else if (message.type === 'probe') replies.get(message.id)?.(message);
    });
  });
  // Captured while the host runs: after it exits, /proc no longer says whose children they were.
  let workers: number[] = [];
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const worker of workers) {
      try {
        process.kill(worker, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  let started;
  try {
    started = await ready;
  } catch (error) {
    kill();
    throw new Error(`${(error as Error).message}\n${logTail()}`, { cause: error });
  }
  workers = childPids(pid);
  const origin = new URL(started.url).origin;

  return {
    pid,
    origin,
    hubId: started.hubId,
    invite: started.invite,
    logTail,
    kill,
    workerPids: () => (workers = childPids(pid)),
    /** Forces a full GC in the host, then its heap and live mediasoup objects. */
    async inside(): Promise<HostInside> {
      const id = nextId++;
      const reply = new Promise<ProbeReply>((done) => replies.set(id, done));
      child.send({ type: 'probe', id } satisfies SoakHostRequest);
      try {
        const answer = await within(LIMITS.hostProbeMs, 'host probe', reply);
        if ('error' in answer) throw new Error(`host probe: ${answer.error}`);
        return answer;
      } finally {
        replies.delete(id);
      }
    },
    /** Peers in the room as the REST door reports them (0 once the room has closed). */
    async roomStats(roomId: string): Promise<{ users: number }> {
      // Connection: close, so the bench holds no socket of the host between probes.
      const { status, body } = await getJson(
        `${origin}/rooms/${encodeURIComponent(roomId)}/stats`,
        started.apiToken,
      );
      if (status === 404) return { users: 0 };
      if (status !== 200) throw new Error(`room stats: HTTP ${status}`);
      return { users: (body as { users: unknown[] }).users.length };
    },
    /** Graceful stop (the launcher closes the host when its channel closes), else SIGKILL. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        if (child.connected) child.disconnect();
        await within(10_000, 'host stop', exited).catch(() => undefined);
      }
      kill();
    },
  };
}

function getJson(url: string, token: string): Promise<{ status: number; body: unknown }> {
  return new Promise((done, fail) => {
    const request = httpGet(
      url,
      { agent: false, headers: { authorization: `Bearer ${token}` }, timeout: LIMITS.hostProbeMs },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', fail);
        response.on('end', () => {
          try {
            done({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch (error) {
            fail(error as Error);
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url} timed out`)));
    request.on('error', fail);
  });
}
