// CryptoKeys held by simulated entities (KMS nodes, vCenter's KDK, TPM-sealed keys). IndexedDB stores CryptoKey
// objects as they are, non-extractable ones included, so a key that must not leave WebCrypto never has to.
import type { KeyVaultRow, KeylabDb } from './db';
import { KeyVaultDamagedError, mapQuota } from './errors';

export interface StoredKey {
  id: string;
  owner: string;
  key: CryptoKey;
  meta?: Record<string, unknown>;
}

export function putKey(db: KeylabDb, entry: StoredKey): Promise<void> {
  return putKeys(db, [entry]);
}

/**
 * Stores many keys in one transaction: all or none. Each IndexedDB transaction costs about a millisecond whatever it
 * holds, so building a datacenter of hundreds of VMs key by key spends most of its time on round trips.
 */
export async function putKeys(db: KeylabDb, entries: readonly StoredKey[]): Promise<void> {
  if (entries.length === 0) return;
  const createdAt = Date.now();
  await mapQuota(() => db.keyVault.bulkPut(entries.map((entry): KeyVaultRow => ({ ...entry, createdAt }))));
}

/** A row read back is checked to hold a CryptoKey: a damaged entry is named, never a TypeError deep in WebCrypto. */
function checked<T extends KeyVaultRow | undefined>(row: T): T {
  if (row !== undefined && !(row.key instanceof CryptoKey)) {
    throw new KeyVaultDamagedError(String(row.id), typeof row.owner === 'string' ? row.owner : 'an unknown holder');
  }
  return row;
}

export async function getKey(db: KeylabDb, id: string): Promise<KeyVaultRow | undefined> {
  return checked(await db.keyVault.get(id));
}

/**
 * Keys of one owner, or every key. A damaged entry (no longer a key) is left out here, so a sweep over the vault (an
 * upgrade on open) still runs; it is named when it is used (getKey, getKeys).
 */
export async function listKeys(db: KeylabDb, owner?: string): Promise<KeyVaultRow[]> {
  const rows = owner === undefined ? await db.keyVault.toArray() : await db.keyVault.where('owner').equals(owner).toArray();
  return rows.filter((row) => row.key instanceof CryptoKey);
}

/** The ids of one owner's keys, read from the index alone: no CryptoKey is loaded. */
export async function listKeyIds(db: KeylabDb, owner: string): Promise<string[]> {
  return db.keyVault.where('owner').equals(owner).primaryKeys();
}

/** The keys with these ids, in their order (undefined where there is none). */
export async function getKeys(db: KeylabDb, ids: readonly string[]): Promise<(KeyVaultRow | undefined)[]> {
  return (await db.keyVault.bulkGet([...ids])).map(checked);
}

export async function deleteKey(db: KeylabDb, id: string): Promise<void> {
  await db.keyVault.delete(id);
}

/** Forgets every key an owner held, e.g. a host's RAM on reboot or a TPM that was cleared. */
export async function deleteKeysOf(db: KeylabDb, owner: string): Promise<number> {
  return db.keyVault.where('owner').equals(owner).delete();
}
