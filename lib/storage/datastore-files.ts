// A datastore's folders and text files (a VM's .vmx, a disk descriptor); the disks themselves live in virtual-disk.
import { Dexie } from 'dexie';
import type { DatastoreFileRow, KeylabDb } from './db';
import { DiskExistsError, mapQuota } from './errors';
import { splitPath } from './paths';
import { deleteDisksIn, listDisks, type PreparedDisk } from './virtual-disk';

export interface DatastoreEntry {
  kind: 'file' | 'disk';
  /** Full path inside the datastore, e.g. "db-01/db-01.vmx". */
  path: string;
  /** The last part of the path, e.g. "db-01.vmx". */
  name: string;
  sizeBytes: number;
  /** For a file, when it was last written; for a disk, when it was created. */
  modifiedAt: number;
  /** For a disk: the key tag it is under (null: not encrypted). */
  keyTag?: string | null;
}

function allFilesOf(db: KeylabDb, datastoreId: string) {
  return db.datastoreFiles
    .where('[datastoreId+path]')
    .between([datastoreId, Dexie.minKey], [datastoreId, Dexie.maxKey], true, true);
}

export function writeTextFile(db: KeylabDb, datastoreId: string, path: string, text: string): Promise<void> {
  return writeTextFiles(db, datastoreId, [{ path, text }]);
}

/** Writes many text files of a datastore in one transaction: all or none (a crash never leaves half of them). */
export async function writeTextFiles(
  db: KeylabDb,
  datastoreId: string,
  files: readonly { path: string; text: string }[],
): Promise<void> {
  if (files.length === 0) return;
  const modifiedAt = Date.now();
  const rows = files.map(({ path, text }): DatastoreFileRow => ({ datastoreId, path, folder: splitPath(path).folder, text, modifiedAt }));
  await mapQuota(() => db.datastoreFiles.bulkPut(rows));
}

/**
 * Writes new folders in ONE transaction: their disks (headers and sectors, from prepareDisk) and their text files.
 * All or none: a crash or a full quota (StorageFullError) leaves none of it behind. A disk ID already taken is refused
 * (DiskExistsError) and nothing is written.
 */
export async function writeNewFolders(
  db: KeylabDb,
  contents: { disks: readonly PreparedDisk[]; files: readonly { datastoreId: string; path: string; text: string }[] },
): Promise<void> {
  const modifiedAt = Date.now();
  const rows = contents.files.map(({ datastoreId, path, text }): DatastoreFileRow => ({ datastoreId, path, folder: splitPath(path).folder, text, modifiedAt }));
  const headers = contents.disks.map((disk) => disk.header);
  const extents = contents.disks.flatMap((disk) => disk.extents);
  await mapQuota(() =>
    db.transaction('rw', [db.datastoreFiles, db.disks, db.extents], async () => {
      const taken = (await db.disks.bulkGet(headers.map((h) => h.diskId))).find((row) => row !== undefined);
      if (taken) throw new DiskExistsError(taken.diskId);
      await Promise.all([db.disks.bulkAdd(headers), db.extents.bulkPut(extents), db.datastoreFiles.bulkPut(rows)]);
    }),
  );
}

/**
 * Folders of a datastore that are taken: those holding a text file, and every folder a disk lies in (its parents
 * included). Read from the folder index and the disk headers once, however many folders are asked about.
 */
export async function foldersInUse(db: KeylabDb, datastoreId: string): Promise<Set<string>> {
  const [fileFolders, disks] = await db.transaction('r', db.datastoreFiles, db.disks, () =>
    Promise.all([
      db.datastoreFiles
        .where('[datastoreId+folder]')
        .between([datastoreId, Dexie.minKey], [datastoreId, Dexie.maxKey], true, true)
        .keys(),
      listDisks(db, datastoreId),
    ]),
  );
  const used = new Set<string>();
  for (const key of fileFolders) used.add((key as unknown as [string, string])[1]);
  for (const disk of disks) {
    const { folder } = splitPath(disk.path);
    if (folder === '') continue;
    const parts = folder.split('/');
    for (let i = 1; i <= parts.length; i++) used.add(parts.slice(0, i).join('/'));
  }
  return used;
}

export async function readTextFile(db: KeylabDb, datastoreId: string, path: string): Promise<string | undefined> {
  return (await db.datastoreFiles.get([datastoreId, path]))?.text;
}

export async function deleteTextFile(db: KeylabDb, datastoreId: string, path: string): Promise<void> {
  await db.datastoreFiles.delete([datastoreId, path]);
}

/** The files and disks directly in `folder` ('' for the datastore's root), sorted by name. */
export async function listFolder(db: KeylabDb, datastoreId: string, folder: string): Promise<DatastoreEntry[]> {
  const [files, disks] = await Promise.all([
    db.datastoreFiles.where('[datastoreId+folder]').equals([datastoreId, folder]).toArray(),
    listDisks(db, datastoreId),
  ]);
  const entries: DatastoreEntry[] = files.map((file: DatastoreFileRow) => ({
    kind: 'file',
    path: file.path,
    name: file.path.slice(file.folder === '' ? 0 : file.folder.length + 1),
    sizeBytes: new TextEncoder().encode(file.text).length,
    modifiedAt: file.modifiedAt,
  }));
  for (const disk of disks) {
    const { folder: diskFolder, name } = splitPath(disk.path);
    if (diskFolder !== folder) continue;
    entries.push({ kind: 'disk', path: disk.path, name, sizeBytes: disk.sizeBytes, modifiedAt: disk.createdAt, keyTag: disk.keyTag });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every folder that holds a file or a disk, parents included ('' is the root and is not listed), sorted. */
export async function listFolders(db: KeylabDb, datastoreId: string): Promise<string[]> {
  const [files, disks] = await Promise.all([allFilesOf(db, datastoreId).toArray(), listDisks(db, datastoreId)]);
  const folders = new Set<string>();
  for (const path of [...files.map((file) => file.path), ...disks.map((disk) => disk.path)]) {
    const parts = splitPath(path).folder.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (folder !== '') folders.add(folder);
    }
  }
  return [...folders].sort();
}

/** Deletes a folder with everything under it, files and virtual disks, in one transaction. */
export async function deleteFolder(db: KeylabDb, datastoreId: string, folder: string): Promise<void> {
  splitPath(folder);
  await db.transaction('rw', [db.datastoreFiles, db.disks, db.extents, db.reencryptJournals], async () => {
    await allFilesOf(db, datastoreId)
      .filter((file) => file.folder === folder || file.folder.startsWith(`${folder}/`))
      .delete();
    await deleteDisksIn(db, datastoreId, folder);
  });
}

/** Deletes everything stored on a datastore, files and virtual disks, in one transaction. */
export async function deleteDatastoreFiles(db: KeylabDb, datastoreId: string): Promise<void> {
  await db.transaction('rw', [db.datastoreFiles, db.disks, db.extents, db.reencryptJournals], async () => {
    await allFilesOf(db, datastoreId).delete();
    await deleteDisksIn(db, datastoreId);
  });
}
