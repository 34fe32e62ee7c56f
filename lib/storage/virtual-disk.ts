// Virtual disks: byte-addressed reads and writes over 4 KiB sectors, sealed with the disk's DEK (or stored as
// plaintext for an unencrypted VM) and kept in IndexedDB in extent records of many sectors each.
import { Dexie } from 'dexie';
import { SECTOR_SIZE, SectorIntegrityError, sealKeyCheck } from '@/lib/crypto/sector-cipher';
import type { DiskRow, ExtentRow, KeylabDb } from './db';
import { assertKeyFits } from './disk-key';
import { DiskBusyError, DiskChangedError, DiskExistsError, DiskNotFoundError, mapQuota } from './errors';
import { newGeneration } from './generation';
import {
  DEFAULT_EXTENT_SECTORS,
  checkDiskSize,
  checkExtentSectors,
  checkRange,
  extentCount,
  extentSpan,
  storedSectorSize,
  type DiskGeometry,
} from './layout';
import { splitPath } from './paths';
import { sectorCodec, type SectorCodec } from './sector-codec';
import { assertWrittenExtentsPresent, markExtentsWritten, noExtentsWritten } from './written-extents';

export interface VirtualDisk {
  readonly diskId: string;
  readonly sizeBytes: number;
  /** The tag of the key the disk is under (null: plaintext), as it was when the disk was opened. */
  readonly keyTag: string | null;
  /** Reads bytes; a region never written reads as zeros, a written one whose record is gone is DiskExtentMissingError. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Writes bytes at any offset and length. Atomic: after a crash or an error the write is either all there or absent. */
  write(offset: number, data: Uint8Array): Promise<void>;
}

export interface CreateDiskOptions {
  diskId: string;
  datastoreId: string;
  path: string;
  sizeBytes: number;
  /** The DEK that seals the sectors, or null for an unencrypted disk. */
  dek: CryptoKey | null;
  /** Names the DEK (e.g. its wrapped id); made up when omitted. Must be omitted or null for an unencrypted disk. */
  keyTag?: string | null;
  /** Sectors per extent record; the measured default suits almost every use. */
  extentSectors?: number;
}

/** How many times a write is retried when another write changed one of its extents in between. */
const WRITE_ATTEMPTS = 8;

/** Checks a new disk's options and builds its header (with a made-up key tag and a key check when encrypted). */
async function newDiskHeader(options: CreateDiskOptions): Promise<DiskRow> {
  const { diskId, datastoreId, path, sizeBytes, dek } = options;
  const extentSectors = options.extentSectors ?? DEFAULT_EXTENT_SECTORS;
  checkDiskSize(sizeBytes);
  checkExtentSectors(extentSectors);
  splitPath(path);
  if (dek === null && options.keyTag != null) {
    throw new TypeError(`Virtual disk "${diskId}" is created unencrypted, so it takes no key tag.`);
  }
  const keyTag = dek === null ? null : (options.keyTag ?? `dek-${crypto.randomUUID()}`);
  return {
    diskId,
    datastoreId,
    path,
    sizeBytes,
    extentSectors,
    keyTag,
    keyCheck: dek === null ? null : await sealKeyCheck(dek, diskId),
    createdAt: Date.now(),
    writtenExtents: noExtentsWritten(extentCount({ sizeBytes, extentSectors })),
  };
}

export async function createDisk(db: KeylabDb, options: CreateDiskOptions): Promise<VirtualDisk> {
  const { diskId, dek } = options;
  const header = await newDiskHeader(options);
  await mapQuota(() =>
    db.transaction('rw', db.disks, async () => {
      if (await db.disks.get(diskId)) throw new DiskExistsError(diskId);
      await db.disks.add(header);
    }),
  );
  return new DiskHandle(db, header, sectorCodec(dek, header.keyTag));
}

/** A new disk's header and extent records, sealed in memory by prepareDisk and stored by writeNewFolders. */
export interface PreparedDisk {
  header: DiskRow;
  extents: ExtentRow[];
}

/**
 * A new disk as createDisk and one write of `image` at offset 0 would store it (the rest of the disk unwritten), but
 * built in memory: the caller stores many disks in one transaction (writeNewFolders) instead of two or three each.
 */
