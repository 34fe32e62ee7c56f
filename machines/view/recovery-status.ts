// The recovery status of every encrypted VM, as a pure function of LabView: is its key in the current vCenter's key
// database, which hosts hold it in memory, and would it start again if its host rebooted now? Anything at risk says why.
import type { HostView, KeyProviderView, LabView, VmView } from '../lab-types';

export interface VmRecoveryStatus {
  vmId: string;
  vmName: string;
  hostName: string | null;
  providerName: string;
  providerKind: 'standard' | 'native';
  keyId: string;
  /** null when there is no running vCenter to ask. */
  keyInVcenter: boolean | null;
  /** Hosts holding the VM's KEK in memory. */
  hostsHolding: string[];
  survivesReboot: boolean;
  /** Why it would not survive (or is locked already); null when it is safe. */
  risk: string | null;
}

/** The VM's key: its VM home's, which its disks share when they are encrypted too (a vTPM's VM may have only that). */
function keyOf(vm: VmView) {
  return vm.homeEncryption ?? vm.encryption;
}

function providerOf(view: LabView, vm: VmView): KeyProviderView | undefined {
  return view.vcenter?.keyProviders.find((p) => p.id === keyOf(vm)?.providerId);
}

/** After a reboot of `host`, can it get the VM's key again? null = yes, else why not. */
function rebootRisk(view: LabView, vm: VmView, host: HostView | undefined): string | null {
  const enc = keyOf(vm)!;
  const hostName = host?.name ?? 'its host';
  if (enc.providerKind === 'native') {
    // The host re-derives the KEK from the NKP's KDK: kept in its encrypted configuration (TPM or not), or pushed again
    // by a vCenter that has the provider. Through a vCenter, though, the VM's provider must be configured there (the
    // very KDK), whatever the host holds.
    const kdkId = enc.kdkKeyId ?? null;
    if (host?.configuration.locked) return `${hostName} stops at boot: its TPM was cleared; recover its configuration with its recovery key first.`;
    const sealed = !!host?.configuration.keys.some((k) => (kdkId ? k.keyId === kdkId : k.providerId === enc.providerId));
    const provider = providerOf(view, vm);
    if (!view.vcenter) return sealed ? null : `${hostName} does not keep a KDK of ${enc.providerName} in its encrypted configuration, and there is no vCenter to push it again.`;
    if (!provider) return `vCenter has no key provider ${enc.providerName}, so it will not start the VM again whatever its host holds: restore it from its .p12 backup under the same name.`;
    if (provider.kind !== 'native' || (kdkId && provider.keyId !== kdkId)) {
      return `vCenter's ${enc.providerName} is not the provider the VM's key comes from (KDK key ID ${kdkId ?? 'unknown'}): restore the original backup.`;
    }
    if (sealed) return null;
    if (provider.kind === 'native' && provider.tpmOnly && host && !host.hasTpm) return `${hostName} has no TPM 2.0, and ${enc.providerName} is for TPM-protected hosts only.`;
    if (host && host.connection !== 'connected') return `${hostName} is not connected to vCenter, which would have to push the KDK again.`;
    return null;
  }
  // Standard provider: vCenter fetches the KEK again by its ID from the KMS.
  const provider = providerOf(view, vm);
  if (!view.vcenter) return `A standard provider’s key comes back only through vCenter, and there is no vCenter.`;
  if (!provider) return `vCenter has no key provider ${enc.providerName}: add it back before any reboot.`;
  if (host && host.connection !== 'connected') return `${hostName} is not connected to vCenter, which fetches the key from the KMS.`;
  const nodes = provider.kind === 'standard' ? view.kmsNodes.filter((n) => provider.kmsNodeIds.includes(n.id)) : [];
  const usable = nodes.some((n) => n.status === 'up' && n.keys.some((k) => k.keyId === enc.keyId && k.state === 'Active'));
  if (!usable) return `No reachable KMS node of ${enc.providerName} has key ${enc.keyId} active.`;
  return null;
}

export function recoveryStatus(view: LabView): VmRecoveryStatus[] {
  return view.vms
    .filter((vm) => keyOf(vm))
    .map((vm) => {
      const enc = keyOf(vm)!;
      const host = view.hosts.find((h) => h.id === vm.hostId);
      const hostsHolding = view.hosts.filter((h) => h.ramKeys.some((k) => k.keyId === enc.keyId)).map((h) => h.name);
      const keyInVcenter = view.vcenter ? view.vcenter.keyDatabase.some((e) => e.keyId === enc.keyId) : null;
      const reboot = rebootRisk(view, vm, host);
      const risk = vm.locked
        ? `Locked (${vm.locked.reason}): ${vm.locked.message}`
        : reboot ?? (keyInVcenter === false && enc.providerKind === 'standard' ? `Its key ID is not in vCenter’s key database.` : null);
      return {
        vmId: vm.id,
        vmName: vm.name,
        hostName: host?.name ?? null,
        providerName: enc.providerName,
        providerKind: enc.providerKind,
        keyId: enc.keyId,
        keyInVcenter,
        hostsHolding,
        survivesReboot: !vm.locked && reboot === null,
        risk,
      };
    });
}
