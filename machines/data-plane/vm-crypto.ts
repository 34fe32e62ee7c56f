// The key-holding side of VM encryption, as an ESXi host does it: encrypt, decrypt, shallow and deep re-key a VM's
// files and disk, given the KEKs as CryptoKeys. The caller (the control plane) checks vSphere's rules first (VM off,
// no snapshots, privileges); this module does the work and keeps the VM's files consistent through any interruption.
//
// A long operation (encrypt, decrypt, deep re-key) runs in three steps:
//   1. its target (the new DEK wrapped by the new KEK, the new key's provider and ID) is written to the VM folder;
//   2. lib/storage's journaled reencryptDisk moves every sector;
//   3. one transaction rewrites the .vmx and descriptor for the new key and deletes the pending record.
// Interrupted anywhere, the files still name the old key and the pending record names the new one, so calling the
// same operation again (or resumeOperation) with both keys finishes it without losing a byte.
import { WrongKeyError } from '@/lib/crypto/errors';
import { SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { unwrapDek, wrapKey } from '@/lib/crypto/wrap';
import { diskWorkerPort, getDiskHeader, getReencryptJournal, type KeylabDb } from '@/lib/storage';
import { openVmConfig, sealVmConfig } from './encrypted-config';
import { openNvram, sealNvram } from './vm-nvram';
import { VmDataError, WrongKekError } from './errors';
import { newDekUnder, vmConfigFor, type KekRef } from './new-dek';
import { commitVmEncryption, commitVmEncryptionMany, type VmKeysCommit } from './vm-files-commit';
import {
  encryptionFromTarget,
  type PendingVmOperation,
  type VmEncryption,
  type VmFileSet,
  type VmFiles,
  type VmHomeEncryption,
  type VmOperationKind,
} from './vm-files-model';
import { writePendingOperation } from './vm-files-pending';
import { readVmFileSet, readVmFileSetsSettled } from './vm-files-read';

export type { KekRef } from './new-dek';

export interface LongOperationOptions {
  /** Bytes done and the disk's size, after each committed batch. */
  onProgress?(done: number, total: number): void;
  /** Stops after the batch in flight; the operation is then pending and resumes when called again. */
  signal?: AbortSignal;
  /** Extents per batch (tests use small ones to interrupt between batches). */
  batchExtents?: number;
}

type VmRef = Pick<VmFiles, 'datastoreId' | 'folder'>;

/** The VM's DEK, non-extractable. Throws WrongKekError (never a garbage key) when the KEK is not the VM's. */
export async function unwrapVmDek(vm: Pick<VmFiles, 'name' | 'encryption'>, kek: CryptoKey): Promise<CryptoKey> {
  const encryption = requireEncrypted(vm);
  try {
    return await unwrapDek(encryption.wrappedDek, kek);
  } catch (error) {
    if (error instanceof WrongKeyError) throw new WrongKekError(vm.name, encryption.keyId, { cause: error });
    throw error;
  }
}

/** Encrypts an unencrypted VM (it must be off) under `kek`: a new DEK, every sector sealed. */
export async function encryptVm(db: KeylabDb, vm: VmRef, kek: KekRef, opts: LongOperationOptions = {}): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  if (set.files.pending) return resumeIfSame(db, set, 'encrypt', null, kek, opts);
  if (set.files.encryption) {
    throw new VmDataError('ALREADY_ENCRYPTED', `VM "${set.files.name}" is already encrypted (key ${set.files.encryption.keyId}).`);
  }
  // VM home already encrypted (a vTPM): the disks go under the same key, which the .vmx names once for both.
  const home = set.files.home;
  if (home && (home.keyId !== kek.keyId || home.providerId !== kek.providerId)) {
    throw new VmDataError('ALREADY_ENCRYPTED', `The VM home of "${set.files.name}" is encrypted with key ${home.keyId}: its disks are encrypted with that same key.`);
  }
  const { target } = await newDekUnder(kek);
  return start(db, set, { kind: 'encrypt', target, startedAt: Date.now() }, null, home ? kek.key : null, kek, opts);
}

/** Decrypts an encrypted VM (it must be off): every sector written back as plaintext, the keys removed from its files. */
export async function decryptVm(db: KeylabDb, vm: VmRef, kek: CryptoKey, opts: LongOperationOptions = {}): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  if (set.files.pending) return resumeIfSame(db, set, 'decrypt', kek, null, opts);
  const dek = await unwrapVmDek(set.files, kek);
  return start(db, set, { kind: 'decrypt', target: null, startedAt: Date.now() }, dek, kek, null, opts);
}

/**
 * Decrypts a VM whose VM home only is encrypted (its disks are not, and it has no vTPM any more): the key locator and
 * encryption.data leave the .vmx once the KEK is proved to open them.
 */
