// The lab's IndexedDB database (Dexie): its tables, the shape of their rows, and a lazy way to open it.
import { Dexie, type Table } from 'dexie';
import { installWorldStamp, WORLD_STAMP_TABLE, type WorldStampRow } from './world-stamp';

/** A text file in a datastore folder, e.g. a VM's .vmx. */
export interface DatastoreFileRow {
  datastoreId: string;
  /** Path inside the datastore, folders separated by '/', e.g. "db-01/db-01.vmx". */
  path: string;
  /** The folder part of path ('' for the datastore's root). */
  folder: string;
  text: string;
  modifiedAt: number;
}

/** A virtual disk's header. Its sectors live in `extents`. */
export interface DiskRow {
  diskId: string;
  datastoreId: string;
  path: string;
  sizeBytes: number;
  /** Sectors per extent record; kept per disk so a later change of the default never misreads an old disk. */
  extentSectors: number;
  /** Which key the extents are sealed under (e.g. the wrapped DEK's id); null when stored as plaintext. */
  keyTag: string | null;
  /** sealKeyCheck of the disk's DEK, to refuse a wrong key before it is used; null for a plaintext disk. */
  keyCheck: Uint8Array | null;
  createdAt: number;
  /**
   * One bit per extent, set once the extent has been written (bit i of byte i >> 3, least significant first). A
   * written extent whose record has gone is damage, never zeros. Absent on disks stored before it was kept.
   */
  writtenExtents?: Uint8Array;
}

/** A run of consecutive sectors of one disk, stored as one record. An extent never written reads as zeros. */
export interface ExtentRow {
  diskId: string;
  index: number;
  /** Key the sectors are sealed under (null: plaintext). Lets re-encryption tell old extents from new ones. */
  keyTag: string | null;
  /** Sealed sectors (4124 bytes each) or plaintext sectors (4096 bytes each), in their own ArrayBuffer. */
  data: Uint8Array;
  /** Bumped on every write, so a read-modify-write notices a write that slipped in between. */
  gen: number;
}

/** The journal of a running (or interrupted) re-encryption: every extent below nextExtent is under toTag. */
export interface ReencryptJournalRow {
  diskId: string;
  fromTag: string | null;
  toTag: string | null;
  /** sealKeyCheck of the target key, so a resumed run refuses a different key with the same tag. */
  toKeyCheck: Uint8Array | null;
  nextExtent: number;
  total: number;
  startedAt: number;
  updatedAt: number;
}

/** A saved lab: the persisted XState snapshot, kept as JSON text. */
export interface SavedLabRow {
  labId: string;
  snapshotJson: string;
  savedAt: number;
  /**
   * The world stamp (world-stamp.ts) when the lab was saved with nothing running, or null/absent: then the files and
   * keys may have moved on since, and the lab catches up with them on open.
   */
  worldStamp?: number | null;
  /**
   * SHA-256 (hex) over the snapshot text and worldStamp: the record vouches for that world only as it was written. A
   * record edited afterwards (or one saved before this was kept) no longer matches, and the files win on open.
   */
  vouch?: string | null;
}

/** A CryptoKey held by a simulated entity (a KMS node, vCenter's KDK, a TPM-sealed key). */
export interface KeyVaultRow {
  id: string;
  /** Who holds the key, e.g. "kms:kms-a", "vcenter", "tpm:esx-01". */
  owner: string;
  key: CryptoKey;
  meta?: Record<string, unknown>;
  createdAt: number;
}

/** A lesson's progress (steps, hints, predictions, the handed-out backup), kept beside the lesson's saved lab. */
export interface LessonProgressRow {
  lessonId: string;
  /** The runner's progress record (plain data plus the handout's .p12 bytes). */
  progress: unknown;
  savedAt: number;
}

export const DEFAULT_DB_NAME = 'keylab';

export class KeylabDb extends Dexie {
  datastoreFiles!: Table<DatastoreFileRow, [string, string]>;
  disks!: Table<DiskRow, string>;
  extents!: Table<ExtentRow, [string, number]>;
  reencryptJournals!: Table<ReencryptJournalRow, string>;
  savedLabs!: Table<SavedLabRow, string>;
  keyVault!: Table<KeyVaultRow, string>;
  lessonProgress!: Table<LessonProgressRow, string>;
  worldStamps!: Table<WorldStampRow, string>;

  constructor(name: string = DEFAULT_DB_NAME) {
    super(name);
    this.version(1).stores({
      datastoreFiles: '[datastoreId+path], [datastoreId+folder]',
      disks: 'diskId, datastoreId',
      extents: '[diskId+index]',
      reencryptJournals: 'diskId',
      savedLabs: 'labId',
      keyVault: 'id, owner',
    });
    // Version 2: lesson progress, saved with the lesson's lab (each lesson has a database of its own).
    this.version(2).stores({ lessonProgress: 'lessonId' });
    this.version(3).stores({ [WORLD_STAMP_TABLE]: 'id' });
    installWorldStamp(this);
  }
}

/**
 * Opens (lazily: Dexie connects on first use) the lab's database. Never call this at import time: the Next.js build
 * runs in Node, where there is no IndexedDB.
 */
export function openKeylabDb(name: string = DEFAULT_DB_NAME): KeylabDb {
  return new KeylabDb(name);
}

/** Deletes a whole database by name, e.g. a benchmark's throwaway one (close your own connections to it first). */
export function deleteKeylabDb(name: string): Promise<void> {
  return Dexie.delete(name);
}
