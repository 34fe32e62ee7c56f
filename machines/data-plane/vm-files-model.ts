// What a VM's files say, as the data plane hands it around: the VM home's key, the disks' encryption, an operation
// pending, and the parsed .vmx and descriptor a later commit rewrites. Types and the small conversions between them.
import type { VmdkDescriptor, VmxModel } from '@/lib/vmware';
import type { DekTarget } from './new-dek';

/** The VM home's key, from the .vmx: set whenever the VM is encrypted, its disks too or only its home (a vTPM's case). */
export interface VmHomeEncryption {
  /** The key provider's name, as written in the key locator. */
  providerId: string;
  /** The KEK's key ID. */
  keyId: string;
  /** NKP only: the key ID of the provider's KDK the KEK is derived from (the .vmx's keylab.nkpKeyId). */
  kdkKeyId: string | null;
  /** The .vmx's encryption.data (base64), openable with the KEK. */
  encryptedData: string;
  /**
   * Only in a lab saved before NKP KEKs were derived: the KEK wrapped by the KDK in the key locator (nkp-key-upgrade.ts
   * replaces it with a derived KEK when the lab opens). Null otherwise.
   */
  legacyKekWrappedByKdk?: Uint8Array | null;
}

/** The disks' encryption: the VM home's key, plus the DEK it wraps. */
export interface VmEncryption extends VmHomeEncryption {
  /** The DEK wrapped by the KEK (AES-KW), from the descriptor's encryptionKeys. */
  wrappedDek: Uint8Array;
  /** Names the DEK on screen; changes on deep re-key only. */
  dekFingerprint: string;
}

/** The key an interrupted (or running) operation is moving the disk to. */
export type PendingTarget = DekTarget;

export type VmOperationKind = 'encrypt' | 'decrypt' | 'rekeyDeep';

/** Written to the VM folder BEFORE a long operation starts, deleted in the same transaction that commits its result. */
export interface PendingVmOperation {
  kind: VmOperationKind;
  /** null when decrypting. */
  target: PendingTarget | null;
  startedAt: number;
}

export interface VmFiles {
  vmId: string;
  /** The display name (the .vmx's displayName). */
  name: string;
  datastoreId: string;
  folder: string;
  vmxPath: string;
  vmdkPath: string;
  diskId: string;
  diskSizeBytes: number;
  vtpm: boolean;
  /** The vTPM's state file (sealed under the VM home's key), or null without a vTPM. */
  nvramPath: string | null;
  /** The VM home's key: set when the VM is encrypted, disks or VM home only ("encryption" then null). */
  home: VmHomeEncryption | null;
  /** The disks' encryption, as the files say now (during an interrupted operation: still the old key). */
  encryption: VmEncryption | null;
  pending: PendingVmOperation | null;
}

/** What readVmFiles parsed, kept so a later commit rewrites the files without losing anything it did not change. */
export interface VmFileSet {
  files: VmFiles;
  vmx: VmxModel;
  vmdk: VmdkDescriptor;
  /** The .nvram's text (a vTPM's sealed state), or null. */
  nvramText: string | null;
}

export function encryptionFromTarget(target: DekTarget, encryptedData: string): VmEncryption {
  return {
    providerId: target.providerId,
    keyId: target.keyId,
    wrappedDek: target.wrappedDek,
    kdkKeyId: target.kdkKeyId,
    dekFingerprint: target.dekFingerprint,
    encryptedData,
  };
}

/** The VM home's key fields of an encryption (the disks' key is the VM home's key). */
export function homeKeyOf(e: VmHomeEncryption): VmHomeEncryption {
  return { providerId: e.providerId, keyId: e.keyId, kdkKeyId: e.kdkKeyId, encryptedData: e.encryptedData };
}

/** The .nvram that goes with a .vmx: same folder and base name. */
export function nvramPathOf(vmxPath: string): string {
  return `${vmxPath.slice(0, -'.vmx'.length)}.nvram`;
}