export async function decryptVmHome(db: KeylabDb, vm: VmRef, kek: CryptoKey): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  const files = set.files;
  if (files.pending) throw pendingError(files);
  const home = requireHome(files);
  if (files.encryption) throw new VmDataError('ALREADY_ENCRYPTED', `The disks of VM "${files.name}" are encrypted: decrypt the VM, not only its home.`);
  if (files.vtpm) throw new VmDataError('ALREADY_ENCRYPTED', `VM "${files.name}" has a Virtual TPM, whose .nvram needs the VM home encrypted.`);
  await openVmConfig(home.encryptedData, kek, { vmId: files.vmId, vmName: files.name, keyId: home.keyId });
  return commitVmEncryption(db, set, null, { home: null });
}

/**
 * Shallow re-key: the same DEK wrapped by a new KEK (possibly of another provider). No sector is rewritten, so the VM
 * may stay on. Both KEKs are checked before anything is written.
 */
export async function rekeyShallow(db: KeylabDb, vm: VmRef, oldKek: CryptoKey, newKek: KekRef): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  const { encryption, ...rest } = await shallowRekeyed(set, oldKek, newKek);
  return commitVmEncryption(db, set, encryption, rest);
}

/**
 * rekeyShallow for many VMs: their files read in one transaction, each DEK really rewrapped by its own new KEK, and
 * every VM that could be re-keyed committed in ONE transaction (all of them, or none after a crash). A VM that cannot
 * be (wrong KEK, pending operation, damaged files) gets its error in its place in the result and keeps its old key.
 */
export async function rekeyShallowMany(
  db: KeylabDb,
  items: readonly { vm: VmRef; oldKek: CryptoKey; newKek: KekRef }[],
): Promise<(VmFiles | Error)[]> {
  const sets = await readVmFileSetsSettled(db, items.map((item) => item.vm));
  const rekeyed = await Promise.all(
    sets.map(async (set, i) => {
      if (set instanceof Error) return set;
      try {
        return await shallowRekeyed(set, items[i]!.oldKek, items[i]!.newKek);
      } catch (error) {
        if (error instanceof Error) return error;
        throw error;
      }
    }),
  );
  const commits = rekeyed.filter((r): r is VmKeysCommit => !(r instanceof Error));
  const committed = await commitVmEncryptionMany(db, commits);
  let next = 0;
  return rekeyed.map((r) => (r instanceof Error ? r : committed[next++]!));
}

/**
 * The VM's keys after a shallow re-key: its DEK (if its disks are encrypted) unwrapped with the old KEK and wrapped by
 * the new one, encryption.data and a vTPM's .nvram sealed again under the new KEK. No sector is touched.
 */
async function shallowRekeyed(set: VmFileSet, oldKek: CryptoKey, newKek: KekRef): Promise<VmKeysCommit> {
  const files = set.files;
  if (files.pending) throw pendingError(files);
  const home = requireHome(files);
  // Opening encryption.data proves the old KEK and that the .vmx is this VM's, before the DEK is touched.
  await openVmConfig(home.encryptedData, oldKek, { vmId: files.vmId, vmName: files.name, keyId: home.keyId });
  const nvramText = await resealedNvram(set, oldKek, newKek);
  const newHome: VmHomeEncryption = {
    providerId: newKek.providerId,
    keyId: newKek.keyId,
    kdkKeyId: newKek.kdkKeyId,
    encryptedData: await sealVmConfig(files.encryption ? configOf(files, newKek.keyId) : homeConfigOf(files, newKek.keyId), newKek.key),
  };
  if (!files.encryption) return { set, encryption: null, home: newHome, nvramText };
  let extractableDek: CryptoKey;
  try {
    // Extractable only for the moment it is rewrapped: WebCrypto wraps nothing else (DESIGN §7).
    extractableDek = await crypto.subtle.unwrapKey(
      'raw',
      new Uint8Array(files.encryption.wrappedDek),
      oldKek,
      'AES-KW',
      { name: 'AES-GCM', length: 256 },
      true,
      ['encrypt', 'decrypt'],
    );
  } catch (cause) {
    throw new WrongKekError(files.name, home.keyId, { cause });
  }
  const wrappedDek = await wrapKey(extractableDek, newKek.key);
  return { set, encryption: { ...newHome, wrappedDek, dekFingerprint: files.encryption.dekFingerprint }, nvramText };
}

