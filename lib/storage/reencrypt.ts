// Journaled, resumable re-encryption of a whole disk: encrypt (plaintext -> DEK), decrypt (DEK -> plaintext) and
// deep re-key (DEK -> new DEK) are one mechanism, in the manner of LUKS2 online re-encryption.
//
// Extents are processed in batches. A batch is read, opened and sealed again outside any transaction; then ONE
// transaction writes the new extents and advances the journal, so each extent is atomically either old or new and
// the journal never claims more than was written. Every extent also records the key tag it is under, so a resume
// skips extents already under the target even if the journal were behind: no sector is lost or transformed twice,
// whether the run stopped between batches (abort, closed tab) or inside one (crash: that transaction aborts).
// The crypto of the next batch overlaps the IndexedDB write of the previous one.
import { SECTOR_SIZE, SectorIntegrityError, sealKeyCheck } from '@/lib/crypto/sector-cipher';
import type { ExtentRow, KeylabDb, ReencryptJournalRow } from './db';
import { assertKeyFits } from './disk-key';
import { DiskNotFoundError, ReencryptConflictError, mapQuota } from './errors';
import { newGeneration } from './generation';
import { extentCount, extentSpan, type DiskGeometry } from './layout';
import { extentRange } from './virtual-disk';
import { assertWrittenExtentsPresent } from './written-extents';
import { sectorCodec, type SectorCodec } from './sector-codec';

export interface ReencryptOptions {
  /** The key the disk is under now; null when it is plaintext. */
  from: CryptoKey | null;
  /** The key to put it under; null to decrypt it. */
  to: CryptoKey | null;
  /** Names the target key (e.g. the new wrapped DEK's id); null or omitted when decrypting. */
  toKeyTag?: string | null;
  /** Called after each committed batch (and once at the start) with bytes done and the disk's size. */
  onProgress?(done: number, total: number): void;
  /** Stops after the batch in flight; the journal then holds a consistent point to resume from. */
  signal?: AbortSignal;
  /** Extents per batch; by default about 4 MiB worth. */
  batchExtents?: number;
}

const BATCH_BYTES = 4 * 1024 * 1024;

/** The journal of a running or interrupted re-encryption of this disk, if any. */
export function getReencryptJournal(db: KeylabDb, diskId: string): Promise<ReencryptJournalRow | undefined> {
  return db.reencryptJournals.get(diskId);
}

/**
 * Puts every sector of the disk under `to`. Calling it again with the same keys after an interruption continues where
 * it stopped; calling it once the disk is already under the target tag (and key) does nothing.
 */
export async function reencryptDisk(db: KeylabDb, diskId: string, options: ReencryptOptions): Promise<void> {
  const { from, to, onProgress, signal } = options;
  const toTag = targetTag(diskId, to, options.toKeyTag);
  signal?.throwIfAborted();

  const journal = await startOrResume(db, diskId, from, to, toTag);
  if (journal === 'done') return;
  const header = await db.disks.get(diskId);
  if (!header) throw new DiskNotFoundError(diskId);
  const geometry: DiskGeometry = { sizeBytes: header.sizeBytes, extentSectors: header.extentSectors };
  const perBatch = options.batchExtents ?? Math.max(1, Math.floor(BATCH_BYTES / (header.extentSectors * SECTOR_SIZE)));
  const total = journal.total;
  const progress = (nextExtent: number) =>
    onProgress?.(Math.min(nextExtent * header.extentSectors * SECTOR_SIZE, header.sizeBytes), header.sizeBytes);

  const run: BatchContext = {
    db,
    diskId,
    geometry,
    fromCodec: sectorCodec(from, journal.fromTag),
    toCodec: sectorCodec(to, toTag),
  };

  progress(journal.nextExtent);
  let readAhead: Promise<ExtentRow[]> | null = null;
  let pendingWrite: Promise<void> = Promise.resolve();
  const batchEnd = (start: number) => Math.min(total, start + perBatch);
  try {
    if (journal.nextExtent < total) readAhead = quiet(readBatch(run, journal.nextExtent, batchEnd(journal.nextExtent)));
    for (let start = journal.nextExtent; start < total; start = batchEnd(start)) {
      const end = batchEnd(start);
      const rows = await readAhead!;
      // Queued now, IndexedDB serves this read right after the write in flight.
      readAhead = end < total ? quiet(readBatch(run, end, batchEnd(end))) : null;
      const sealed = await transformBatch(run, rows);
      await pendingWrite;
      signal?.throwIfAborted();
      pendingWrite = quiet(writeBatch(run, toTag, start, end, sealed).then(() => progress(end)));
    }
    await pendingWrite;
  } catch (error) {
    // Never leave a write in flight behind a thrown error: the caller may resume at once.
    await pendingWrite.catch(() => undefined);
    throw error;
  }
  signal?.throwIfAborted();
  await finish(db, diskId, toTag);
}

function targetTag(diskId: string, to: CryptoKey | null, toKeyTag: string | null | undefined): string | null {
  if (to === null) {
    if (toKeyTag != null) throw new TypeError(`Decrypting disk "${diskId}" takes no target key tag.`);
    return null;
  }
  if (typeof toKeyTag !== 'string' || toKeyTag === '') {
    throw new TypeError(`Re-encrypting disk "${diskId}" under a key needs that key's tag (toKeyTag).`);
  }
  return toKeyTag;
}

