// Which VMs a key provider's keys open, matched by key, not by name: a VM's files name its provider and key ID, and for
// a Native Key Provider also the KDK's key ID; another NKP of the same name (a new one, or a backup of another KDK)
// derives other keys and opens none of them. Read by the provider card, its Remove dialog, and the remove and restore
// commands' messages, so they all count the same VMs.
import type { VmEncryptionView, VmHomeEncryptionView } from '../lab-types';

type VmKeys = { encryption: VmEncryptionView | null; homeEncryption?: VmHomeEncryptionView | null };
type ProviderKey = { kind: 'standard'; id: string } | { kind: 'native'; id: string; keyId: string };

/** The key a VM's files name: its VM home's (a vTPM's VM home key, or the disks' key, which the home shares). */
function keyOf(vm: VmKeys): VmHomeEncryptionView | null {
  return vm.homeEncryption ?? vm.encryption ?? null;
}

/** The provider's keys open this VM: the same KDK (NKP), or a KMS key of the standard provider of that name. */
export function usesProviderKeys(vm: VmKeys, provider: ProviderKey): boolean {
  const key = keyOf(vm);
  if (!key) return false;
  if (provider.kind === 'native') return !!key.kdkKeyId && key.kdkKeyId === provider.keyId;
  return key.providerId === provider.id && !key.kdkKeyId;
}

/** The VM's files name this provider, but its keys are another provider's (another KDK, or the other kind). */
export function namesProviderOnly(vm: VmKeys, provider: ProviderKey): boolean {
  const key = keyOf(vm);
  return !!key && key.providerId === provider.id && !usesProviderKeys(vm, provider);
}