/** A vTPM's .nvram opened with the VM's current KEK and sealed under `newKek` (undefined: no vTPM, or the same key). */
async function resealedNvram(set: VmFileSet, oldKek: CryptoKey | null, newKek: KekRef | null): Promise<string | undefined> {
  const { files, nvramText } = set;
  if (!files.vtpm || nvramText === null || !files.home || !newKek || newKek.keyId === files.home.keyId) return undefined;
  const state = await openNvram(nvramText, requireKey(files, oldKek), { vmId: files.vmId, vmName: files.name, keyId: files.home.keyId });
  return sealNvram(state, newKek.key, newKek.keyId);
}

/**
 * Deep re-key: a new DEK under a new KEK, every sector decrypted and sealed again (the VM must be off). Resumable:
 * after an interruption, call it again with the same keys (or resumeDeepRekey) and it continues where it stopped.
 */
export async function rekeyDeep(
  db: KeylabDb,
  vm: VmRef,
  oldKek: CryptoKey,
  newKek: KekRef,
  opts: LongOperationOptions = {},
): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  if (set.files.pending) return resumeIfSame(db, set, 'rekeyDeep', oldKek, newKek, opts);
  const oldDek = await unwrapVmDek(set.files, oldKek);
  const { target } = await newDekUnder(newKek);
  return start(db, set, { kind: 'rekeyDeep', target, startedAt: Date.now() }, oldDek, oldKek, newKek, opts);
}

/** Finishes an interrupted deep re-key; refuses when none is pending. */
export function resumeDeepRekey(db: KeylabDb, vm: VmRef, oldKek: CryptoKey, newKek: KekRef, opts: LongOperationOptions = {}): Promise<VmFiles> {
  return resumePending(db, vm, 'rekeyDeep', { current: oldKek, target: newKek }, opts);
}

/**
 * Finishes whatever operation is pending, given the keys pendingOperation said it needs: `current` = the KEK the VM's
 * files name now (null for an encrypt), `target` = the KEK it is going to (null for a decrypt).
 */
export function resumeOperation(
  db: KeylabDb,
  vm: VmRef,
  keys: { current: CryptoKey | null; target: KekRef | null },
  opts: LongOperationOptions = {},
): Promise<VmFiles> {
  return resumePending(db, vm, null, keys, opts);
}

/** Finishes the VM's pending operation (only one of `kind`, when given); refuses when there is none to resume. */
async function resumePending(
  db: KeylabDb,
  vm: VmRef,
  kind: VmOperationKind | null,
  keys: { current: CryptoKey | null; target: KekRef | null },
  opts: LongOperationOptions,
): Promise<VmFiles> {
  const set = await readVmFileSet(db, vm.datastoreId, vm.folder);
  const pending = set.files.pending;
  if (!pending || (kind !== null && pending.kind !== kind)) {
    const what = kind === null ? 'operation' : OPERATION_NOUN[kind];
    throw new VmDataError('OPERATION_PENDING', `VM "${set.files.name}" has no interrupted ${what} to resume.`);
  }
  return resumeIfSame(db, set, pending.kind, keys.current, keys.target, opts);
}

export interface PendingOperationInfo {
  kind: VmOperationKind;
  /** The key the VM's files name now, needed to read the old sectors (null: the disk was plaintext). */
  from: { providerId: string; keyId: string } | null;
  /** The key being moved to (null: decrypting). kdkKeyId says which NKP KDK that KEK is derived from. */
  to: { providerId: string; keyId: string; kdkKeyId: string | null } | null;
  startedAt: number;
  /** Bytes already under the target, and the disk's size. */
  done: number;
  total: number;
}

/** What an interrupted (or running) encrypt, decrypt or deep re-key of this VM needs to finish, or null. */
export async function pendingOperation(db: KeylabDb, vm: VmRef): Promise<PendingOperationInfo | null> {
  const { files } = await readVmFileSet(db, vm.datastoreId, vm.folder);
  const pending = files.pending;
  if (!pending) return null;
  const [journal, header] = await Promise.all([getReencryptJournal(db, files.diskId), getDiskHeader(db, files.diskId)]);
  let done = 0;
  if (journal && header) {
    done = Math.min(files.diskSizeBytes, journal.nextExtent * header.extentSectors * SECTOR_SIZE);
  } else if (header && header.keyTag === (pending.target?.keyTag ?? null)) {
    done = files.diskSizeBytes; // the disk finished; only the files remain to be committed
  }
  return {
    kind: pending.kind,
    from: files.encryption && { providerId: files.encryption.providerId, keyId: files.encryption.keyId },
    to: pending.target && {
      providerId: pending.target.providerId,
      keyId: pending.target.keyId,
      kdkKeyId: pending.target.kdkKeyId,
    },
    startedAt: pending.startedAt,
    done,
    total: files.diskSizeBytes,
  };
}

/** pendingOperation, only when it is a deep re-key. */
export async function pendingDeepRekey(db: KeylabDb, vm: VmRef): Promise<PendingOperationInfo | null> {
  const info = await pendingOperation(db, vm);
  return info?.kind === 'rekeyDeep' ? info : null;
}

