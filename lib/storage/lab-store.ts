// Saved labs: a lab's persisted XState snapshot, kept as JSON text so what is loaded is exactly a JSON round trip.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { KeylabDb } from './db';
import { mapQuota } from './errors';
import { readWorldStamp, stampedWritesIssued } from './world-stamp';

/**
 * Saves a lab's snapshot. `quietAt`: the snapshot was taken with nothing running, when stampedWritesIssued(db) said
 * this; if no stamped write was issued since, the row keeps the world stamp, which the snapshot then matches.
 */
export async function saveLab(db: KeylabDb, labId: string, snapshot: unknown, quietAt: number | null = null): Promise<void> {
  const snapshotJson = JSON.stringify(snapshot);
  if (snapshotJson === undefined) throw new TypeError(`Lab "${labId}": the snapshot is not JSON data.`);
  const unchanged = () => quietAt !== null && stampedWritesIssued(db) === quietAt;
  await mapQuota(() =>
    db.transaction('rw', db.savedLabs, db.worldStamps, async () => {
      // A write issued after the snapshot may have committed before this transaction: then the stamp is not kept.
      const stamp = unchanged() ? await readWorldStamp(db) : null;
      const worldStamp = unchanged() ? stamp : null;
      const vouch = worldStamp === null ? null : vouchFor(snapshotJson, worldStamp);
      await db.savedLabs.put({ labId, snapshotJson, savedAt: Date.now(), worldStamp, vouch });
    }),
  );
}

/** The saved snapshot, or undefined when the lab was never saved. */
export async function loadLab(db: KeylabDb, labId: string): Promise<unknown> {
  const row = await db.savedLabs.get(labId);
  return row === undefined ? undefined : (JSON.parse(row.snapshotJson) as unknown);
}

/** The saved lab exactly as stored (so a damaged one can be handed to the learner whole), or undefined. */
export async function loadLabText(db: KeylabDb, labId: string): Promise<string | undefined> {
  return (await db.savedLabs.get(labId))?.snapshotJson;
}

/**
 * The saved lab's text, and whether no datastore file or key has been written since it was saved with nothing running
 * (its world stamp is still the stamp now), or undefined when the lab was never saved.
 */
export async function loadLabRecord(db: KeylabDb, labId: string): Promise<{ text: string; worldUnchanged: boolean } | undefined> {
  return db.transaction('r', db.savedLabs, db.worldStamps, async () => {
    const row = await db.savedLabs.get(labId);
    if (row === undefined) return undefined;
    const stamp = await readWorldStamp(db);
    const vouched = stamp !== null && row.worldStamp === stamp && row.vouch === vouchFor(row.snapshotJson, stamp);
    return { text: row.snapshotJson, worldUnchanged: vouched };
  });
}

/**
 * Binds a record to the world stamp it vouches for. Synchronous on purpose: it runs inside the save's transaction,
 * where awaiting WebCrypto would commit the transaction early.
 */
function vouchFor(snapshotJson: string, stamp: number): string {
  return bytesToHex(sha256(utf8ToBytes(`${stamp}\n${snapshotJson}`)));
}

/** True when a lab's world (keys, datastore files, disks) is stored, whether or not a saved lab describes it. */
export async function hasStoredWorld(db: KeylabDb): Promise<boolean> {
  const counts = await Promise.all([db.keyVault.count(), db.datastoreFiles.count(), db.disks.count()]);
  return counts.some((n) => n > 0);
}

export async function deleteLab(db: KeylabDb, labId: string): Promise<void> {
  await db.savedLabs.delete(labId);
}

/** Saved labs, newest first. */
export async function listLabs(db: KeylabDb): Promise<{ labId: string; savedAt: number }[]> {
  const rows = await db.savedLabs.toArray();
  return rows.map(({ labId, savedAt }) => ({ labId, savedAt })).sort((a, b) => b.savedAt - a.savedAt);
}
