// Errors the storage layer throws, each with a stable code, and the mapping of IndexedDB's quota error onto them.
import { KeylabError } from '@/lib/keylab-error';

export type StorageErrorCode =
  | 'STORAGE_FULL'
  | 'DISK_NOT_FOUND'
  | 'DISK_EXISTS'
  | 'DISK_BUSY'
  | 'DISK_KEY_MISMATCH'
  | 'DISK_CHANGED'
  | 'DISK_OUT_OF_RANGE'
  | 'DISK_EXTENT_MISSING'
  | 'KEY_VAULT_DAMAGED'
  | 'REENCRYPT_CONFLICT';

export abstract class StorageError extends KeylabError<StorageErrorCode> {}

/** The browser refused to store more. The write that hit the limit left nothing behind; earlier data stays readable. */
export class StorageFullError extends StorageError {
  constructor(options?: { cause?: unknown }) {
    super(
      'STORAGE_FULL',
      "The browser's storage for this site is full, so the last write was not saved (data saved before it is intact). " +
        'Free space with “Delete” beside another lab’s data (each is listed with its size), or reset this lab.',
      options,
    );
    this.name = 'StorageFullError';
  }
}

export class DiskNotFoundError extends StorageError {
  constructor(readonly diskId: string) {
    super('DISK_NOT_FOUND', `Virtual disk "${diskId}" does not exist.`);
    this.name = 'DiskNotFoundError';
  }
}

export class DiskExistsError extends StorageError {
  constructor(readonly diskId: string) {
    super('DISK_EXISTS', `A virtual disk "${diskId}" already exists.`);
    this.name = 'DiskExistsError';
  }
}

/** The disk is being re-encrypted (or a re-encryption was interrupted and must be resumed first). */
export class DiskBusyError extends StorageError {
  constructor(readonly diskId: string) {
    super(
      'DISK_BUSY',
      `Virtual disk "${diskId}" is being re-encrypted; it cannot be read or written until the re-encryption finishes ` +
        '(an interrupted one resumes when it is started again with the same keys).',
    );
    this.name = 'DiskBusyError';
  }
}

/** The key given is not the one the disk (or an interrupted re-encryption's target) is under. */
export class DiskKeyError extends StorageError {
  constructor(
    readonly diskId: string,
    message: string,
  ) {
    super('DISK_KEY_MISMATCH', message);
    this.name = 'DiskKeyError';
  }
}

/** The disk was re-encrypted, or deleted and created again, after this handle was opened. */
export class DiskChangedError extends StorageError {
  constructor(readonly diskId: string) {
    super(
      'DISK_CHANGED',
      `Virtual disk "${diskId}" was re-encrypted, or deleted and created again, since it was opened; open it again ` +
        'with its current key.',
    );
    this.name = 'DiskChangedError';
  }
}

/** A read or write outside the disk, or a disk size that is not whole sectors. */
export class DiskRangeError extends StorageError {
  constructor(message: string) {
    super('DISK_OUT_OF_RANGE', message);
    this.name = 'DiskRangeError';
  }
}

/**
 * An extent the disk wrote is no longer stored (its IndexedDB record was deleted): its sectors are lost, and reading
 * them as zeros would hand the guest a hole it never wrote.
 */
export class DiskExtentMissingError extends StorageError {
  constructor(
    readonly diskId: string,
    readonly path: string,
    readonly firstSector: number,
    readonly sectors: number,
  ) {
    super(
      'DISK_EXTENT_MISSING',
      `Virtual disk "${path}" is damaged: sectors ${firstSector}–${firstSector + sectors - 1} were written but their ` +
        'record is missing from the datastore, so their data is lost (they are not read as zeros). Restore the VM ' +
        'from a backup, or reset the lab.',
    );
    this.name = 'DiskExtentMissingError';
  }
}

/** A key-vault entry that is no longer a key (edited or damaged storage): what it protects cannot be opened. */
export class KeyVaultDamagedError extends StorageError {
  constructor(
    readonly keyId: string,
    readonly owner: string,
  ) {
    super(
      'KEY_VAULT_DAMAGED',
      `The key ${keyId} held by ${owner} is damaged in this browser's storage (the entry is no longer a key), so ` +
        'nothing it protects can be opened with it. Get the key back from where else it lives (a KMS node, the NKP ' +
        'backup), or reset the lab.',
    );
    this.name = 'KeyVaultDamagedError';
  }
}

/** A re-encryption to another target is already under way (or was interrupted) on this disk. */
export class ReencryptConflictError extends StorageError {
  constructor(
    readonly diskId: string,
    message: string,
  ) {
    super('REENCRYPT_CONFLICT', message);
    this.name = 'ReencryptConflictError';
  }
}

/** True when the error, or anything it wraps (Dexie's inner, cause, bulk failures), is a quota error. */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (e.name === 'QuotaExceededError') return true;
  if (isQuotaError(e.inner, depth + 1) || isQuotaError(e.cause, depth + 1)) return true;
  return Array.isArray(e.failures) && e.failures.some((failure) => isQuotaError(failure, depth + 1));
}

/** Runs a storage operation, turning a quota error into StorageFullError. */
export async function mapQuota<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError({ cause: error });
    throw error;
  }
}
