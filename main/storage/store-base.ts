import type { DatabaseSync } from 'node:sqlite';
import { asStorageError } from './storage-error';

/**
 * What every store over the host's database shares: reads and writes whose
 * storage failures (a full disk, another process holding the lock) become
 * HostError('unavailable'), never SQLite's own error. See docs/storage.md.
 */
export abstract class StoreBase {
  constructor(protected readonly db: DatabaseSync) {}

  /** False once the host has closed the database: nothing more will be stored. */
  get isOpen(): boolean {
    return this.db.isOpen;
  }

  protected read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw asStorageError(error, 'read');
    }
  }

  protected write<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw asStorageError(error, 'write');
    }
  }
}
