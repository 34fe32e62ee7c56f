// A download of what a lab left in this browser (saved-lab records, datastore files, disk headers and sectors as stored,
// which keys exist), so nothing is lost when a learner starts over after the lab's own record went missing or bad.
// Keys are listed, not exported: they live in WebCrypto, most of them non-extractable by design.
import type { KeylabDb } from './db';

function base64(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** JSON text describing every stored part of the lab's world. */
export async function exportStoredWorld(db: KeylabDb): Promise<string> {
  const [savedLabs, files, disks, extents, journals, keys] = await db.transaction(
    'r',
    [db.savedLabs, db.datastoreFiles, db.disks, db.extents, db.reencryptJournals, db.keyVault],
    () => Promise.all([db.savedLabs.toArray(), db.datastoreFiles.toArray(), db.disks.toArray(), db.extents.toArray(), db.reencryptJournals.toArray(), db.keyVault.toArray()]),
  );
  return JSON.stringify({
    keylabExport: 1,
    exportedAt: new Date().toISOString(),
    note: 'Keys are listed by id and holder only: they live in the browser’s WebCrypto and cannot be exported.',
    savedLabs,
    datastoreFiles: files,
    disks: disks.map((d) => ({ ...d, keyCheck: base64(d.keyCheck) })),
    extents: extents.map((e) => ({ ...e, data: base64(e.data) })),
    reencryptJournals: journals.map((j) => ({ ...j, toKeyCheck: base64(j.toKeyCheck) })),
    keys: keys.map(({ id, owner, meta, createdAt }) => ({ id, owner, meta, createdAt })),
  });
}