/** Checks the keys and returns the journal to work from (a new one, or the interrupted one), or 'done'. */
async function startOrResume(
  db: KeylabDb,
  diskId: string,
  from: CryptoKey | null,
  to: CryptoKey | null,
  toTag: string | null,
): Promise<ReencryptJournalRow | 'done'> {
  const { header, journal, stored } = await db.transaction('r', db.disks, db.extents, db.reencryptJournals, async () => ({
    header: await db.disks.get(diskId),
    journal: await db.reencryptJournals.get(diskId),
    stored: await extentRange(db, diskId).primaryKeys(),
  }));
  if (!header) throw new DiskNotFoundError(diskId);
  // A lost extent is refused before anything is rewritten: re-encryption would carry the hole on under the new key.
  assertWrittenExtentsPresent(header, 0, extentCount(header) - 1, stored.map(([, index]) => ({ index })));

  if (journal) {
    if (journal.toTag !== toTag) {
      throw new ReencryptConflictError(
        diskId,
        `Virtual disk "${diskId}" has an interrupted re-encryption to key ${journal.toTag ?? '(none: decrypt)'}; ` +
          'resume it with the same keys before starting another.',
      );
    }
    // During a run the header still names the old key, and the journal holds the target key's check.
    await assertKeyFits(diskId, header.keyCheck, from, 'the current key (from)');
    await assertKeyFits(diskId, journal.toKeyCheck, to, 'the target key (to) of the interrupted re-encryption');
    return journal;
  }

  if (header.keyTag === toTag) {
    // Already under the target, e.g. a finished run whose caller crashed before hearing of it.
    await assertKeyFits(diskId, header.keyCheck, to, 'the target key (to)');
    return 'done';
  }
  await assertKeyFits(diskId, header.keyCheck, from, 'the current key (from)');
  const toKeyCheck = to === null ? null : await sealKeyCheck(to, diskId);
  const now = Date.now();
  const fresh: ReencryptJournalRow = {
    diskId,
    fromTag: header.keyTag,
    toTag,
    toKeyCheck,
    nextExtent: 0,
    total: extentCount(header),
    startedAt: now,
    updatedAt: now,
  };
  await mapQuota(() =>
    db.transaction('rw', db.disks, db.reencryptJournals, async () => {
      const current = await db.disks.get(diskId);
      if (!current) throw new DiskNotFoundError(diskId);
      if ((await db.reencryptJournals.get(diskId)) || current.keyTag !== header.keyTag) {
        throw new ReencryptConflictError(diskId, `Virtual disk "${diskId}" started re-encrypting elsewhere meanwhile.`);
      }
      await db.reencryptJournals.add(fresh);
    }),
  );
  return fresh;
}

interface BatchContext {
  db: KeylabDb;
  diskId: string;
  geometry: DiskGeometry;
  fromCodec: SectorCodec;
  toCodec: SectorCodec;
}

function readBatch(run: BatchContext, start: number, end: number): Promise<ExtentRow[]> {
  return run.db.extents
    .where('[diskId+index]')
    .between([run.diskId, start], [run.diskId, end], true, false)
    .toArray();
}

/** Opens each extent still under the old key and seals it under the new one; extents already done are left out. */
async function transformBatch(run: BatchContext, rows: ExtentRow[]): Promise<ExtentRow[]> {
  const { diskId, fromCodec, toCodec } = run;
  const todo = rows.filter((row) => row.keyTag !== toCodec.keyTag);
  return Promise.all(
    todo.map(async (row) => {
      const { firstSector, sectors } = extentSpan(run.geometry, row.index);
      if (row.keyTag !== fromCodec.keyTag || row.data.length !== sectors * fromCodec.storedSize) {
        throw new SectorIntegrityError(diskId, firstSector);
      }
      // The record read is not used again: its bytes are handed over (to a worker, when sealing runs in one).
      const plain = await fromCodec.open(diskId, firstSector, row.data, true);
      const data = await toCodec.seal(diskId, firstSector, plain, true);
      return { diskId, index: row.index, keyTag: toCodec.keyTag, data, gen: newGeneration() };
    }),
  );
}

/** One transaction: the batch's new extents and the journal's advance commit together or not at all. */
function writeBatch(run: BatchContext, toTag: string | null, start: number, end: number, rows: ExtentRow[]) {
  const { db, diskId } = run;
  return mapQuota(() =>
    db.transaction('rw', db.extents, db.reencryptJournals, async () => {
      const journal = await db.reencryptJournals.get(diskId);
      if (!journal || journal.toTag !== toTag || journal.nextExtent !== start) {
        throw new ReencryptConflictError(diskId, `Another run is re-encrypting virtual disk "${diskId}".`);
      }
      if (rows.length > 0) await db.extents.bulkPut(rows);
      await db.reencryptJournals.put({ ...journal, nextExtent: end, updatedAt: Date.now() });
    }),
  );
}

/** One transaction: the header names the new key and the journal is gone. */
function finish(db: KeylabDb, diskId: string, toTag: string | null) {
  return mapQuota(() =>
    db.transaction('rw', db.disks, db.reencryptJournals, async () => {
      const journal = await db.reencryptJournals.get(diskId);
      const header = await db.disks.get(diskId);
      if (!header) throw new DiskNotFoundError(diskId);
      if (!journal || journal.toTag !== toTag || journal.nextExtent < journal.total) {
        throw new ReencryptConflictError(diskId, `Another run is re-encrypting virtual disk "${diskId}".`);
      }
      await db.disks.put({ ...header, keyTag: journal.toTag, keyCheck: journal.toKeyCheck });
      await db.reencryptJournals.delete(diskId);
    }),
  );
}

/** Marks a promise as handled now (it is awaited later), so an early rejection is not reported as unhandled. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
