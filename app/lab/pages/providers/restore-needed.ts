// Whether the Key Providers page should lead with "Add > Restore from backup": VMs whose files name a Native Key
// Provider this vCenter does not have (by its KDK's key ID), as after vCenter was redeployed. A new NKP would have a
// new KDK that opens none of them, so restoring is the way, and the page says so.
import type { LabView } from '@/machines/lab-types';

/** The missing Native Key Providers' names, each once (empty when nothing needs restoring). */
export function providersToRestore(view: Pick<LabView, 'vcenter' | 'vms'>): string[] {
  const vc = view.vcenter;
  if (!vc) return [];
  const held = new Set(vc.keyProviders.flatMap((p) => (p.kind === 'native' ? [p.keyId] : [])));
  const missing = new Set<string>();
  for (const vm of view.vms) {
    const e = vm.encryption;
    if (e?.providerKind === 'native' && e.kdkKeyId && !held.has(e.kdkKeyId)) missing.add(e.providerName);
  }
  return [...missing].sort();
}
