// A fresh DEK for a VM's disk under a KEK, with everything the VM's files must record about it.
import { keyFingerprint } from '@/lib/crypto/keys';
import { createWrappedDek } from '@/lib/crypto/wrap';
import type { VmEncryptedConfig } from './encrypted-config';

/** A KEK as a host holds it, with what the VM's files must record about it. */
export interface KekRef {
  key: CryptoKey;
  keyId: string;
  /** The key provider's name (as written in key locators). */
  providerId: string;
  /** NKP: the key ID of the provider's KDK the KEK is derived from (recorded in the .vmx); null for a standard provider. */
  kdkKeyId: string | null;
}

/** The key a disk is (or is going) under, as recorded in the VM folder. */
export interface DekTarget {
  providerId: string;
  keyId: string;
  wrappedDek: Uint8Array;
  kdkKeyId: string | null;
  dekFingerprint: string;
  /** The disk key tag the sectors are sealed under with this DEK. */
  keyTag: string;
}

/** The DEK comes back non-extractable; only its wrapped copy is kept. */
export async function newDekUnder(kek: KekRef): Promise<{ dek: CryptoKey; target: DekTarget }> {
  const { dek, wrapped } = await createWrappedDek(kek.key);
  return {
    dek,
    target: {
      providerId: kek.providerId,
      keyId: kek.keyId,
      wrappedDek: wrapped,
      kdkKeyId: kek.kdkKeyId,
      dekFingerprint: await keyFingerprint(dek),
      keyTag: `dek-${crypto.randomUUID()}`,
    },
  };
}

export function vmConfigFor(vm: { vmId: string; diskId: string }, vmdkFileName: string, keyId: string): VmEncryptedConfig {
  return { vmId: vm.vmId, keyId, disks: [{ fileName: vmdkFileName, diskId: vm.diskId }] };
}
