// Datastore folders and files: text round trips, listings that include disks, and deletes that take disks along.
import { afterEach, describe, expect, it } from 'vitest';
import { SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { openKeylabDb, type KeylabDb } from './db';
import {
  deleteDatastoreFiles,
  deleteFolder,
  deleteTextFile,
  foldersInUse,
  listFolder,
  listFolders,
  readTextFile,
  writeTextFile,
  writeNewFolders,
  writeTextFiles,
} from './datastore-files';
import { DiskExistsError, DiskRangeError, StorageFullError } from './errors';
import { failingDb, newDek, quotaError, uniqueDbName } from './test-support';
import { createDisk, getDiskHeader, openDisk, prepareDisk } from './virtual-disk';

const opened: KeylabDb[] = [];
const fresh = (label: string) => {
  const db = openKeylabDb(uniqueDbName(label));
  opened.push(db);
  return db;
};
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const VMX = 'config.version = "8"\nencryption.keySafe = "vmware:key/list/(pair/(fqid/<VMWARE-NULL>/nkp-1/1234,HMAC-SHA-256,QUJD))"\n';

describe('datastore files', () => {
  it('writes, overwrites, reads and deletes a text file, per datastore', async () => {
    const db = fresh('files');
    await writeTextFile(db, 'ds-1', 'db-01/db-01.vmx', VMX);
    expect(await readTextFile(db, 'ds-1', 'db-01/db-01.vmx')).toBe(VMX);
    expect(await readTextFile(db, 'ds-2', 'db-01/db-01.vmx')).toBeUndefined();
    await writeTextFile(db, 'ds-1', 'db-01/db-01.vmx', 'é ünïcode ✓');
    expect(await readTextFile(db, 'ds-1', 'db-01/db-01.vmx')).toBe('é ünïcode ✓');
    await deleteTextFile(db, 'ds-1', 'db-01/db-01.vmx');
    expect(await readTextFile(db, 'ds-1', 'db-01/db-01.vmx')).toBeUndefined();
  });

  it('refuses malformed paths', async () => {
    const db = fresh('paths');
    for (const path of ['', '/abs', 'trailing/', 'a//b', '../up', 'a/./b']) {
      await expect(writeTextFile(db, 'ds', path, 'x')).rejects.toBeInstanceOf(DiskRangeError);
    }
  });

  it('lists a folder with its files and disks, and every folder of a datastore', async () => {
    const db = fresh('list');
    await writeTextFile(db, 'ds-1', 'db-01/db-01.vmx', VMX);
    await writeTextFile(db, 'ds-1', 'db-01/db-01.vmdk', 'descriptor');
    await writeTextFile(db, 'ds-1', 'db-01/logs/vmware.log', 'log');
    await writeTextFile(db, 'ds-1', 'web-01/web-01.vmx', VMX);
    await writeTextFile(db, 'ds-1', 'readme.txt', 'root');
    await writeTextFile(db, 'ds-2', 'other/other.vmx', VMX);
    await createDisk(db, { diskId: 'd1', datastoreId: 'ds-1', path: 'db-01/db-01-flat.vmdk', sizeBytes: 8 * SECTOR_SIZE, dek: await newDek(), keyTag: 'k1' });
    await createDisk(db, { diskId: 'd2', datastoreId: 'ds-1', path: 'iso/disk.vmdk', sizeBytes: SECTOR_SIZE, dek: null });

    const entries = await listFolder(db, 'ds-1', 'db-01');
    expect(entries.map((e) => [e.kind, e.name])).toEqual([
      ['disk', 'db-01-flat.vmdk'],
      ['file', 'db-01.vmdk'],
      ['file', 'db-01.vmx'],
    ]);
    expect(entries[0]).toMatchObject({ sizeBytes: 8 * SECTOR_SIZE, keyTag: 'k1', path: 'db-01/db-01-flat.vmdk' });
    expect(entries[2]!.sizeBytes).toBe(new TextEncoder().encode(VMX).length);
    expect((await listFolder(db, 'ds-1', '')).map((e) => e.name)).toEqual(['readme.txt']);
    expect(await listFolders(db, 'ds-1')).toEqual(['db-01', 'db-01/logs', 'iso', 'web-01']);
    expect(await listFolders(db, 'ds-2')).toEqual(['other']);
  });

  it('deletes a folder with its subfolders and disks, leaving look-alike folders alone', async () => {
    const db = fresh('delete-folder');
    await writeTextFile(db, 'ds-1', 'db-01/db-01.vmx', VMX);
    await writeTextFile(db, 'ds-1', 'db-01/logs/vmware.log', 'log');
    await writeTextFile(db, 'ds-1', 'db-010/db-010.vmx', VMX);
    const disk = await createDisk(db, { diskId: 'd1', datastoreId: 'ds-1', path: 'db-01/db-01-flat.vmdk', sizeBytes: 4 * SECTOR_SIZE, dek: null });
    await disk.write(0, new Uint8Array([1]));
    await createDisk(db, { diskId: 'd2', datastoreId: 'ds-1', path: 'db-010/d.vmdk', sizeBytes: SECTOR_SIZE, dek: null });
    await deleteFolder(db, 'ds-1', 'db-01');
    expect(await listFolders(db, 'ds-1')).toEqual(['db-010']);
    expect(await getDiskHeader(db, 'd1')).toBeUndefined();
    expect(await getDiskHeader(db, 'd2')).toBeDefined();
    expect(await db.extents.count()).toBe(0);
  });

  it('deletes everything on one datastore only', async () => {
    const db = fresh('delete-ds');
    await writeTextFile(db, 'ds-1', 'a/a.vmx', VMX);
    await writeTextFile(db, 'ds-2', 'b/b.vmx', VMX);
    await createDisk(db, { diskId: 'd1', datastoreId: 'ds-1', path: 'a/a.vmdk', sizeBytes: SECTOR_SIZE, dek: null });
    await deleteDatastoreFiles(db, 'ds-1');
    expect(await listFolders(db, 'ds-1')).toEqual([]);
    expect(await readTextFile(db, 'ds-2', 'b/b.vmx')).toBe(VMX);
    expect(await db.disks.count()).toBe(0);
  });

  it('writes many files in one go, and a failed batch leaves every file as it was', async () => {
    const name = uniqueDbName('many-files');
    const setup = openKeylabDb(name);
    await writeTextFiles(setup, 'ds', [
      { path: 'vm-1/vm-1.vmx', text: 'one' },
      { path: 'vm-2/vm-2.vmx', text: 'two' },
      { path: 'vm-2/vm-2.vmdk', text: 'descriptor' },
    ]);
    expect((await listFolder(setup, 'ds', 'vm-2')).map((e) => e.name)).toEqual(['vm-2.vmdk', 'vm-2.vmx']);
    expect(await readTextFile(setup, 'ds', 'vm-1/vm-1.vmx')).toBe('one');
    await expect(writeTextFiles(setup, 'ds', [{ path: '/bad', text: 'x' }])).rejects.toBeInstanceOf(DiskRangeError);
    setup.close();

    const db = failingDb(name, { table: 'datastoreFiles', failAfter: 0, error: quotaError });
    opened.push(db);
    await expect(
      writeTextFiles(db, 'ds', [
        { path: 'vm-1/vm-1.vmx', text: 'changed' },
        { path: 'vm-3/vm-3.vmx', text: 'new' },
      ]),
    ).rejects.toBeInstanceOf(StorageFullError);
    expect(await readTextFile(db, 'ds', 'vm-1/vm-1.vmx')).toBe('one');
    expect(await readTextFile(db, 'ds', 'vm-3/vm-3.vmx')).toBeUndefined();
  });

  it('maps a quota error on a file write and keeps the previous version', async () => {
    const name = uniqueDbName('quota-files');
    const setup = openKeylabDb(name);
    await writeTextFile(setup, 'ds', 'vm/vm.vmx', 'old');
    setup.close();
    const db = failingDb(name, { table: 'datastoreFiles', failAfter: 0, error: quotaError });
    opened.push(db);
    await expect(writeTextFile(db, 'ds', 'vm/vm.vmx', 'new')).rejects.toBeInstanceOf(StorageFullError);
    expect(await readTextFile(db, 'ds', 'vm/vm.vmx')).toBe('old');
  });
});

describe('writeNewFolders', () => {
  it('stores prepared disks as createDisk and one write would, with their files, in one go', async () => {
    const db = fresh('new-folders');
    const dek = await newDek();
    const image = new Uint8Array(5 * SECTOR_SIZE).map((_, i) => i % 251);
    const disk = await prepareDisk({ diskId: 'd1', datastoreId: 'ds', path: 'vm-1/vm-1-flat.vmdk', sizeBytes: 16 * SECTOR_SIZE, dek, extentSectors: 3 }, image);
    expect(disk.extents.map((e) => e.index)).toEqual([0, 1]);
    await writeNewFolders(db, { disks: [disk], files: [{ datastoreId: 'ds', path: 'vm-1/vm-1.vmx', text: VMX }] });
    expect(await readTextFile(db, 'ds', 'vm-1/vm-1.vmx')).toBe(VMX);
    const opened = await openDisk(db, 'd1', dek);
    expect(await opened.read(0, image.length)).toEqual(image);
    expect(await opened.read(image.length, SECTOR_SIZE)).toEqual(new Uint8Array(SECTOR_SIZE));
    expect(await foldersInUse(db, 'ds')).toEqual(new Set(['vm-1']));
  });

  it('refuses a disk ID already taken, and a full quota, writing nothing of either', async () => {
    const name = uniqueDbName('new-folders-refused');
    const db = openKeylabDb(name);
    opened.push(db);
    await createDisk(db, { diskId: 'taken', datastoreId: 'ds', path: 'old/old-flat.vmdk', sizeBytes: SECTOR_SIZE, dek: null });
    const prepared = (diskId: string, folder: string) =>
      prepareDisk({ diskId, datastoreId: 'ds', path: `${folder}/flat.vmdk`, sizeBytes: 4 * SECTOR_SIZE, dek: null }, new Uint8Array(SECTOR_SIZE).fill(7));
    const files = [{ datastoreId: 'ds', path: 'a/a.vmx', text: VMX }];
    await expect(writeNewFolders(db, { disks: [await prepared('fresh', 'a'), await prepared('taken', 'a')], files })).rejects.toBeInstanceOf(DiskExistsError);
    const full = failingDb(name, { table: 'extents', failAfter: 0, error: quotaError });
    opened.push(full);
    await expect(writeNewFolders(full, { disks: [await prepared('fresh', 'a')], files })).rejects.toBeInstanceOf(StorageFullError);
    expect(await getDiskHeader(db, 'fresh')).toBeUndefined();
    expect(await listFolder(db, 'ds', 'a')).toEqual([]);
    expect(await foldersInUse(db, 'ds')).toEqual(new Set(['old']));
  });
});
