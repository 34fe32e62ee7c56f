// The keylab databases of this site besides the open lab's (lessons' labs, a bench left behind), each with the bytes
// it holds, so a full storage can be freed with actions the lab offers instead of advice it cannot follow.
import { KeylabDb, deleteKeylabDb } from './db';

export interface StoredLabData {
  name: string;
  /** What its records hold (disk sectors, files, saved labs): the space deleting it frees, near enough. */
  sizeBytes: number;
}

async function sizeOf(name: string): Promise<number> {
  const db = new KeylabDb(name);
  try {
    let bytes = 0;
    await db.extents.each((row) => (bytes += row.data.byteLength));
    await db.datastoreFiles.each((row) => (bytes += row.text.length));
    await db.savedLabs.each((row) => (bytes += row.snapshotJson.length));
    return bytes;
  } finally {
    db.close();
  }
}

/** Every keylab database of this site except `current`, largest first (empty when the browser cannot list them). */
export async function listOtherLabData(current: string): Promise<StoredLabData[]> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return [];
  const names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n && n !== current && n.startsWith('keylab'));
  const sized = await Promise.all(names.map(async (name) => ({ name, sizeBytes: await sizeOf(name).catch(() => 0) })));
  return sized.sort((a, b) => b.sizeBytes - a.sizeBytes);
}

export function deleteLabData(name: string): Promise<void> {
  return deleteKeylabDb(name);
}
