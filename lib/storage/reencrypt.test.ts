// Re-encryption of a disk full of known data: encrypt, decrypt and deep re-key, interrupted at every point by an
// abort or a crash mid-transaction, then resumed, with every byte checked afterwards.
import { describe, expect, it } from 'vitest';
import { SECTOR_SIZE, SectorIntegrityError } from '@/lib/crypto/sector-cipher';
import { openKeylabDb } from './db';
import { DiskBusyError, DiskKeyError, ReencryptConflictError, StorageFullError } from './errors';
import { getReencryptJournal, reencryptDisk, type ReencryptOptions } from './reencrypt';
import { closeAfterEach, failingDb, indexOfBytes, knownBytes, newDek, quotaError, uniqueDbName, type FailurePlan } from './test-support';
import { createDisk, getDiskHeader, openDisk } from './virtual-disk';

const track = closeAfterEach();

// 23 sectors in extents of 2: 12 extents, the last holding one sector. Batches of 2 extents: 6 batches.
const EXTENT = 2;
const SECTORS = 23;
const SIZE = SECTORS * SECTOR_SIZE;
const EXTENTS = 12;
const BATCH = 2;
const BATCHES = EXTENTS / BATCH;
const DISK = 'disk-r';
// Extent 4 (sectors 8-9) is never written: it must stay absent and read as zeros throughout.
const HOLE = { from: 8 * SECTOR_SIZE, to: 10 * SECTOR_SIZE };

interface Keyed {
  key: CryptoKey | null;
  tag: string | null;
}

const expected = (() => {
  const data = knownBytes(SIZE, 42);
  data.fill(0, HOLE.from, HOLE.to);
  return data;
})();

/** A disk full of known data under `start`, in its own database. */
async function filledDisk(label: string, start: Keyed): Promise<string> {
  const name = uniqueDbName(label);
  const db = openKeylabDb(name);
  const disk = await createDisk(db, {
    diskId: DISK,
    datastoreId: 'ds',
    path: `vm/${DISK}.vmdk`,
    sizeBytes: SIZE,
    dek: start.key,
    keyTag: start.tag,
    extentSectors: EXTENT,
  });
  await disk.write(0, expected.subarray(0, HOLE.from));
  await disk.write(HOLE.to, expected.subarray(HOLE.to));
  db.close();
  return name;
}

/** Every byte through a freshly opened database, plus the raw state of every extent. */
async function verify(name: string, end: Keyed): Promise<void> {
  const db = track(openKeylabDb(name));
  expect(await getReencryptJournal(db, DISK)).toBeUndefined();
  const header = (await getDiskHeader(db, DISK))!;
  expect(header.keyTag).toBe(end.tag);
  const rows = await db.extents.toArray();
  expect(rows.map((row) => row.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11]);
  for (const row of rows) expect(row.keyTag).toBe(end.tag);
  const disk = await openDisk(db, DISK, end.key);
  expect(await disk.read(0, SIZE)).toEqual(expected);
  const marker = expected.subarray(SECTOR_SIZE, SECTOR_SIZE + 32);
  for (const row of rows) expect(indexOfBytes(row.data, marker) >= 0).toBe(end.key === null && row.index === 0);
}

function options(from: Keyed, to: Keyed, extra: Partial<ReencryptOptions> = {}): ReencryptOptions {
  return { from: from.key, to: to.key, toKeyTag: to.tag, batchExtents: BATCH, ...extra };
}

const keys = async () => {
  const a: Keyed = { key: await newDek(), tag: 'dek-a' };
  const b: Keyed = { key: await newDek(), tag: 'dek-b' };
  const plain: Keyed = { key: null, tag: null };
  return { a, b, plain };
};

const transitions = [
  ['encrypt', 'plain', 'a'],
  ['decrypt', 'a', 'plain'],
  ['deep re-key', 'a', 'b'],
] as const;

