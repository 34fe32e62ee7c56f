// A lab as this browser stores it, outside a running lab: the saved record as text (for a download), everything the
// lab left (before starting over), and forgetting it. One lab per database.
import { deleteLab, loadLabText, type KeylabDb } from '@/lib/storage';
import { exportStoredWorld } from '@/lib/storage/world-export';

/** The saved lab exactly as stored (a damaged one included), for the learner to download; undefined when none. */
export function savedLabText(db: KeylabDb, labId: string): Promise<string | undefined> {
  return loadLabText(db, labId);
}

/** Everything a lab left in this browser, as JSON text to download before starting over. */
export function exportLabData(db: KeylabDb): Promise<string> {
  return exportStoredWorld(db);
}

/** Forgets a lab: its saved state, and the world it built (keys, datastore files, disks). One lab per database. */
export async function resetLab(db: KeylabDb, labId: string): Promise<void> {
  await deleteLab(db, labId);
  await clearWorld(db);
}

/** Deletes the world a lab built (keys, datastore files, disks, journals) so a new one starts from nothing. */
export async function clearWorld(db: KeylabDb): Promise<void> {
  await db.transaction('rw', [db.keyVault, db.datastoreFiles, db.disks, db.extents, db.reencryptJournals], async () => {
    await Promise.all([db.keyVault.clear(), db.datastoreFiles.clear(), db.disks.clear(), db.extents.clear(), db.reencryptJournals.clear()]);
  });
}