export async function prepareDisk(options: CreateDiskOptions, image: Uint8Array): Promise<PreparedDisk> {
  const header = await newDiskHeader(options);
  const { diskId, extentSectors, keyTag } = header;
  const geometry: DiskGeometry = { sizeBytes: header.sizeBytes, extentSectors };
  checkRange(diskId, geometry, 0, image.length);
  const codec = sectorCodec(options.dek, keyTag);
  const perExtent = extentSectors * SECTOR_SIZE;
  const extents = await Promise.all(
    Array.from({ length: Math.ceil(image.length / perExtent) }, async (_, index): Promise<ExtentRow> => {
      const { firstSector, sectors } = extentSpan(geometry, index);
      // What the image does not reach of its last extent reads as zeros, as on a never-written extent.
      const plain = new Uint8Array(sectors * SECTOR_SIZE);
      copyOverlap(image, 0, plain, firstSector * SECTOR_SIZE);
      return { diskId, index, keyTag, data: await codec.seal(diskId, firstSector, plain, true), gen: newGeneration() };
    }),
  );
  header.writtenExtents = markExtentsWritten(header.writtenExtents, extents.map((e) => e.index)) ?? header.writtenExtents;
  return { header, extents };
}

/** Opens an existing disk with its key (null for a plaintext disk). A wrong key is refused here, before any I/O. */
export async function openDisk(db: KeylabDb, diskId: string, dek: CryptoKey | null): Promise<VirtualDisk> {
  const header = await loadHeaderForIo(db, diskId);
  await assertKeyFits(diskId, header.keyCheck, dek, "the disk's key");
  return new DiskHandle(db, header, sectorCodec(dek, header.keyTag));
}

export function getDiskHeader(db: KeylabDb, diskId: string): Promise<DiskRow | undefined> {
  return db.disks.get(diskId);
}

/** Disk headers, of one datastore or of all. */
export function listDisks(db: KeylabDb, datastoreId?: string): Promise<DiskRow[]> {
  return datastoreId === undefined ? db.disks.toArray() : db.disks.where('datastoreId').equals(datastoreId).toArray();
}

/** Deletes a disk with all its sectors and any re-encryption journal, in one transaction. */
export function deleteDisk(db: KeylabDb, diskId: string): Promise<void> {
  return db.transaction('rw', db.disks, db.extents, db.reencryptJournals, async () => {
    await db.disks.delete(diskId);
    await db.reencryptJournals.delete(diskId);
    await extentRange(db, diskId).delete();
  });
}

/** Deletes the disks of a datastore whose path lies in `folder` (every disk of it when folder is undefined). */
export function deleteDisksIn(db: KeylabDb, datastoreId: string, folder?: string): Promise<void> {
  return db.transaction('rw', db.disks, db.extents, db.reencryptJournals, async () => {
    const disks = await db.disks.where('datastoreId').equals(datastoreId).toArray();
    for (const disk of disks) {
      if (folder !== undefined && !disk.path.startsWith(`${folder}/`)) continue;
      await db.disks.delete(disk.diskId);
      await db.reencryptJournals.delete(disk.diskId);
      await extentRange(db, disk.diskId).delete();
    }
  });
}

export interface RawExtent {
  diskId: string;
  index: number;
  /** The key tag the stored sectors are under (null: plaintext). */
  keyTag: string | null;
  /** Bytes per stored sector: 4124 sealed (nonce, ciphertext, tag) or 4096 plaintext. */
  storedSectorSize: number;
  /** Exactly what IndexedDB holds. */
  data: Uint8Array;
}

/** What is really stored for one extent (undefined if it was never written), for the ciphertext view and tests. */
export async function readRawExtent(db: KeylabDb, diskId: string, index: number): Promise<RawExtent | undefined> {
  const row = await db.extents.get([diskId, index]);
  if (!row) return undefined;
  return { diskId, index, keyTag: row.keyTag, storedSectorSize: storedSectorSize(row.keyTag), data: row.data };
}

/** The stored bytes of one sector (undefined if never written): what an attacker with the datastore would see. */
export async function readRawSector(
  db: KeylabDb,
  diskId: string,
  sector: number,
): Promise<{ keyTag: string | null; bytes: Uint8Array } | undefined> {
  const header = await db.disks.get(diskId);
  if (!header) throw new DiskNotFoundError(diskId);
  const index = Math.floor(sector / header.extentSectors);
  const raw = await readRawExtent(db, diskId, index);
  if (!raw) return undefined;
  const at = (sector - index * header.extentSectors) * raw.storedSectorSize;
  return { keyTag: raw.keyTag, bytes: raw.data.subarray(at, at + raw.storedSectorSize) };
}

export function extentRange(db: KeylabDb, diskId: string) {
  return db.extents.where('[diskId+index]').between([diskId, Dexie.minKey], [diskId, Dexie.maxKey], true, true);
}

async function loadHeaderForIo(db: KeylabDb, diskId: string): Promise<DiskRow> {
  return db.transaction('r', db.disks, db.reencryptJournals, async () => {
    const header = await db.disks.get(diskId);
    if (!header) throw new DiskNotFoundError(diskId);
    if (await db.reencryptJournals.get(diskId)) throw new DiskBusyError(diskId);
    return header;
  });
}

