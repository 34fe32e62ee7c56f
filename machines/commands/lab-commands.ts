// Routes each LabCommand to the command that carries it out. Every handler checks vSphere's rules and either returns
// the message the learner reads or throws a LabRefusal with vSphere's wording.
import { destroyKeyCommand, revokeKeyCommand } from './kms-admin';
import { addHostCommand, clearTpmCommand, connectCommand, disableEncryptionModeCommand, disconnectCommand, enableEncryptionModeCommand, hostPowerOffCommand, hostPowerOnCommand, rebootCommand, removeHostCommand } from './host-commands';
import { addNativeCommand, addStandardCommand, removeProviderCommand, setDefaultCommand } from './provider-commands';
import { reorderKmsNodesCommand } from './provider-order';
import { deployVcenterCommand, destroyVcenterCommand, startVcenterCommand, stopVcenterCommand, switchUserCommand } from './vcenter-commands';
import { decryptCommand, encryptCommand, rekeyDeepCommand, rekeyShallowCommand, rekeyShallowManyCommand } from './vm-encryption';
import {
  addVtpmCommand,
  deleteSnapshotsCommand,
  guestWriteCommand,
  powerOffCommand,
  powerOnCommand,
  registerCommand,
  removeVtpmCommand,
  takeSnapshotCommand,
  unlockCommand,
  unregisterCommand,
} from './vm-lifecycle';
import { migrateCommand } from './vm-migrate';
import { EVENT } from '../session/lab-event-ids';
import type { LabRuntime } from '../session/lab-runtime';
import type { LabCommand } from '../lab-types';

/** The fault as the KMS node's actor hears it: a fact, not an order. */
const KMS_FAULT_EVENT = { down: 'kms.wentDown', hang: 'kms.hung', restore: 'kms.restored' } as const;

function kmsFault(rt: LabRuntime, kmsId: string, fault: 'down' | 'hang' | 'restore'): string {
  const node = rt.kms(kmsId);
  rt.kmsRef(kmsId).send({ type: KMS_FAULT_EVENT[fault] });
  const text = fault === 'down' ? 'is down: connections are refused at once' : fault === 'hang' ? 'hangs: it accepts connections but never answers' : 'answers again';
  rt.log({ eventTypeId: EVENT.labKmsFault, severity: fault === 'restore' ? 'info' : 'warning', user: 'lab', objectId: kmsId, message: `KMS node ${node.name} ${text}.` });
  return `KMS node ${node.name} ${text}.`;
}

export async function runCommand(rt: LabRuntime, command: LabCommand): Promise<string> {
  switch (command.type) {
    case 'vcenter.destroy':
      return destroyVcenterCommand(rt);
    case 'vcenter.deploy':
      return deployVcenterCommand(rt);
    case 'vcenter.stop':
      return stopVcenterCommand(rt);
    case 'vcenter.start':
      return startVcenterCommand(rt);
    case 'user.switch':
      return switchUserCommand(rt, command.userName);
    case 'provider.addStandard':
      return addStandardCommand(rt, command.name, command.kmsNodeIds);
    case 'provider.addNative':
      return addNativeCommand(rt, command.name, command.tpmOnly ?? true);
    case 'provider.setDefault':
      return setDefaultCommand(rt, command.providerId);
    case 'provider.remove':
      return removeProviderCommand(rt, command.providerId);
    case 'provider.reorderKmsNodes':
      return reorderKmsNodesCommand(rt, command.providerId, command.kmsNodeIds);
    case 'kms.down':
      return kmsFault(rt, command.kmsId, 'down');
    case 'kms.hang':
      return kmsFault(rt, command.kmsId, 'hang');
    case 'kms.restore':
      return kmsFault(rt, command.kmsId, 'restore');
    case 'kms.revokeKey':
      return revokeKeyCommand(rt, command.kmsId, command.keyId);
    case 'kms.destroyKey':
      return destroyKeyCommand(rt, command.kmsId, command.keyId);
    case 'host.disableEncryptionMode':
      return disableEncryptionModeCommand(rt, command.hostId);
    case 'host.reboot':
      return rebootCommand(rt, command.hostId);
    case 'host.powerOff':
      return hostPowerOffCommand(rt, command.hostId);
    case 'host.powerOn':
      return hostPowerOnCommand(rt, command.hostId);
    case 'host.disconnect':
      return disconnectCommand(rt, command.hostId);
    case 'host.connect':
      return connectCommand(rt, command.hostId);
    case 'host.remove':
      return removeHostCommand(rt, command.hostId);
    case 'host.add':
      return addHostCommand(rt, command.hostId);
    case 'host.clearTpm':
      return clearTpmCommand(rt, command.hostId);
    case 'host.enableEncryptionMode':
      return enableEncryptionModeCommand(rt, command.hostId);
    case 'vm.powerOn':
      return powerOnCommand(rt, command.vmId, command.hostId);
    case 'vm.powerOff':
      return powerOffCommand(rt, command.vmId);
    case 'vm.migrate':
      return migrateCommand(rt, command.vmId, command.hostId);
    case 'vm.encrypt':
      return encryptCommand(rt, command.vmId, command.providerId);
    case 'vm.decrypt':
      return decryptCommand(rt, command.vmId);
    case 'vm.rekeyShallow':
      return rekeyShallowCommand(rt, command.vmId, command.providerId);
    case 'vm.rekeyShallowMany':
      return rekeyShallowManyCommand(rt, command.vmIds, command.providerId);
    case 'vm.rekeyDeep':
      return rekeyDeepCommand(rt, command.vmId, command.providerId);
    case 'vm.addVtpm':
      return addVtpmCommand(rt, command.vmId, command.providerId);
    case 'vm.removeVtpm':
      return removeVtpmCommand(rt, command.vmId);
    case 'vm.takeSnapshot':
      return takeSnapshotCommand(rt, command.vmId);
    case 'vm.deleteSnapshots':
      return deleteSnapshotsCommand(rt, command.vmId);
    case 'vm.register':
      return registerCommand(rt, command.datastoreId, command.folder, command.hostId);
    case 'vm.unregister':
      return unregisterCommand(rt, command.vmId);
    case 'vm.unlock':
      return unlockCommand(rt, command.vmId);
    case 'guest.writeFile':
      return guestWriteCommand(rt, command.vmId, command.name, command.text);
    case 'clock.advance':
      // Handled by the lab itself, outside the command queue, so it can end a wait a command is blocked on.
      return `Lab time moved on by ${command.ms} ms.`;
  }
}
