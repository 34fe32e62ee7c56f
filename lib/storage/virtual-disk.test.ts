// Virtual disks against an in-memory model: odd offsets across extents, persistence, tampering, keys, quota.
import { describe, expect, it } from 'vitest';
import { SEALED_SECTOR_SIZE, SECTOR_SIZE, SectorIntegrityError } from '@/lib/crypto/sector-cipher';
import { KeylabDb, openKeylabDb } from './db';
import {
  DiskBusyError,
  DiskChangedError,
  DiskExtentMissingError,
  DiskExistsError,
  DiskKeyError,
  DiskNotFoundError,
  DiskRangeError,
  StorageFullError,
} from './errors';
import { reencryptDisk } from './reencrypt';
import { closeAfterEach, failingDb, indexOfBytes, knownBytes, newDek, quotaError, seededRandom, uniqueDbName } from './test-support';
import {
  createDisk,
  deleteDisk,
  getDiskHeader,
  openDisk,
  readRawExtent,
  readRawSector,
  type VirtualDisk,
} from './virtual-disk';

const track = closeAfterEach();

// 20 sectors in extents of 3: the last extent holds only 2, so boundaries and the short tail are both exercised.
const SECTORS = 20;
const EXTENT = 3;
const SIZE = SECTORS * SECTOR_SIZE;

async function newDisk(db: KeylabDb, dek: CryptoKey | null, diskId = 'disk-1'): Promise<VirtualDisk> {
  return createDisk(db, { diskId, datastoreId: 'ds-1', path: `vm/${diskId}.vmdk`, sizeBytes: SIZE, dek, extentSectors: EXTENT });
}

async function allExtentBytes(db: KeylabDb, diskId: string): Promise<Uint8Array[]> {
  return (await db.extents.toArray()).filter((row) => row.diskId === diskId).map((row) => row.data);
}

describe.each([
  ['encrypted', true],
  ['plaintext', false],
])('a %s virtual disk', (_label, encrypted) => {
  it('matches an in-memory model through writes and reads at odd offsets and lengths across extents', async () => {
    const db = track(openKeylabDb(uniqueDbName('model')));
    const disk = await newDisk(db, encrypted ? await newDek() : null);
    const model = new Uint8Array(SIZE);
    const random = seededRandom(encrypted ? 7 : 8);
    const extentBytes = EXTENT * SECTOR_SIZE;
    // Edges worth hitting on purpose, then random ones.
    const cases: [number, number][] = [
      [0, 1],
      [SECTOR_SIZE - 1, 2],
      [extentBytes - 5, 10],
      [extentBytes, extentBytes],
      [extentBytes - 1, extentBytes + 2],
      [SIZE - 1, 1],
      [SIZE - 3 * SECTOR_SIZE - 17, 3 * SECTOR_SIZE + 17],
      [0, SIZE],
      [5 * SECTOR_SIZE + 100, 0],
    ];
    for (let i = 0; i < 40; i++) {
      const offset = random(SIZE);
      cases.push([offset, random(Math.min(SIZE - offset, 4 * extentBytes) + 1)]);
    }
    let seed = 100;
    for (const [offset, length] of cases) {
      const data = knownBytes(length, seed++);
      await disk.write(offset, data);
      model.set(data, offset);
      const readOffset = random(SIZE);
      const readLength = random(SIZE - readOffset + 1);
      expect(await disk.read(readOffset, readLength)).toEqual(model.subarray(readOffset, readOffset + readLength));
    }
    expect(await disk.read(0, SIZE)).toEqual(model);
  });

  it('reads never-written regions as zeros, also next to written ones', async () => {
    const db = track(openKeylabDb(uniqueDbName('zeros')));
    const disk = await newDisk(db, encrypted ? await newDek() : null);
    expect(await disk.read(0, SIZE)).toEqual(new Uint8Array(SIZE));
    await disk.write(4 * SECTOR_SIZE + 10, new Uint8Array([1, 2, 3]));
    const around = await disk.read(3 * SECTOR_SIZE, 3 * SECTOR_SIZE);
    const expected = new Uint8Array(3 * SECTOR_SIZE);
    expected.set([1, 2, 3], SECTOR_SIZE + 10);
    expect(around).toEqual(expected);
    expect(await readRawExtent(db, 'disk-1', 0)).toBeUndefined();
  });

  it('keeps its data after the database is closed and opened again', async () => {
    const name = uniqueDbName('persist');
    const dek = encrypted ? await newDek() : null;
    const first = openKeylabDb(name);
    const disk = await newDisk(first, dek);
    const data = knownBytes(SIZE - 12345, 3);
    await disk.write(12345, data);
    first.close();
    const second = track(openKeylabDb(name));
    const again = await openDisk(second, 'disk-1', dek);
    expect(again.sizeBytes).toBe(SIZE);
    expect(await again.read(12345, data.length)).toEqual(data);
    expect(await again.read(0, 12345)).toEqual(new Uint8Array(12345));
  });
});

