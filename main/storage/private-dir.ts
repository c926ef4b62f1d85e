import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../host/logger';

// The data directory holds the invite secret, the owner key, the REST token
// and the TLS key: nobody but the host's own user may read it.

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Creates `dir` as 0700, or tightens an existing one (and every file in it)
 * that others could read, saying so in the log. Returns what it tightened.
 * The database's own files (-wal, -shm) are created later with the
 * database's mode by SQLite, so the database must exist here first or be made
 * by the host after this call and checked again with tightenFiles.
 */
export async function securePrivateDir(dir: string, log: Logger): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const tightened: string[] = [];
  if (((await stat(dir)).mode & 0o777) !== DIR_MODE) {
    await chmod(dir, DIR_MODE);
    tightened.push(dir);
  }
  tightened.push(...(await tightenFiles(dir)));
  if (tightened.length)
    log.warn(
      { tightened },
      'the data directory was readable by others: its modes are now 0700 (directory) and 0600 (files)',
    );
  return tightened;
}

/** Every file under `dir` that others could read becomes 0600, every folder 0700; returns their paths. */
export async function tightenFiles(dir: string): Promise<string[]> {
  const tightened: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tightened.push(...(await tightenFiles(path)));
    else if (!entry.isFile()) continue;
    if (((await stat(path)).mode & 0o077) === 0) continue;
    await chmod(path, entry.isDirectory() ? DIR_MODE : FILE_MODE);
    tightened.push(path);
  }
  return tightened;
}
