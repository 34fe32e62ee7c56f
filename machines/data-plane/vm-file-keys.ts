// How a VM's keys are recorded in its files, in VMware's forms (DESIGN §4a), read (keysOf) and written (withKeys):
//   .vmx  encryption.keySafe = key locator of the KEK (provider name, KEK id; no key in it: an NKP KEK is derived
//                              from the KDK and this ID, so a vCenter holding the KDK recovers it from the files alone)
//         keylab.nkpKeyId    = NKP only: the key ID of the KDK the KEK is derived from
//         encryption.data    = the encrypted configuration (see encrypted-config.ts)
//   .nvram                   = a vTPM's state, sealed under the KEK (vm-nvram.ts)
//   .vmdk encryptionKeys     = key locator carrying the DEK wrapped by the KEK
// The lab's own bookkeeping rides in keys VMware tolerates: keylab.vmId in the .vmx, ddb.keylab.* in the descriptor.
import { VmwareFormatError, formatKeyLocator, parseKeyLocator, type VmdkDescriptor, type VmxModel } from '@/lib/vmware';
import { VmDataError } from './errors';
import type { VmEncryption, VmHomeEncryption } from './vm-files-model';

export const VM_ID_KEY = 'keylab.vmId';
/** NKP: the KDK's key ID, so a vCenter or host can tell which provider's KDK the KEK is derived from. */
const NKP_KEY_ID_KEY = 'keylab.nkpKeyId';
const DEK_FINGERPRINT_KEY = 'ddb.keylab.dekFingerprint';

/** Runs a VMware file parser; a file it cannot read makes the VM's files damaged (VM_FILES_CORRUPT). */
export function parsed<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof VmwareFormatError) {
      throw new VmDataError('VM_FILES_CORRUPT', `${where} cannot be read: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The VM home's key (.vmx keySafe and encryption.data) and, when the descriptor names a DEK, the disks' encryption. */
export function keysOf(where: string, vmx: VmxModel, vmdk: VmdkDescriptor): { home: VmHomeEncryption | null; encryption: VmEncryption | null } {
  if (vmx.keySafe === null && vmdk.encryptionKeys === null) return { home: null, encryption: null };
  if ((vmx.keySafe === null) !== (vmx.encryptedData === null)) {
    throw new VmDataError('VM_FILES_CORRUPT', `${where}: encryption.keySafe and encryption.data disagree on whether the VM home is encrypted (both must be there, or neither).`);
  }
  if (vmx.keySafe === null || vmx.encryptedData === null) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${where}: the .vmx and its disk descriptor disagree on whether the VM is encrypted (an encrypted disk needs the ` +
        '.vmx\'s encryption.keySafe and encryption.data, under the same key).',
    );
  }
  const kek = parsed(`${where} (encryption.keySafe)`, () => parseKeyLocator(vmx.keySafe!));
  const home: VmHomeEncryption = {
    providerId: kek.providerId,
    keyId: kek.keyId,
    kdkKeyId: vmx.extra[NKP_KEY_ID_KEY] ?? null,
    encryptedData: vmx.encryptedData,
    ...(kek.wrappedKey.length > 0 ? { legacyKekWrappedByKdk: kek.wrappedKey } : {}),
  };
  if (vmdk.encryptionKeys === null) return { home, encryption: null };
  const dek = parsed(`${where} (descriptor encryptionKeys)`, () => parseKeyLocator(vmdk.encryptionKeys!));
  if (kek.providerId !== dek.providerId || kek.keyId !== dek.keyId) {
    throw new VmDataError(
      'VM_FILES_CORRUPT',
      `${where}: the .vmx names key ${kek.keyId} of provider ${kek.providerId}, but the disk's DEK is wrapped by key ` +
        `${dek.keyId} of provider ${dek.providerId}.`,
    );
  }
  return { home, encryption: { ...home, wrappedDek: dek.wrappedKey, dekFingerprint: vmdk.extra?.[DEK_FINGERPRINT_KEY] ?? 'unknown' } };
}

/** The .vmx and descriptor models for the VM home's key and the disks' encryption (null: not encrypted). */
export function withKeys(vmx: VmxModel, vmdk: VmdkDescriptor, home: VmHomeEncryption | null, disk: VmEncryption | null) {
  const vmxExtra = { ...vmx.extra };
  delete vmxExtra[NKP_KEY_ID_KEY];
  if (home?.kdkKeyId) vmxExtra[NKP_KEY_ID_KEY] = home.kdkKeyId;
  const nextVmx: VmxModel = {
    ...vmx,
    // NKP keys are derived from the KDK and the key ID, so the locator carries no wrapped key for them (nor for a
    // standard provider's, which stays on the KMS).
    keySafe: home && formatKeyLocator({ providerId: home.providerId, keyId: home.keyId, wrappedKey: new Uint8Array(0) }),
    encryptedData: home && home.encryptedData,
    extra: vmxExtra,
  };
  const extra = { ...(vmdk.extra ?? {}) };
  delete extra[DEK_FINGERPRINT_KEY];
  // Cosmetic, like ddb.uuid: four bytes of a hash that name the DEK on screen and reveal nothing usable about it.
  if (disk) extra[DEK_FINGERPRINT_KEY] = disk.dekFingerprint;
  const nextVmdk: VmdkDescriptor = {
    diskId: vmdk.diskId,
    sizeBytes: vmdk.sizeBytes,
    flatFile: vmdk.flatFile,
    encryptionKeys: disk && formatKeyLocator({ providerId: disk.providerId, keyId: disk.keyId, wrappedKey: disk.wrappedDek }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return { vmx: nextVmx, vmdk: nextVmdk };
}
