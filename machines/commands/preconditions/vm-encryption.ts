// Preconditions of VM encryption: encrypt, decrypt, shallow and deep re-key. Whether the keys can be had (the KMS
// answers, the host holds or gets the KEK) is not in the view: the handlers find that out.
import { refuse } from '../lab-refusal';
import type { LabCommand, LabView } from '../../lab-types';
import { inventoryVm, refuseIfBusy, refuseIfLocked, refuseSnapshots, requireHost, requireOff, requirePrivilege, requireUsableProvider } from './view-rules';

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

/** vSphere's checks for a re-key of one VM (a many-VM re-key applies them to each VM). */
function rekeyCheck(view: LabView, vmId: string, deep: boolean): void {
  requirePrivilege(view, 'Cryptographer.Recrypt');
  const vm = inventoryVm(view, vmId);
  refuseIfBusy(vm);
  refuseIfLocked(vm);
  // A VM whose home only is encrypted (a vTPM's) has a key to re-key too; a deep re-key needs encrypted disks.
  if (!vm.encryption && !vm.homeEncryption) refuse('NOT_ENCRYPTED', `VM ${vm.name} is not encrypted: encrypt it instead of re-keying.`);
  if (deep && !vm.encryption) refuse('NOT_ENCRYPTED', `The disks of VM ${vm.name} are not encrypted (only its VM home is): a deep re-key makes a new disk key, so use a shallow re-key, or encrypt the disks first.`);
  if (deep) {
    requireOff(vm, 'A deep re-key');
    refuseSnapshots(vm, 'A deep re-key');
  }
  requireHost(vm);
}

export const vmEncryptionChecks = {
  'vm.encrypt': (view: LabView, c: Of<'vm.encrypt'>) => {
    requirePrivilege(view, 'Cryptographer.Encrypt');
    const vm = inventoryVm(view, c.vmId);
    refuseIfBusy(vm);
    if (vm.encryption) refuse('ALREADY_ENCRYPTED', `VM ${vm.name} is already encrypted with key ${vm.encryption.keyId}. Use a re-key to change its key.`);
    requireOff(vm, 'Encrypting a virtual machine');
    refuseSnapshots(vm, 'Encryption');
    requireHost(vm);
    requireUsableProvider(view, c.providerId, `encrypt VM ${vm.name}`);
  },
  'vm.decrypt': (view: LabView, c: Of<'vm.decrypt'>) => {
    requirePrivilege(view, 'Cryptographer.Decrypt');
    const vm = inventoryVm(view, c.vmId);
    refuseIfBusy(vm);
    refuseIfLocked(vm);
    if (!vm.encryption && !vm.homeEncryption) refuse('NOT_ENCRYPTED', `VM ${vm.name} is not encrypted.`);
    if (!vm.encryption && vm.vtpm) refuse('NOT_ENCRYPTED', `Only the VM home of ${vm.name} is encrypted, and its Virtual TPM needs it: remove the vTPM first to decrypt the VM home.`);
    requireOff(vm, 'Decrypting a virtual machine');
    requireHost(vm);
  },
  'vm.rekeyShallow': (view: LabView, c: Of<'vm.rekeyShallow'>) => rekeyCheck(view, c.vmId, false),
  'vm.rekeyDeep': (view: LabView, c: Of<'vm.rekeyDeep'>) => rekeyCheck(view, c.vmId, true),
};