describe('virtual disk storage', () => {
  it('stores no plaintext in an encrypted disk, while the same search finds it in a plaintext one', async () => {
    const db = track(openKeylabDb(uniqueDbName('raw')));
    const marker = new TextEncoder().encode('CONFIDENTIAL-PAYROLL-2024');
    const text = new Uint8Array(SIZE);
    for (let at = 0; at + marker.length <= SIZE; at += 997) text.set(marker, at);
    const sealed = await newDisk(db, await newDek(), 'sealed');
    const plain = await newDisk(db, null, 'plain');
    await sealed.write(0, text);
    await plain.write(0, text);
    const sealedExtents = await allExtentBytes(db, 'sealed');
    expect(sealedExtents.length).toBe(Math.ceil(SECTORS / EXTENT));
    for (const bytes of sealedExtents) expect(indexOfBytes(bytes, marker)).toBe(-1);
    const plainExtents = await allExtentBytes(db, 'plain');
    expect(plainExtents.some((bytes) => indexOfBytes(bytes, marker) >= 0)).toBe(true);
    const raw = await readRawExtent(db, 'sealed', 0);
    expect(raw?.storedSectorSize).toBe(SEALED_SECTOR_SIZE);
    expect(raw?.data.length).toBe(EXTENT * SEALED_SECTOR_SIZE);
    const sector = await readRawSector(db, 'sealed', 4);
    expect(sector?.bytes).toEqual(raw && (await readRawExtent(db, 'sealed', 1))!.data.subarray(SEALED_SECTOR_SIZE, 2 * SEALED_SECTOR_SIZE));
  });

  it('refuses a tampered stored byte, naming the disk and the sector, and still reads the rest', async () => {
    const db = track(openKeylabDb(uniqueDbName('tamper')));
    const dek = await newDek();
    const disk = await newDisk(db, dek);
    const data = knownBytes(SIZE, 9);
    await disk.write(0, data);
    // Sector 7 is the second sector of extent 2; flip a byte of its ciphertext.
    const row = (await db.extents.get(['disk-1', 2]))!;
    row.data[SEALED_SECTOR_SIZE + 500]! ^= 0x40;
    await db.extents.put(row);
    const error = await disk.read(0, SIZE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SectorIntegrityError);
    expect((error as SectorIntegrityError).sector).toBe(7);
    expect((error as SectorIntegrityError).diskId).toBe('disk-1');
    expect((error as Error).message).toMatch(/Sector 7 of disk "disk-1"/);
    // Sector 6, in the same extent, is still fine; so is every other extent.
    expect(await disk.read(6 * SECTOR_SIZE, SECTOR_SIZE)).toEqual(data.subarray(6 * SECTOR_SIZE, 7 * SECTOR_SIZE));
    expect(await disk.read(9 * SECTOR_SIZE, 2 * SECTOR_SIZE)).toEqual(data.subarray(9 * SECTOR_SIZE, 11 * SECTOR_SIZE));
    // A partial write into the tampered sector cannot merge with garbage either.
    await expect(disk.write(7 * SECTOR_SIZE + 1, new Uint8Array(3))).rejects.toBeInstanceOf(SectorIntegrityError);
  });

  it.each([
    ['encrypted', true],
    ['plaintext', false],
  ])('reports a written extent whose record was deleted as damage by name, never as zeros (%s)', async (_label, encrypted) => {
    const db = track(openKeylabDb(uniqueDbName('hole')));
    const dek = encrypted ? await newDek() : null;
    const disk = await newDisk(db, dek);
    const data = knownBytes(4 * EXTENT * SECTOR_SIZE, 11);
    await disk.write(0, data); // extents 0..3 written, 4..6 never
    await db.extents.delete(['disk-1', 2]);

    const error = await disk.read(0, SIZE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiskExtentMissingError);
    expect((error as Error).message).toBe(
      'Virtual disk "vm/disk-1.vmdk" is damaged: sectors 6–8 were written but their record is missing from the ' +
        'datastore, so their data is lost (they are not read as zeros). Restore the VM from a backup, or reset the lab.',
    );
    // A fresh handle (as after a reload) knows it too; the rest still reads, the never-written tail still as zeros.
    const again = await openDisk(db, 'disk-1', dek);
    await expect(again.read(7 * SECTOR_SIZE, 10)).rejects.toBeInstanceOf(DiskExtentMissingError);
    expect(await again.read(0, 6 * SECTOR_SIZE)).toEqual(data.subarray(0, 6 * SECTOR_SIZE));
    expect(await again.read(12 * SECTOR_SIZE, 8 * SECTOR_SIZE)).toEqual(new Uint8Array(8 * SECTOR_SIZE));
    // A partial write does not paper over the hole with zeros; a re-encryption refuses before rewriting anything.
    await expect(again.write(7 * SECTOR_SIZE + 1, new Uint8Array(3))).rejects.toBeInstanceOf(DiskExtentMissingError);
    const before = await allExtentBytes(db, 'disk-1');
    await expect(
      reencryptDisk(db, 'disk-1', { from: dek, to: await newDek(), toKeyTag: 'dek-new' }),
    ).rejects.toBeInstanceOf(DiskExtentMissingError);
    expect(await allExtentBytes(db, 'disk-1')).toEqual(before);
    expect(await db.reencryptJournals.count()).toBe(0);
  });

  it('reads a disk stored before written extents were tracked as before: a missing extent as zeros', async () => {
    const db = track(openKeylabDb(uniqueDbName('legacy-hole')));
    const disk = await newDisk(db, null);
    await disk.write(0, knownBytes(SIZE, 12));
    const header = (await getDiskHeader(db, 'disk-1'))!;
    delete header.writtenExtents;
    await db.disks.put(header);
    await db.extents.delete(['disk-1', 1]);
    const legacy = await openDisk(db, 'disk-1', null);
    expect(await legacy.read(3 * SECTOR_SIZE, 3 * SECTOR_SIZE)).toEqual(new Uint8Array(3 * SECTOR_SIZE));
    // From its next write on, the disk keeps track: that extent, lost again, is damage.
    await legacy.write(3 * SECTOR_SIZE, knownBytes(3 * SECTOR_SIZE, 13));
    await db.extents.delete(['disk-1', 1]);
    await expect(legacy.read(3 * SECTOR_SIZE, 1)).rejects.toBeInstanceOf(DiskExtentMissingError);
  });

  it('refuses a sector record moved to another position', async () => {
    const db = track(openKeylabDb(uniqueDbName('move')));
    const disk = await newDisk(db, await newDek());
    await disk.write(0, knownBytes(SIZE, 4));
    const one = (await db.extents.get(['disk-1', 1]))!;
    await db.extents.put({ ...one, index: 3 });
    await expect(disk.read(9 * SECTOR_SIZE, 10)).rejects.toMatchObject({ code: 'SECTOR_TAMPERED', sector: 9 });
  });

  it('refuses a wrong key, a missing key, and a key for a plaintext disk', async () => {
    const db = track(openKeylabDb(uniqueDbName('keys')));
    const dek = await newDek();
    await newDisk(db, dek, 'sealed');
    await newDisk(db, null, 'plain');
    await expect(openDisk(db, 'sealed', await newDek())).rejects.toBeInstanceOf(DiskKeyError);
    await expect(openDisk(db, 'sealed', null)).rejects.toMatchObject({ code: 'DISK_KEY_MISMATCH' });
    await expect(openDisk(db, 'plain', dek)).rejects.toBeInstanceOf(DiskKeyError);
    await expect(openDisk(db, 'nope', dek)).rejects.toBeInstanceOf(DiskNotFoundError);
    await expect(openDisk(db, 'sealed', dek)).resolves.toMatchObject({ diskId: 'sealed' });
  });

  it('refuses to read sectors with a key other than the one that sealed them', async () => {
    const db = track(openKeylabDb(uniqueDbName('wrong-key-read')));
    const dek = await newDek();
    const disk = await newDisk(db, dek);
    await disk.write(0, knownBytes(2 * SECTOR_SIZE, 5));
    // Pretend the header was rewritten for another key: the sectors themselves still refuse the wrong key.
    const other = await newDek();
    const header = (await getDiskHeader(db, 'disk-1'))!;
    const { sealKeyCheck } = await import('@/lib/crypto/sector-cipher');
    await db.disks.put({ ...header, keyCheck: await sealKeyCheck(other, 'disk-1') });
    const impostor = await openDisk(db, 'disk-1', other);
    await expect(impostor.read(0, 10)).rejects.toMatchObject({ code: 'SECTOR_TAMPERED', sector: 0 });
  });

  it('refuses out-of-range access, bad sizes and duplicate ids', async () => {
    const db = track(openKeylabDb(uniqueDbName('range')));
    const disk = await newDisk(db, null);
    await expect(disk.read(SIZE - 1, 2)).rejects.toBeInstanceOf(DiskRangeError);
    await expect(disk.write(-1, new Uint8Array(1))).rejects.toBeInstanceOf(DiskRangeError);
    await expect(disk.read(0.5, 1)).rejects.toBeInstanceOf(DiskRangeError);
    await expect(newDisk(db, null)).rejects.toBeInstanceOf(DiskExistsError);
    await expect(
      createDisk(db, { diskId: 'x', datastoreId: 'ds', path: 'x/x.vmdk', sizeBytes: 1000, dek: null }),
    ).rejects.toBeInstanceOf(DiskRangeError);
    await expect(
      createDisk(db, { diskId: 'y', datastoreId: 'ds', path: '/bad', sizeBytes: SECTOR_SIZE, dek: null }),
    ).rejects.toBeInstanceOf(DiskRangeError);
  });

  it('keeps concurrent partial writes to one extent (none is lost to a read-modify-write race)', async () => {
    const db = track(openKeylabDb(uniqueDbName('race')));
    const disk = await newDisk(db, await newDek());
    await Promise.all([0, 1, 2, 3, 4].map((i) => disk.write(i * 1000 + 7, new Uint8Array(100).fill(i + 1))));
    const bytes = await disk.read(0, SECTOR_SIZE * 2);
    for (let i = 0; i < 5; i++) expect(bytes.subarray(i * 1000 + 7, i * 1000 + 107)).toEqual(new Uint8Array(100).fill(i + 1));
  });

  it('refuses I/O while re-encrypting, and through a handle opened before a re-key', async () => {
    const db = track(openKeylabDb(uniqueDbName('busy')));
    const dek = await newDek();
    const disk = await newDisk(db, dek);
    await disk.write(0, knownBytes(SIZE, 2));
    const controller = new AbortController();
    await reencryptDisk(db, 'disk-1', {
      from: dek,
      to: await newDek(),
      toKeyTag: 'dek-2',
      batchExtents: 1,
      signal: controller.signal,
      onProgress: (done) => done > 0 && controller.abort(),
    }).catch(() => undefined);
    await expect(disk.read(0, 1)).rejects.toBeInstanceOf(DiskBusyError);
    await expect(disk.write(0, new Uint8Array(1))).rejects.toMatchObject({ code: 'DISK_BUSY' });
    await expect(openDisk(db, 'disk-1', dek)).rejects.toBeInstanceOf(DiskBusyError);

    const db2 = track(openKeylabDb(uniqueDbName('stale')));
    const dekA = await newDek();
    const stale = await newDisk(db2, dekA);
    await reencryptDisk(db2, 'disk-1', { from: dekA, to: await newDek(), toKeyTag: 'dek-b' });
    await expect(stale.read(0, 1)).rejects.toBeInstanceOf(DiskChangedError);
    await expect(stale.write(0, new Uint8Array(1))).rejects.toBeInstanceOf(DiskChangedError);
  });

  it('deletes a disk with all its extents', async () => {
    const db = track(openKeylabDb(uniqueDbName('delete')));
    const disk = await newDisk(db, await newDek());
    await newDisk(db, null, 'other');
    await disk.write(0, knownBytes(SIZE, 1));
    await (await openDisk(db, 'other', null)).write(0, new Uint8Array(10).fill(1));
    await deleteDisk(db, 'disk-1');
    expect(await getDiskHeader(db, 'disk-1')).toBeUndefined();
    expect((await db.extents.toArray()).map((row) => row.diskId)).toEqual(['other']);
    await expect(disk.read(0, 1)).rejects.toBeInstanceOf(DiskNotFoundError);
  });
});

