// Preconditions of the VM commands outside encryption proper: power, vTPM, snapshots, register/unregister, unlock,
// guest writes. Register's other rules need the VM's files on the datastore, so its handler checks them.
import { refuse } from '../lab-refusal';
import type { LabCommand, LabView } from '../../lab-types';
import {
  hostOf,
  inventoryVm,
  refuseIfBusy,
  refuseIfLocked,
  requireHost,
  requirePrivilege,
  requireUsableProvider,
  requireVcenter,
  vmForPower,
  vmOf,
} from './view-rules';

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

export const vmLifecycleChecks = {
  'vm.powerOn': (view: LabView, c: Of<'vm.powerOn'>) => {
    const vm = vmForPower(view, c.vmId);
    if (vm.power === 'on') refuse('ALREADY_ON', `VM ${vm.name} is already powered on.`);
    refuseIfBusy(vm);
    refuseIfLocked(vm);
    const hostId = c.hostId ?? vm.hostId;
    if (!hostId) refuse('NO_HOST', `VM ${vm.name} is not on any host.`);
    const host = hostOf(view, hostId);
    if (host.power !== 'on') refuse('HOST_OFF', `Host ${host.name} is powered off. Power it on first, or choose another host.`);
    if (view.vcenter && host.connection !== 'connected') {
      refuse('HOST_NOT_CONNECTED', `Host ${host.name} is not connected to vCenter. ${host.connection === 'removed' ? 'Add it to vCenter' : 'Connect it'} first, or choose another host.`);
    }
  },
  'vm.powerOff': (view: LabView, c: Of<'vm.powerOff'>) => {
    const vm = vmForPower(view, c.vmId);
    if (vm.power === 'off') refuse('ALREADY_OFF', `VM ${vm.name} is already powered off.`);
  },
  /** Where vSphere refuses a migration before any key moves: the VM, the destination, the user's privileges. */
  'vm.migrate': (view: LabView, c: Of<'vm.migrate'>) => {
    const vc = requireVcenter(view);
    const vm = inventoryVm(view, c.vmId);
    refuseIfBusy(vm);
    refuseIfLocked(vm);
    const target = hostOf(view, c.hostId);
    if (!vc.hostIds.includes(c.hostId)) refuse('HOST_NOT_IN_VCENTER', `Host ${target.name} is not in vCenter ${vc.name}. Add it to the cluster first.`);
    if (vm.hostId === c.hostId) refuse('SAME_HOST', `VM ${vm.name} is already on host ${target.name}. Choose another host.`);
    if (target.power !== 'on') refuse('HOST_OFF', `The destination host ${target.name} is powered off. Power it on or choose another host.`);
    if (target.connection !== 'connected') refuse('HOST_NOT_CONNECTED', `The destination host ${target.name} is not connected to vCenter. Connect it or choose another host.`);
    if (vm.encryption) requirePrivilege(view, 'Cryptographer.Migrate');
  },
  'vm.addVtpm': (view: LabView, c: Of<'vm.addVtpm'>) => {
    requirePrivilege(view, 'Cryptographer.Encrypt');
    const vm = inventoryVm(view, c.vmId);
    if (vm.vtpm) refuse('VTPM_PRESENT', `VM ${vm.name} already has a Virtual TPM.`);
    if (vm.power === 'on') refuse('VM_POWERED_ON', `A Virtual TPM can be added only while VM ${vm.name} is powered off. Power it off first.`);
    // vSphere needs a key provider to encrypt the VM home files (.nvram, swap) that hold the vTPM's secrets, unless
    // the VM home is encrypted already (its key serves the vTPM too).
    if (!vm.homeEncryption) {
      requireUsableProvider(view, c.providerId, `add a Virtual TPM to VM ${vm.name} (a vTPM needs a key provider to encrypt the VM home files)`);
    }
    requireHost(vm);
  },
  'vm.removeVtpm': (view: LabView, c: Of<'vm.removeVtpm'>) => {
    const vm = inventoryVm(view, c.vmId);
    if (!vm.vtpm) refuse('NO_VTPM', `VM ${vm.name} has no Virtual TPM.`);
    if (vm.power === 'on') refuse('VM_POWERED_ON', `A Virtual TPM can be removed only while VM ${vm.name} is powered off. Power it off first.`);
  },
  'vm.takeSnapshot': (view: LabView, c: Of<'vm.takeSnapshot'>) => {
    requirePrivilege(view, 'VirtualMachine.State.CreateSnapshot');
    refuseIfBusy(inventoryVm(view, c.vmId));
  },
  'vm.deleteSnapshots': (view: LabView, c: Of<'vm.deleteSnapshots'>) => {
    requirePrivilege(view, 'VirtualMachine.State.RemoveSnapshot');
    inventoryVm(view, c.vmId);
  },
  'vm.register': (view: LabView) => {
    requirePrivilege(view, 'VirtualMachine.Inventory.Register');
    requireVcenter(view);
  },
  'vm.unregister': (view: LabView, c: Of<'vm.unregister'>) => {
    requirePrivilege(view, 'VirtualMachine.Inventory.Unregister');
    const vm = inventoryVm(view, c.vmId);
    if (vm.power === 'on') refuse('VM_POWERED_ON', `VM ${vm.name} must be powered off to be removed from the inventory. Power it off first.`);
  },
  'vm.unlock': (view: LabView, c: Of<'vm.unlock'>) => {
    requirePrivilege(view, 'Cryptographer.RegisterVM');
    const vm = inventoryVm(view, c.vmId);
    if (!vm.locked) refuse('NOT_LOCKED', `VM ${vm.name} is not locked.`);
    requireHost(vm);
  },
  'guest.writeFile': (view: LabView, c: Of<'guest.writeFile'>) => {
    const vm = vmOf(view, c.vmId);
    if (vm.power !== 'on' || !vm.hostId) refuse('VM_POWERED_OFF', `VM ${vm.name} is powered off: its guest cannot write files. Power it on first.`);
    refuseIfBusy(vm);
  },
};
