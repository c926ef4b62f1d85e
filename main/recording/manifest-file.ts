import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, recordingManifestSchema, type RecordingManifest } from './manifest';
import { releaseReserve } from './recording-folder';

// manifest.json is what makes a recording composable: it is replaced whole
// (temp file, fsync, rename) so a reader or a crash never sees half of it,
// and writes go one at a time so an older state never lands after a newer one.

const TEMP_SUFFIX = '.tmp';
/** Said in the manifest of a recording the host never got to stop. */
export const HOST_STOPPED_PROBLEM = 'the host stopped while recording';

/** Reads and validates `<folder>/manifest.json`; throws when it is missing or not a manifest. */
export async function readManifest(folder: string): Promise<RecordingManifest> {
  const text = await readFile(join(folder, MANIFEST_FILE), 'utf8');
  return recordingManifestSchema.parse(JSON.parse(text));
}

/** Replaces `<folder>/manifest.json` all at once; the old one stays if anything fails. */
export async function writeManifestAtomically(
  folder: string,
  manifest: RecordingManifest,
): Promise<void> {
  const path = join(folder, MANIFEST_FILE);
  const temp = path + TEMP_SUFFIX;
  const text = JSON.stringify(recordingManifestSchema.parse(manifest), null, 2) + '\n';
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      // The rename must not reach the disk before the data it points to.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    // A temp file left on a full disk would hold space the next try needs.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * The manifest of one recording being written: the recorder changes the
 * copy in memory and calls save(). Saves run one at a time and coalesce (a
 * save asked for during a write waits and writes the newest state once). A
 * failed write (the disk is full) never throws: it is reported to `onError`
 * and the manifest stays dirty, so the next save tries again.
 */
export class ManifestFile {
  private writing: Promise<void> | undefined;
  private dirty = false;
  private sealed = false;
  /** Why the last write failed; undefined once a write succeeds again. */
  lastError: NodeJS.ErrnoException | undefined;
  /** Told of every failed write. */
  onError: (error: NodeJS.ErrnoException) => void = () => undefined;

  constructor(
    readonly folder: string,
    readonly manifest: RecordingManifest,
  ) {}

  get path(): string {
    return join(this.folder, MANIFEST_FILE);
  }

  /** Resolves once a write holding the current state has finished (or failed: see `lastError`). */
  save(): Promise<void> {
    if (this.sealed) return Promise.resolve();
    this.dirty = true;
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
    return this.writing;
  }

  /**
   * Writes the current state one last time; later saves do nothing, so a
   * late change can never overwrite what the composer writes next.
   */
  async seal(): Promise<void> {
    // A write under way may be one that fails (the disk was full before room was made): let it end first.
    await this.writing;
    await this.save();
    this.sealed = true;
  }

  private async drain(): Promise<void> {
    // Bounded: each pass either clears `dirty` or stops on an error.
    while (this.dirty) {
      this.dirty = false;
      try {
        await writeManifestAtomically(this.folder, this.manifest);
        this.lastError = undefined;
      } catch (error) {
        this.dirty = true;
        this.lastError = error as NodeJS.ErrnoException;
        this.onError(this.lastError);
        return;
      }
    }
  }
}

/**
 * Run once when the host starts, before any recording: a manifest still in
 * state 'recording' belongs to a host that died mid-recording. It becomes
 * stopped and incomplete (its tracks can still be composed). Folders that are
 * not recordings, or whose manifest cannot be read, are left alone. Never
 * throws; returns the ids it marked.
 */
export async function recoverInterrupted(recordingsDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(recordingsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const recovered: string[] = [];
  for (const name of entries) {
    const folder = join(recordingsDir, name);
    const manifest = await readManifest(folder).catch(() => undefined);
    if (manifest?.state !== 'recording') continue;
    manifest.state = 'stopped';
    manifest.incomplete = true;
    if (!manifest.problems.includes(HOST_STOPPED_PROBLEM))
      manifest.problems.push(HOST_STOPPED_PROBLEM);
    // Pauses still open ended with the host; stoppedAt and endMs stay unknown.
    for (const track of manifest.tracks)
      for (const pause of track.pauses)
        if (pause.toMs === undefined && track.endMs !== undefined) pause.toMs = track.endMs;
    // The reserve kept for a full disk is of no use any more, and frees room for this write.
    await releaseReserve(folder);
    try {
      await writeManifestAtomically(folder, manifest);
      recovered.push(manifest.id);
    } catch {
      // A full or read-only disk: the next start tries again.
    }
  }
  return recovered;
}
