// The rules many commands share, read from the LabView alone: vCenter running, the user's privilege, a VM in vCenter's
// inventory, not busy, not locked, powered off. Each refuses with the same code and wording as the handlers did.
import { refuse } from '../lab-refusal';
import type { HostView, KeyProviderView, LabView, VCenterView, VmView } from '../../lab-types';
import { hasPrivilege, noPermissionReason, type Privilege } from '../privileges';
import { backUpFirst, chooseProvider } from '../refusal-advice';

/** The running vCenter, or a refusal naming why it cannot answer. */
export function requireVcenter(view: LabView): VCenterView {
  if (view.vcenterStatus === 'destroyed') refuse('VCENTER_DESTROYED', 'There is no vCenter Server: it was destroyed. Deploy a new one first.');
  if (!view.vcenter) refuse('VCENTER_DOWN', 'vCenter Server is not reachable (stopped). Start it, or work on the ESXi host directly.');
  return view.vcenter;
}

/** vSphere's NoPermission when vCenter's current user lacks the privilege (and vCenter must be running to ask). */
export function requirePrivilege(view: LabView, privilege: Privilege): VCenterView {
  const vc = requireVcenter(view);
  const user = vc.users.find((u) => u.name === vc.currentUser);
  if (!hasPrivilege(user, privilege)) refuse('NO_PERMISSION', noPermissionReason(vc.currentUser, privilege));
  return vc;
}

export function vmOf(view: LabView, vmId: string): VmView {
  const vm = view.vms.find((v) => v.id === vmId);
  if (!vm) refuse('NO_SUCH_VM', `There is no VM "${vmId}".`);
  return vm;
}

export function hostOf(view: LabView, hostId: string): HostView {
  const host = view.hosts.find((h) => h.id === hostId);
  if (!host) refuse('NO_SUCH_HOST', `There is no host "${hostId}".`);
  return host;
}

/** A key provider configured in the running vCenter, or undefined. */
export function providerOf(vc: VCenterView, providerId: string): KeyProviderView | undefined {
  return vc.keyProviders.find((p) => p.id === providerId);
}

/** The VM as vCenter's inventory has it; refused when vCenter is not running or the VM is not registered. */
export function inventoryVm(view: LabView, vmId: string): VmView {
  const vc = requireVcenter(view);
  const vm = vmOf(view, vmId);
  if (!vm.registered || !vc.registeredVmIds.includes(vmId)) {
    refuse('VM_NOT_REGISTERED', `VM ${vm.name} is not registered in vCenter ${vc.name}. Register it from its datastore first.`);
  }
  return vm;
}

/**
 * With vCenter running the VM must be in its inventory; with vCenter down or gone the learner acts on the ESXi host
 * directly (host client), where the VM is registered on its own host.
 */
export function vmForPower(view: LabView, vmId: string): VmView {
  return view.vcenter ? inventoryVm(view, vmId) : vmOf(view, vmId);
}

export function refuseIfBusy(vm: VmView): void {
  if (vm.operation) {
    refuse(
      'OPERATION_PENDING',
      `VM ${vm.name} has an unfinished ${vm.operation.kind === 'rekeyDeep' ? 'deep re-key' : vm.operation.kind} (${Math.round((100 * vm.operation.done) / Math.max(1, vm.operation.total))}%). Resume it first.`,
    );
  }
}

export function refuseIfLocked(vm: VmView): void {
  // The lock's message tells what was wrong when it was locked, which may have changed since: say so.
  if (vm.locked) {
    refuse('VM_LOCKED', `VM ${vm.name} is locked (${vm.locked.reason}). When it was locked: ${vm.locked.message} Unlock it once the key is available.`);
  }
}

export function requireOff(vm: VmView, what: string): void {
  if (vm.power === 'on') {
    refuse('VM_POWERED_ON', `The attempted operation cannot be performed in the current state (Powered on). ${what} requires VM ${vm.name} to be powered off.`);
  }
}

export function refuseSnapshots(vm: VmView, what: string): void {
  if (vm.snapshots > 0) {
    refuse('VM_HAS_SNAPSHOTS', `${what} of a virtual machine with snapshots is not supported: VM ${vm.name} has ${vm.snapshots}. Delete all snapshots first.`);
  }
}

export function requireHost(vm: VmView): string {
  if (!vm.hostId) refuse('NO_HOST', `VM ${vm.name} is not on any host.`);
  return vm.hostId;
}

/** The provider named, or vCenter's default; refused with vSphere's reasons when there is none or it cannot serve. */
export function requireUsableProvider(view: LabView, providerId: string | undefined, forWhat: string): KeyProviderView {
  const vc = requireVcenter(view);
  const id = providerId ?? vc.defaultProviderId;
  if (!id) {
    refuse(
      'NO_DEFAULT_PROVIDER',
      `Cannot ${forWhat}: no default key provider is set in vCenter ${vc.name}. Add a key provider and set it as the default (Configure > Security > Key Providers).`,
    );
  }
  const provider = providerOf(vc, id);
  if (!provider) refuse('NO_SUCH_PROVIDER', `Key provider ${id} is not configured in vCenter ${vc.name}. ${chooseProvider}`);
  if (provider.kind === 'native' && !provider.backedUp) refuse('NKP_NOT_BACKED_UP', `Key provider ${provider.name} requires backup. ${backUpFirst(provider.name)}`);
  return provider;
}
