// Preconditions of the operations an encrypted VM refuses (clone, OVF export, memory snapshot, Storage vMotion, disk
// format change, FT, replication, content library): the VM's usual rules, then the encryption limit with its reason.
import { refuse } from '../lab-refusal';
import { encryptedVmRefusal, type LimitedOperation } from '../encrypted-vm-limits';
import type { LabCommand, LabView, VmView } from '../../lab-types';
import { inventoryVm, refuseIfBusy, refuseIfLocked, requireOff, requirePrivilege } from './view-rules';

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

/** An encrypted VM: its disks or its VM home (a vTPM's) are encrypted. */
export function isEncryptedVm(vm: VmView): boolean {
  return !!(vm.encryption || vm.homeEncryption);
}

/** The VM in the inventory, idle and unlocked, and not encrypted (else the material's refusal for `op`). */
function plainVm(view: LabView, vmId: string, op: LimitedOperation): VmView {
  const vm = inventoryVm(view, vmId);
  refuseIfBusy(vm);
  refuseIfLocked(vm);
  if (isEncryptedVm(vm)) refuse('ENCRYPTED_VM_UNSUPPORTED', encryptedVmRefusal(vm.name, op));
  return vm;
}

const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export const vmLimitChecks = {
  'vm.clone': (view: LabView, c: Of<'vm.clone'>) => {
    plainVm(view, c.vmId, 'clone');
    const name = c.name.trim();
    if (!VM_NAME.test(name)) refuse('BAD_NAME', 'A VM name is 1 to 80 letters, digits, dots, dashes or underscores, starting with a letter or digit.');
    if (view.vms.some((v) => v.name.toLowerCase() === name.toLowerCase())) refuse('NAME_TAKEN', `The name '${name}' already exists. Choose another name.`);
  },
  'vm.exportOvf': (view: LabView, c: Of<'vm.exportOvf'>) => {
    const vm = plainVm(view, c.vmId, 'exportOvf');
    requireOff(vm, 'Export OVF Template');
  },
  'vm.takeMemorySnapshot': (view: LabView, c: Of<'vm.takeMemorySnapshot'>) => {
    requirePrivilege(view, 'VirtualMachine.State.CreateSnapshot');
    const vm = plainVm(view, c.vmId, 'memorySnapshot');
    if (vm.power !== 'on') refuse('VM_POWERED_OFF', `VM ${vm.name} is powered off: it has no memory to snapshot. Take a snapshot without memory, or power it on first.`);
  },
  'vm.relocateStorage': (view: LabView, c: Of<'vm.relocateStorage'>) => {
    const vm = plainVm(view, c.vmId, 'relocateStorage');
    const target = view.datastores.find((d) => d.id === c.datastoreId);
    if (!target) refuse('NO_SUCH_DATASTORE', `There is no datastore "${c.datastoreId}".`);
    if (vm.datastoreId === c.datastoreId) refuse('SAME_DATASTORE', `VM ${vm.name} is already on datastore ${target.name}. Choose another datastore.`);
  },
  'vm.changeDiskFormat': (view: LabView, c: Of<'vm.changeDiskFormat'>) => {
    const vm = plainVm(view, c.vmId, 'changeDiskFormat');
    requireOff(vm, 'Changing the virtual disk format');
  },
  'vm.setFeature': (view: LabView, c: Of<'vm.setFeature'>) => {
    const vm = inventoryVm(view, c.vmId);
    // Turning a feature off is always allowed; only turning it on meets the encryption limit.
    if (c.enabled) plainVm(view, c.vmId, c.feature);
    if ((vm.features?.[c.feature] ?? false) === c.enabled) refuse('ALREADY_SET', `${c.feature} is already ${c.enabled ? 'on' : 'off'} for VM ${vm.name}.`);
  },
};
