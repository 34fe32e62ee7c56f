// Helpers for the data-plane tests: throwaway databases, a VM with known guest files, standard and NKP KEKs.
import { deriveKek } from '@/lib/crypto/derive';
import { generateKdk, generateKek, newKeyId } from '@/lib/crypto/keys';
import { KeylabDb, type ExtentRow } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import type { KekRef } from './vm-crypto';
import { createVmFiles } from './vm-files-create';
import type { VmFiles } from './vm-files-model';

export const DATASTORE = 'ds-1';

/** Files that span many sectors and extents, with multi-byte UTF-8 so a byte-level slip would show. */
export const GUEST_FILES = [
  { name: 'hello.txt', text: 'Hello from db-01 — ünïcødé ✓\n' },
  { name: 'customers.csv', text: Array.from({ length: 900 }, (_, i) => `${i},customer-${i},${(i * 7919) % 10007}€`).join('\n') },
  { name: 'empty.txt', text: '' },
  { name: 'notes.md', text: '# Notes\n'.repeat(700) },
  // Fills most of the disk, so that every interruption point of a re-encryption has real data after it.
  { name: 'big.log', text: Array.from({ length: 36 * 4096 / 64 }, (_, i) => `${String(i).padStart(6, '0')} log line ${'x'.repeat(47)}\n`).join('') },
];

export function openTestDb(label: string): KeylabDb {
  return new KeylabDb(uniqueDbName(label));
}

/** 64 sectors in extents of 2: 32 extents, so batches of 2 extents give 16 points to interrupt at. */
export const TEST_DISK_BYTES = 64 * 4096;
export const TEST_EXTENT_SECTORS = 2;

export function createTestVm(db: KeylabDb, name = 'db-01', vmId = name): Promise<VmFiles> {
  return createVmFiles(db, {
    vmId,
    name,
    datastoreId: DATASTORE,
    diskSizeBytes: TEST_DISK_BYTES,
    vtpm: false,
    guestFiles: GUEST_FILES,
    extentSectors: TEST_EXTENT_SECTORS,
  });
}

export async function standardKek(providerId = 'kms-cluster-a'): Promise<KekRef> {
  return { key: await generateKek(), keyId: newKeyId(), providerId, kdkKeyId: null };
}

/** A KEK derived from an NKP's KDK (`kdkKeyId` names that KDK, as the provider's key ID would). */
export async function nkpKek(kdk?: CryptoKey, providerId = 'nkp-1', kdkKeyId = 'kdk-of-nkp-1'): Promise<KekRef & { kdk: CryptoKey }> {
  const theKdk = kdk ?? (await generateKdk());
  const keyId = newKeyId();
  return { key: await deriveKek(theKdk, keyId), keyId, providerId, kdkKeyId, kdk: theKdk };
}

export async function extentsOf(db: KeylabDb, diskId: string): Promise<ExtentRow[]> {
  return db.extents.where('[diskId+index]').between([diskId, 0], [diskId, Number.MAX_SAFE_INTEGER], true, true).toArray();
}

/** What is stored, as comparable strings (deep-equal of large Uint8Arrays is slow). */
export async function storedSnapshot(db: KeylabDb, diskId: string) {
  return (await extentsOf(db, diskId)).map((e) => ({ index: e.index, keyTag: e.keyTag, gen: e.gen, data: Buffer.from(e.data).toString('base64') }));
}

export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure, but it succeeded');
    },
    (error: unknown) => error,
  );
}
