import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TRACKS_DIR } from './manifest';

// One folder per recording: <recordingsDir>/<id>/{manifest.json, tracks/}.
// A small reserve file is written at the start and given back when the disk
// fills, so the manifest (what makes the tracks composable) can still be saved.

const RESERVE_FILE = '.reserve';
/** Room for a manifest of the most tracks, twice over (the temp file and the old one). */
const RESERVE_BYTES = 128 * 1024;

/**
 * A recording id, sortable by time and safe in a path and a URL:
 * "2026-12-05T12-40-03Z-k3x9q2".
 */
export function newRecordingId(at: number = Date.now()): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const random = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
  return `${stamp}-${random}`;
}

/**
 * Creates the recording's folder and its tracks folder (private, like the
 * data directory) and the reserve; throws (leaving nothing) when it cannot.
 */
export async function createRecordingFolder(recordingsDir: string, id: string): Promise<string> {
  const folder = join(recordingsDir, id);
  await mkdir(join(folder, TRACKS_DIR), { recursive: true, mode: 0o700 });
  try {
    // Zeros, not a sparse file: the space must really be taken.
    await writeFile(join(folder, RESERVE_FILE), Buffer.alloc(RESERVE_BYTES), { mode: 0o600 });
  } catch (error) {
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return folder;
}

/** Gives the reserved space back (the disk filled, or the recording ended). Never throws. */
export async function releaseReserve(folder: string): Promise<void> {
  await rm(join(folder, RESERVE_FILE), { force: true }).catch(() => undefined);
}
