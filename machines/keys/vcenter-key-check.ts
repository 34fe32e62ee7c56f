// vCenter's own check before it lets an encrypted VM use its key (power on, unlock, register, a host added with its
// VMs): the VM's key provider must be configured in this vCenter and, for a Native Key Provider, be the very provider
// (the same KDK) its key was derived from, whatever the hosts still hold. Working on a host directly (no vCenter)
// follows the host's own rules instead (host-keys.ts).
import { deriveKek } from '@/lib/crypto/derive';
import { openVmConfig, WrongKekError, type VmFiles } from '../data-plane';
import { nkpMismatchReason, vcenterKdk } from './host-keys';
import { KeyUnavailable } from './key-unavailable';
import type { LabRuntime } from '../session/lab-runtime';

/**
 * Null when this vCenter can serve the VM's key (or there is no running vCenter, or the VM is not encrypted); else a
 * KeyUnavailable whose reason says what is wrong and what to do: restore the provider under the same name, then unlock.
 */
export async function vcenterKeyRefusal(rt: LabRuntime, files: VmFiles): Promise<KeyUnavailable | null> {
  const vc = rt.vcenter();
  const home = files.home;
  if (!vc || !home) return null;
  const nkp = home.kdkKeyId !== null;
  const provider = rt.provider(home.providerId);
  if (!provider) {
    const fix = nkp
      ? `Restore that provider from its backup under the same name (Add > Restore from backup, the .p12 of ${home.providerId}), then unlock the VM.`
      : `Add the key provider ${home.providerId} again with its KMS nodes, then unlock the VM.`;
    return new KeyUnavailable(
      'KeyStateMissingInCache',
      `The key of VM ${files.name} (key ${home.keyId}) comes from key provider ${home.providerId}, which is not configured in vCenter ${vc.name}. vCenter checks the VM's provider before its hosts' keys, so what they still hold does not count. ${fix}`,
    );
  }
  if (!nkp) {
    if (provider.kind === 'standard') return null;
    return new KeyUnavailable('KeyStateMissingInCache', `Key provider ${provider.name} in vCenter ${vc.name} is a Native Key Provider, but VM ${files.name}'s key ${home.keyId} is a KMS key of a standard provider of that name. Add that provider again, then unlock the VM.`);
  }
  const ref = { providerId: home.providerId, keyId: home.keyId, kdkKeyId: home.kdkKeyId };
  if (provider.kind !== 'native' || provider.keyId !== home.kdkKeyId) {
    return new KeyUnavailable('KeyStateMissingInCache', `${nkpMismatchReason(ref, provider.kind === 'native' ? provider.keyId : 'none (a standard provider)')} Then unlock the VM.`);
  }
  const kdk = await vcenterKdk(rt, provider);
  if (!kdk) return new KeyUnavailable('KeyStateManagedByNKP', `vCenter does not hold the key of ${provider.name}. Restore it from its backup, then unlock the VM.`);
  // The proof: the KEK vCenter derives from its KDK and the key ID in the files opens encryption.data (AES-KW's
  // integrity check), so a provider with the right name and ID but another KDK is refused too.
  try {
    await openVmConfig(home.encryptedData, await deriveKek(kdk, home.keyId), { vmId: files.vmId, vmName: files.name, keyId: home.keyId });
  } catch (error) {
    if (!(error instanceof WrongKekError)) throw error;
    return new KeyUnavailable('KeyStateMissingInCache', `${nkpMismatchReason(ref, provider.keyId)} (Its key does not derive this VM's key.) Then unlock the VM.`);
  }
  return null;
}
