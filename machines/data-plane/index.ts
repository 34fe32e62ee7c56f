// The VM data plane's public API: everything a host does to a VM's files on a datastore. Plain async TypeScript over
// lib/storage, lib/crypto, lib/vmware and lib/guest; no XState, no React.
//
// FILES (vm-files-create.ts, vm-files-read.ts, vm-files-commit.ts; types in vm-files-model.ts, key fields in
// vm-file-keys.ts, the pending-operation record in vm-files-pending.ts)
//   createVmFiles(db, { vmId, name, datastoreId, diskSizeBytes, vtpm, guestFiles, encryption?: KekRef, guestOS?,
//       memSizeMB?, numvcpus?, extentSectors? }) -> VmFiles. Writes folder "<name>" (or "<name>_1"... if taken):
//       <name>.vmx, <name>.vmdk (descriptor) and the virtual disk <name>-flat.vmdk, formatted, holding the guest files.
//       With `encryption` the VM is born encrypted (sealed from its first write: cheap, no whole-disk pass; use it for
//       a scenario's encryptWith VMs), otherwise it is plain until encryptVm.
//   createVmFilesMany(db, options[]) -> VmFiles[]   (a scenario's world: a batch of VMs per transaction)
//   readVmFiles(db, datastoreId, folder) -> VmFiles   (register-from-datastore reads this; needs no key)
//   readVmFileSetsSettled(db, vms) -> ({ files, vmx, vmdk } | VmDataError)[]   (many VMs in one read; reconcile on open)
//   listVmFolders(db, datastoreId) -> string[]       (folders holding a .vmx)
//   deleteVmFiles(db, vm)                            (the folder, its disk, any journal)
//   writeVtpmFiles(db, set, home, nvramText) / deleteVtpmFiles(db, set)   (a vTPM's .nvram, sealed with vm-nvram.ts,
//       and the VM home's key in the .vmx; the rules are the caller's)
//   VmFiles = { vmId, name, datastoreId, folder, vmxPath, vmdkPath, diskId, diskSizeBytes, vtpm, nvramPath,
//               home: null | { providerId, keyId, kdkKeyId (NKP only), encryptedData }   (the VM home's key)
//               encryption: null | home & { wrappedDek, dekFingerprint }                 (the disks' encryption),
//               pending: null | { kind: 'encrypt'|'decrypt'|'rekeyDeep', target, startedAt } }
//   `vm` arguments below only need { datastoreId, folder }: each call re-reads the files, so a stale VmFiles is harmless.
//
// KEYS AND LONG OPERATIONS (vm-crypto.ts). The caller checks vSphere's rules (power state, snapshots, privileges).
//   KekRef = { key: CryptoKey (AES-KW), keyId, providerId (provider name), kdkKeyId: string | null (NKP's KDK ID) }
//   unwrapVmDek(vm, kek: CryptoKey) -> DEK (non-extractable)        wrong KEK -> WrongKekError (code WRONG_KEK)
//   encryptVm(db, vm, kek: KekRef, { onProgress?, signal? }) -> VmFiles
//   decryptVm(db, vm, kek: CryptoKey, opts) -> VmFiles
//   decryptVmHome(db, vm, kek) -> VmFiles   (a VM home left encrypted without a vTPM: its key leaves the .vmx)
//   A VM with a vTPM: re-keys re-seal its .nvram; decryptVm decrypts its disks and keeps its VM home encrypted.
//   rekeyShallow(db, vm, oldKek: CryptoKey, newKek: KekRef) -> VmFiles   (DEK rewrapped, no sector rewritten; VM may run)
//   rekeyShallowMany(db, [{ vm, oldKek, newKek }]) -> (VmFiles | Error)[]  (one read and one commit transaction for all;
//       a VM that cannot be re-keyed gets its error in its place and keeps its old key)
//   rekeyDeep(db, vm, oldKek: CryptoKey, newKek: KekRef, opts) -> VmFiles (new DEK, every sector rewritten)
//   Interrupted (abort via signal, a thrown error, a closed tab)? The VM's files keep naming the OLD key and
//   `pending` names the new one. pendingOperation(db, vm) -> { kind, from: {providerId,keyId}|null,
//   to: {providerId,keyId,kdkKeyId}|null, done, total } tells which KEKs to fetch; then call the same operation
//   again with the same keys, or resumeOperation(db, vm, { current, target }, opts) / resumeDeepRekey(...), and it
//   finishes with no byte lost. pendingDeepRekey(db, vm) = pendingOperation when it is a deep re-key. Anything else
//   tried on a VM with a pending operation -> VmDataError OPERATION_PENDING.
//
// GUEST (guest-disk.ts). `dek` = unwrapVmDek(...) for an encrypted VM, null otherwise.
//   listGuestFiles(db, vm, dek), readGuestFile(db, vm, dek, name), writeGuestFile(db, vm, dek, name, text),
//   deleteGuestFile(db, vm, dek, name), openGuestDisk(db, vm, dek) -> VirtualDisk.
//   readSectorsView(db, vm, firstSector, count, dek | null) -> DiskSectorsView (+ storedSectorSize, unwrittenSectors).
//   These take a VmFiles (they use its diskId and pending as given).
//
// ERRORS: VmDataError { code: VM_FILES_MISSING | VM_FILES_CORRUPT | WRONG_KEK | NOT_ENCRYPTED | ALREADY_ENCRYPTED |
//   OPERATION_PENDING }; WrongKekError extends it. From lib: SectorIntegrityError (tampered sector, with
//   diskId and sector), DiskKeyError (wrong DEK), DiskBusyError, StorageFullError; GuestFsError from the guest fs.
export { VmDataError, WrongKekError, type VmDataErrorCode } from './errors';
export { createVmFiles, createVmFilesMany, deleteVmFiles, type CreateVmFilesOptions } from './vm-files-create';
export { listVmFolders, readVmFiles, readVmFileSetsSettled, readVmFileSet } from './vm-files-read';
export { writeVtpmFiles, deleteVtpmFiles } from './vm-files-commit';
export type {
  VmFileSet,
  VmHomeEncryption,
  PendingTarget,
  PendingVmOperation,
  VmEncryption,
  VmFiles,
  VmOperationKind,
} from './vm-files-model';
export {
  decryptVm,
  decryptVmHome,
  encryptVm,
  pendingDeepRekey,
  pendingOperation,
  rekeyDeep,
  rekeyShallow,
  rekeyShallowMany,
  resumeDeepRekey,
  resumeOperation,
  unwrapVmDek,
  type KekRef,
  type LongOperationOptions,
  type PendingOperationInfo,
} from './vm-crypto';
export {
  deleteGuestFile,
  listGuestFiles,
  openGuestDisk,
  readGuestFile,
  readSectorsView,
  writeGuestFile,
  type SectorsView,
} from './guest-disk';
export { openVmConfig, sealVmConfig, type VmEncryptedConfig } from './encrypted-config';
export { newVtpmState, openNvram, sealNvram, type VtpmState } from './vm-nvram';
export type { DekTarget } from './new-dek';
