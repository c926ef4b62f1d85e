import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HostError } from '../host/host-error';
import type { Logger } from '../host/logger';

/** Who holds a data directory: written into its lock file. */
interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export const LOCK_FILE = 'host.lock';

/**
 * One host per data directory: two hosts on one database would mark each
 * other's people offline and hand out the same room. The lock is a file made
 * with O_EXCL (atomic) holding the owner's pid; a lock left by a host that
 * died (its pid gone on this machine) is taken over with a warning. Returns
 * the release function.
 */
export function lockDataDir(dir: string, log: Logger): () => void {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && isAlive(owner)) {
        throw new HostError(
          'conflict',
          `another Roundtable host (process ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}) ` +
            `is using the data directory ${dir}: stop it first, or give this one its own --data-dir`,
        );
      }
      log.warn(
        { path, owner },
        'a host that stopped without cleaning up left its lock: taking it over',
      );
      rmSync(path, { force: true });
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } catch (error) {
      // A full disk: the lock holds without its owner's name (a later host sees a stale one).
      log.warn({ err: error, path }, 'could not write who holds the data directory');
    } finally {
      closeSync(fd);
    }
    return () => {
      // Only our own lock: never one a later host took over.
      if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
    };
  }
  throw new HostError('conflict', `could not lock the data directory ${dir}; try again`);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string'
      ? (owner as LockOwner)
      : undefined;
  } catch {
    // Half-written or not ours: no owner to respect.
    return undefined;
  }
}

/**
 * Whether the lock's owner still runs. On another machine (a data directory
 * on a network share) there is no telling: it counts as alive.
 */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