describe.each(transitions)('%s', (_label, fromName, toName) => {
  /** This transition's two keys, and a disk full of known data under the first, in its own database. */
  async function setUp(label: string): Promise<{ from: Keyed; to: Keyed; name: string }> {
    const k = await keys();
    const [from, to] = [k[fromName], k[toName]];
    return { from, to, name: await filledDisk(label, from) };
  }

  /** Re-encrypts through a connection whose puts to `table` fail after `failAfter` of them: a crash mid-transaction. */
  async function crashIn(name: string, from: Keyed, to: Keyed, table: FailurePlan['table'], failAfter: number) {
    const crashing = track(failingDb(name, { table, type: 'put', failAfter }));
    await expect(reencryptDisk(crashing, DISK, options(from, to))).rejects.toThrow('simulated crash');
    return crashing;
  }

  /** The next session (a fresh connection) finishes the job with the same keys; then every byte is checked. */
  async function resumeAndVerify(name: string, from: Keyed, to: Keyed, extra: Partial<ReencryptOptions> = {}) {
    await reencryptDisk(track(openKeylabDb(name)), DISK, options(from, to, extra));
    await verify(name, to);
  }

  it('transforms every sector and reports progress up to the whole disk', async () => {
    const { from, to, name } = await setUp('full');
    const db = track(openKeylabDb(name));
    const seen: number[] = [];
    await reencryptDisk(db, DISK, options(from, to, { onProgress: (done, total) => (expect(total).toBe(SIZE), seen.push(done)) }));
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(SIZE);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
    expect(seen.length).toBe(BATCHES + 1);
    await verify(name, to);
    // Asking again is a no-op, and the disk is usable under its new key.
    await reencryptDisk(db, DISK, options(from, to));
    await verify(name, to);
  });

  it.each(Array.from({ length: BATCHES }, (_, k) => k))(
    'survives an abort after %i batches and resumes',
    async (stopAfter) => {
      const { from, to, name } = await setUp('abort');
      const db = track(openKeylabDb(name));
      const controller = new AbortController();
      let batches = 0;
      const error = await reencryptDisk(
        db,
        DISK,
        options(from, to, {
          signal: controller.signal,
          onProgress: (done) => {
            if (done > 0) batches += 1;
            if (batches === stopAfter) controller.abort();
          },
        }),
      ).catch((e: unknown) => e);
      expect((error as Error).name).toBe('AbortError');
      const journal = (await getReencryptJournal(db, DISK))!;
      expect(journal.nextExtent).toBe(stopAfter * BATCH);
      expect(journal.total).toBe(EXTENTS);
      // Stopped halfway, the disk refuses I/O rather than serve a mix of keys.
      await expect(openDisk(db, DISK, from.key)).rejects.toBeInstanceOf(DiskBusyError);
      db.close();
      // A closed tab: the next session resumes with the same keys.
      const seen: number[] = [];
      await resumeAndVerify(name, from, to, { onProgress: (done) => seen.push(done) });
      expect(seen[0]).toBe(stopAfter * BATCH * EXTENT * SECTOR_SIZE);
    },
  );

  it.each(Array.from({ length: BATCHES }, (_, k) => k))(
    'survives a crash inside the transaction of batch %i (failing extent write) and resumes',
    async (failAt) => {
      const { from, to, name } = await setUp('crash-extents');
      const crashing = await crashIn(name, from, to, 'extents', failAt);
      expect(crashing.failures).toBe(1);
      expect((await getReencryptJournal(crashing, DISK))!.nextExtent).toBe(failAt * BATCH);
      crashing.close();
      await resumeAndVerify(name, from, to);
    },
  );

  it.each(Array.from({ length: BATCHES }, (_, k) => k))(
    'rolls back batch %i when the journal write fails after its extents were written, then resumes',
    async (failAt) => {
      const { from, to, name } = await setUp('crash-journal');
      const crashing = await crashIn(name, from, to, 'reencryptJournals', failAt);
      // The batch's extents were put in the same transaction: none of them may remain under the new key.
      const rows = await crashing.extents.toArray();
      for (const row of rows) expect(row.keyTag).toBe(row.index < failAt * BATCH ? to.tag : from.tag);
      crashing.close();
      await resumeAndVerify(name, from, to);
    },
  );

  it('survives a crash in the final step and finishes on resume', async () => {
    const { from, to, name } = await setUp('crash-finish');
    const crashing = await crashIn(name, from, to, 'disks', 0);
    const journal = (await getReencryptJournal(crashing, DISK))!;
    expect(journal.nextExtent).toBe(EXTENTS);
    expect((await getDiskHeader(crashing, DISK))!.keyTag).toBe(from.tag);
    crashing.close();
    const seen: number[] = [];
    await resumeAndVerify(name, from, to, { onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([SIZE]);
  });

  it('never transforms an extent twice, even when the journal is behind the extents', async () => {
    const { from, to, name } = await setUp('behind');
    const db = track(openKeylabDb(name));
    const controller = new AbortController();
    await reencryptDisk(
      db,
      DISK,
      options(from, to, { signal: controller.signal, onProgress: (done) => done >= 4 * BATCH * EXTENT * SECTOR_SIZE && controller.abort() }),
    ).catch(() => undefined);
    const journal = (await getReencryptJournal(db, DISK))!;
    expect(journal.nextExtent).toBe(4 * BATCH);
    await db.reencryptJournals.put({ ...journal, nextExtent: 1 });
    await reencryptDisk(db, DISK, options(from, to));
    await verify(name, to);
  });
});

describe('re-encryption guards', () => {
  it('refuses a wrong current key before touching anything', async () => {
    const k = await keys();
    const name = await filledDisk('wrong-from', k.a);
    const db = track(openKeylabDb(name));
    await expect(reencryptDisk(db, DISK, options(k.b, { key: await newDek(), tag: 'dek-c' }))).rejects.toBeInstanceOf(DiskKeyError);
    await expect(reencryptDisk(db, DISK, options(k.plain, k.b))).rejects.toBeInstanceOf(DiskKeyError);
    expect(await getReencryptJournal(db, DISK)).toBeUndefined();
    await verify(name, k.a);
  });

  it('refuses to resume toward another target, or with another key under the same tag', async () => {
    const k = await keys();
    const name = await filledDisk('resume-guard', k.a);
    const db = track(openKeylabDb(name));
    const controller = new AbortController();
    await reencryptDisk(db, DISK, options(k.a, k.b, { signal: controller.signal, onProgress: (d) => d > 0 && controller.abort() })).catch(
      () => undefined,
    );
    await expect(reencryptDisk(db, DISK, options(k.a, { key: await newDek(), tag: 'dek-c' }))).rejects.toBeInstanceOf(
      ReencryptConflictError,
    );
    await expect(reencryptDisk(db, DISK, options(k.a, k.plain))).rejects.toBeInstanceOf(ReencryptConflictError);
    await expect(reencryptDisk(db, DISK, options(k.a, { key: await newDek(), tag: 'dek-b' }))).rejects.toBeInstanceOf(DiskKeyError);
    await expect(reencryptDisk(db, DISK, options({ key: await newDek(), tag: 'dek-a' }, k.b))).rejects.toBeInstanceOf(DiskKeyError);
    expect((await getReencryptJournal(db, DISK))!.nextExtent).toBe(BATCH);
    await reencryptDisk(db, DISK, options(k.a, k.b));
    await verify(name, k.b);
  });

  it('refuses a key that does not fit its tag when the disk is already under that tag', async () => {
    const k = await keys();
    const name = await filledDisk('done-guard', k.a);
    const db = track(openKeylabDb(name));
    await expect(reencryptDisk(db, DISK, options(k.a, { key: await newDek(), tag: 'dek-a' }))).rejects.toBeInstanceOf(DiskKeyError);
    await expect(reencryptDisk(db, DISK, options(k.a, { key: null, tag: 'x' }))).rejects.toBeInstanceOf(TypeError);
    await expect(reencryptDisk(db, DISK, options(k.a, { key: k.b.key, tag: null }))).rejects.toBeInstanceOf(TypeError);
  });

  it('stops at a tampered sector, names it, and keeps a resumable journal', async () => {
    const k = await keys();
    const name = await filledDisk('tampered', k.a);
    const db = track(openKeylabDb(name));
    const row = (await db.extents.get([DISK, 7]))!;
    row.data[10]! ^= 1;
    await db.extents.put(row);
    const error = await reencryptDisk(db, DISK, options(k.a, k.b)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SectorIntegrityError);
    expect((error as SectorIntegrityError).sector).toBe(14);
    const journal = (await getReencryptJournal(db, DISK))!;
    expect(journal.nextExtent).toBe(6);
    const rows = await db.extents.toArray();
    for (const r of rows) expect(r.keyTag).toBe(r.index < 6 ? 'dek-b' : 'dek-a');
  });

  it('maps a quota error during a batch to StorageFullError and resumes afterwards', async () => {
    const k = await keys();
    const name = await filledDisk('quota', k.plain);
    const full = track(failingDb(name, { table: 'extents', type: 'put', failAfter: 3, error: quotaError }));
    await expect(reencryptDisk(full, DISK, options(k.plain, k.a))).rejects.toBeInstanceOf(StorageFullError);
    expect((await getReencryptJournal(full, DISK))!.nextExtent).toBe(3 * BATCH);
    full.close();
    await reencryptDisk(track(openKeylabDb(name)), DISK, options(k.plain, k.a));
    await verify(name, k.a);
  });

  it('lets only one of two concurrent runs proceed, and the disk ends whole', async () => {
    const k = await keys();
    const name = await filledDisk('concurrent', k.a);
    const db = track(openKeylabDb(name));
    const results = await Promise.allSettled([
      reencryptDisk(db, DISK, options(k.a, k.b)),
      reencryptDisk(db, DISK, options(k.a, k.b)),
    ]);
    const failed = results.filter((r) => r.status === 'rejected');
    for (const r of failed) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ReencryptConflictError);
    if ((await getReencryptJournal(db, DISK)) !== undefined) await reencryptDisk(db, DISK, options(k.a, k.b));
    await verify(name, k.b);
  });
});