/** Same disk, same key: a re-encryption or a delete-and-recreate since opening makes the handle stale. */
function sameIncarnation(a: DiskRow, b: DiskRow): boolean {
  if (a.keyTag !== b.keyTag || a.sizeBytes !== b.sizeBytes || a.extentSectors !== b.extentSectors) return false;
  if (a.createdAt !== b.createdAt) return false;
  if (a.keyCheck === null || b.keyCheck === null) return a.keyCheck === b.keyCheck;
  return a.keyCheck.length === b.keyCheck.length && a.keyCheck.every((byte, i) => byte === b.keyCheck![i]);
}

/** A write's plan for one extent: its new content and, for a read-modify-write, the generation it was based on. */
interface ExtentWrite {
  row: ExtentRow;
  basedOnGen: number | null; // null: the write covers the whole extent, whatever was there before
}

class WriteConflict extends Error {}

/** The generation a read-modify-write bases itself on when the extent did not exist yet. */
const NEVER_WRITTEN = -1;

class DiskHandle implements VirtualDisk {
  readonly diskId: string;
  readonly sizeBytes: number;
  readonly keyTag: string | null;
  private readonly geometry: DiskGeometry;

  constructor(
    private readonly db: KeylabDb,
    private readonly header: DiskRow,
    private readonly codec: SectorCodec,
  ) {
    this.diskId = header.diskId;
    this.sizeBytes = header.sizeBytes;
    this.keyTag = header.keyTag;
    this.geometry = { sizeBytes: header.sizeBytes, extentSectors: header.extentSectors };
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.diskId, this.geometry, offset, length);
    const out = new Uint8Array(length);
    if (length === 0) return out;
    const { firstExtent, lastExtent } = this.extentsTouched(offset, length);
    const rows = await this.db.transaction('r', this.db.disks, this.db.extents, this.db.reencryptJournals, async () => {
      const current = await this.checkHeader();
      const found = await this.rangeOf(firstExtent, lastExtent).toArray();
      assertWrittenExtentsPresent(current, firstExtent, lastExtent, found);
      return found;
    });
    await Promise.all(
      rows.map(async (row) => {
        const { firstSector, sectors } = this.checkedSpan(row);
        // Open only the sectors the read touches, not the whole extent.
        const s0 = Math.max(firstSector, Math.floor(offset / SECTOR_SIZE));
        const s1 = Math.min(firstSector + sectors - 1, Math.floor((offset + length - 1) / SECTOR_SIZE));
        const size = this.codec.storedSize;
        const stored = row.data.subarray((s0 - firstSector) * size, (s1 - firstSector + 1) * size);
        const plain = await this.codec.open(this.diskId, s0, stored, true);
        copyOverlap(plain, s0 * SECTOR_SIZE, out, offset);
      }),
    );
    return out;
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    checkRange(this.diskId, this.geometry, offset, data.length);
    if (data.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(offset, data);
      } catch (error) {
        if (!(error instanceof WriteConflict) || attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
  }

  private async writeOnce(offset: number, data: Uint8Array): Promise<void> {
    const { firstExtent, lastExtent } = this.extentsTouched(offset, data.length);
    const end = offset + data.length;
    const partial: number[] = [];
    for (const index of new Set([firstExtent, lastExtent])) {
      const { firstSector, sectors } = extentSpan(this.geometry, index);
      if (offset > firstSector * SECTOR_SIZE || end < (firstSector + sectors) * SECTOR_SIZE) partial.push(index);
    }
    // Extents the write covers only in part are read first (outside the write transaction), then merged.
    const before = new Map<number, ExtentRow | undefined>();
    if (partial.length > 0) {
      const rows = await this.db.transaction('r', this.db.disks, this.db.extents, this.db.reencryptJournals, async () => {
        const current = await this.checkHeader();
        const found = await this.db.extents.bulkGet(partial.map((index) => [this.diskId, index] as [string, number]));
        // A lost extent is not merged over as if it were zeros: that would hide the damage under new data.
        for (const index of partial) assertWrittenExtentsPresent(current, index, index, found);
        return found;
      });
      partial.forEach((index, i) => before.set(index, rows[i]));
    }

    // Encrypt first: awaiting WebCrypto inside a Dexie transaction would commit it early (PrematureCommitError).
    const indices = Array.from({ length: lastExtent - firstExtent + 1 }, (_, i) => firstExtent + i);
    const written = await Promise.all(indices.map((index) => this.planExtent(index, offset, data, before)));

    await mapQuota(() =>
      this.db.transaction('rw', this.db.disks, this.db.extents, this.db.reencryptJournals, async () => {
        const current = await this.checkHeader();
        const marked = markExtentsWritten(current.writtenExtents, indices);
        if (marked) await this.db.disks.update(this.diskId, { writtenExtents: marked });
        const based = written.filter((plan) => plan.basedOnGen !== null);
        if (based.length > 0) {
          const now = await this.db.extents.bulkGet(based.map((plan) => [this.diskId, plan.row.index] as [string, number]));
          if (now.some((row, i) => (row?.gen ?? NEVER_WRITTEN) !== based[i]!.basedOnGen)) throw new WriteConflict();
        }
        await this.db.extents.bulkPut(written.map((plan) => plan.row));
      }),
    );
  }

  /** Builds one extent's new record: untouched sectors keep their stored bytes; only touched ones are sealed again. */
  private async planExtent(
    index: number,
    offset: number,
    data: Uint8Array,
    before: Map<number, ExtentRow | undefined>,
  ): Promise<ExtentWrite> {
    const { firstSector, sectors } = extentSpan(this.geometry, index);
    const row = (stored: Uint8Array, basedOnGen: number | null): ExtentWrite => ({
      row: { diskId: this.diskId, index, keyTag: this.keyTag, data: stored, gen: newGeneration() },
      basedOnGen,
    });
    const extentStart = firstSector * SECTOR_SIZE;
    const extentEnd = (firstSector + sectors) * SECTOR_SIZE;
    const end = offset + data.length;
    if (!before.has(index)) {
      // The write covers the whole extent.
      const plain = data.subarray(extentStart - offset, extentEnd - offset);
      return row(await this.codec.seal(this.diskId, firstSector, plain), null);
    }
    const old = before.get(index);
    if (old === undefined) {
      // Never written: the rest of the extent is zeros.
      const plain = new Uint8Array(sectors * SECTOR_SIZE);
      copyOverlap(data, offset, plain, extentStart);
      return row(await this.codec.seal(this.diskId, firstSector, plain, true), NEVER_WRITTEN);
    }
    this.checkedSpan(old);
    const size = this.codec.storedSize;
    const s0 = Math.max(firstSector, Math.floor(offset / SECTOR_SIZE));
    const s1 = Math.min(firstSector + sectors - 1, Math.floor((end - 1) / SECTOR_SIZE));
    const plain = new Uint8Array((s1 - s0 + 1) * SECTOR_SIZE);
    // Sectors the write covers only in part need their old plaintext.
    const edges = new Set<number>();
    if (offset > s0 * SECTOR_SIZE) edges.add(s0);
    if (end < (s1 + 1) * SECTOR_SIZE) edges.add(s1);
    await Promise.all(
      [...edges].map(async (sector) => {
        const at = (sector - firstSector) * size;
        const oldPlain = await this.codec.open(this.diskId, sector, old.data.subarray(at, at + size));
        plain.set(oldPlain, (sector - s0) * SECTOR_SIZE);
      }),
    );
    copyOverlap(data, offset, plain, s0 * SECTOR_SIZE);
    const stored = old.data.slice();
    stored.set(await this.codec.seal(this.diskId, s0, plain, true), (s0 - firstSector) * size);
    return row(stored, old.gen);
  }

  private extentsTouched(offset: number, length: number) {
    const perExtent = this.header.extentSectors * SECTOR_SIZE;
    return { firstExtent: Math.floor(offset / perExtent), lastExtent: Math.floor((offset + length - 1) / perExtent) };
  }

  private rangeOf(firstExtent: number, lastExtent: number) {
    return this.db.extents
      .where('[diskId+index]')
      .between([this.diskId, firstExtent], [this.diskId, lastExtent], true, true);
  }

  /** Inside a transaction: the disk still exists under the key it was opened with, and is not being re-encrypted. */
  private async checkHeader(): Promise<DiskRow> {
    const current = await this.db.disks.get(this.diskId);
    if (!current || !sameIncarnation(current, this.header)) {
      throw current ? new DiskChangedError(this.diskId) : new DiskNotFoundError(this.diskId);
    }
    if (await this.db.reencryptJournals.get(this.diskId)) throw new DiskBusyError(this.diskId);
    return current;
  }

  /** An extent's span, after checking the record is whole and under the disk's key. */
  private checkedSpan(row: ExtentRow): { firstSector: number; sectors: number } {
    const span = extentSpan(this.geometry, row.index);
    if (row.keyTag !== this.keyTag || row.data.length !== span.sectors * this.codec.storedSize) {
      throw new SectorIntegrityError(this.diskId, span.firstSector);
    }
    return span;
  }
}

/** Copies the overlap of `source` (starting at disk byte sourceAt) into `target` (starting at disk byte targetAt). */
function copyOverlap(source: Uint8Array, sourceAt: number, target: Uint8Array, targetAt: number): void {
  const from = Math.max(sourceAt, targetAt);
  const to = Math.min(sourceAt + source.length, targetAt + target.length);
  if (to > from) target.set(source.subarray(from - sourceAt, to - sourceAt), from - targetAt);
}