describe('a full browser storage', () => {
  it('maps a quota error to StorageFullError; earlier data stays readable and the failed write left nothing', async () => {
    const name = uniqueDbName('quota');
    const dek = await newDek();
    const setup = openKeylabDb(name);
    const first = await newDisk(setup, dek);
    const before = knownBytes(SIZE, 11);
    await first.write(0, before);
    setup.close();

    // Two writes succeed, then the browser reports the origin is full.
    const full = track(failingDb(name, { table: 'extents', type: 'put', failAfter: 2, error: quotaError }));
    const disk = await openDisk(full, 'disk-1', dek);
    await disk.write(10, new Uint8Array([1, 2, 3]));
    await disk.write(SIZE - 3, new Uint8Array([4, 5, 6]));
    const expected = before.slice();
    expected.set([1, 2, 3], 10);
    expected.set([4, 5, 6], SIZE - 3);
    // This write spans four extents: none of them may change.
    const error = await disk.write(2 * SECTOR_SIZE, new Uint8Array(4 * EXTENT * SECTOR_SIZE).fill(0xee)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as StorageFullError).code).toBe('STORAGE_FULL');
    expect((error as Error).message).toMatch(/storage .* is full/);
    expect(full.failures).toBe(1);
    expect(await disk.read(0, SIZE)).toEqual(expected);

    const reopened = track(openKeylabDb(name));
    expect(await (await openDisk(reopened, 'disk-1', dek)).read(0, SIZE)).toEqual(expected);
  });

  it('maps a quota error when creating a disk', async () => {
    const db = track(failingDb(uniqueDbName('quota-create'), { table: 'disks', failAfter: 0, error: quotaError }));
    await expect(newDisk(db, null)).rejects.toBeInstanceOf(StorageFullError);
    expect(await db.disks.count()).toBe(0);
  });
});