// ---- internals ----

function requireHome(vm: Pick<VmFiles, 'name' | 'home'>): VmHomeEncryption {
  if (!vm.home) throw new VmDataError('NOT_ENCRYPTED', `VM "${vm.name}" is not encrypted.`);
  return vm.home;
}

function requireEncrypted(vm: Pick<VmFiles, 'name' | 'encryption'>): VmEncryption {
  if (!vm.encryption) throw new VmDataError('NOT_ENCRYPTED', `VM "${vm.name}" is not encrypted.`);
  return vm.encryption;
}

/** An operation as a message names it. */
const OPERATION_NOUN: Record<VmOperationKind, string> = { encrypt: 'encryption', decrypt: 'decryption', rekeyDeep: 'deep re-key' };

function pendingError(files: VmFiles): VmDataError {
  const pending = files.pending!;
  const what = OPERATION_NOUN[pending.kind];
  return new VmDataError(
    'OPERATION_PENDING',
    `VM "${files.name}" has an interrupted ${what}${pending.target ? ` to key ${pending.target.keyId}` : ''}; ` +
      'it must be resumed and finished before anything else is done to its keys.',
  );
}

function configOf(files: VmFiles, keyId: string) {
  return vmConfigFor(files, files.vmdkPath.slice(files.folder === '' ? 0 : files.folder.length + 1), keyId);
}

/** encryption.data of a VM whose home only is encrypted: no disk is. */
function homeConfigOf(files: VmFiles, keyId: string) {
  return { vmId: files.vmId, keyId, disks: [] };
}

async function start(
  db: KeylabDb,
  set: VmFileSet,
  pending: PendingVmOperation,
  fromDek: CryptoKey | null,
  currentKek: CryptoKey | null,
  targetKek: KekRef | null,
  opts: LongOperationOptions,
): Promise<VmFiles> {
  opts.signal?.throwIfAborted();
  await writePendingOperation(db, set.files, pending);
  return run(db, { ...set, files: { ...set.files, pending } }, fromDek, currentKek, targetKek, opts);
}

async function resumeIfSame(
  db: KeylabDb,
  set: VmFileSet,
  kind: VmOperationKind,
  currentKek: CryptoKey | null,
  targetKek: KekRef | null,
  opts: LongOperationOptions,
): Promise<VmFiles> {
  const files = set.files;
  const pending = files.pending!;
  const sameTarget =
    pending.target === null
      ? targetKek === null
      : targetKek !== null && pending.target.keyId === targetKek.keyId && pending.target.providerId === targetKek.providerId;
  if (pending.kind !== kind || !sameTarget) throw pendingError(files);
  const fromDek = files.encryption ? await unwrapVmDek(files, requireKey(files, currentKek)) : null;
  return run(db, set, fromDek, currentKek, targetKek, opts);
}

function requireKey(files: VmFiles, kek: CryptoKey | null): CryptoKey {
  if (!kek) throw new WrongKekError(files.name, files.home?.keyId ?? 'none');
  return kek;
}

async function run(
  db: KeylabDb,
  set: VmFileSet,
  fromDek: CryptoKey | null,
  currentKek: CryptoKey | null,
  targetKek: KekRef | null,
  opts: LongOperationOptions,
): Promise<VmFiles> {
  const { files } = set;
  const target = files.pending!.target;
  let toDek: CryptoKey | null = null;
  if (target) {
    try {
      toDek = await unwrapDek(target.wrappedDek, targetKek!.key);
    } catch (error) {
      if (error instanceof WrongKeyError) throw new WrongKekError(files.name, target.keyId, { cause: error });
      throw error;
    }
  }
  // Reads, crypto and writes of every sector: in a disk worker in the browser, so the page never stalls on them.
  await diskWorkerPort().reencrypt(db, files.diskId, {
    from: fromDek,
    to: toDek,
    toKeyTag: target ? target.keyTag : null,
    onProgress: opts.onProgress,
    signal: opts.signal,
    batchExtents: opts.batchExtents,
  });
  const encryption: VmEncryption | null =
    target && encryptionFromTarget(target, await sealVmConfig(configOf(files, target.keyId), targetKek!.key));
  if (encryption) return commitVmEncryption(db, set, encryption, { nvramText: await resealedNvram(set, currentKek, targetKek) });
  // Decrypted: a VM with a vTPM keeps its home encrypted under the same key (vSphere's "VM home only").
  const home = files.vtpm && files.home ? { ...files.home, encryptedData: await sealVmConfig(homeConfigOf(files, files.home.keyId), requireKey(files, currentKek)) } : null;
  return commitVmEncryption(db, set, null, { home });
}
