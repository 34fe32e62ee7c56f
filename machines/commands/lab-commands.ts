// Routes each LabCommand to the command that carries it out. Every handler checks vSphere's rules and either returns
// the message the learner reads or throws a LabRefusal with vSphere's wording.
import { destroyKeyCommand, reactivateKeyCommand, revokeKeyCommand } from './kms-admin';
import { kmsFaultCommand, loseKmsCommand } from './kms-faults';
import { setVersionCommand } from './vcenter-version';
import { clearTpmCommand, copyBootDiskCommand, keepRecoveryKeyCommand, recoverConfigurationCommand, reinstallCommand } from './host-config-commands';
import { addHostCommand, connectCommand, disableEncryptionModeCommand, disconnectCommand, enableEncryptionModeCommand, hostPowerOffCommand, hostPowerOnCommand, rebootCommand, removeHostCommand } from './host-commands';
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
import { changeDiskFormatCommand, cloneCommand, exportOvfCommand, memorySnapshotCommand, relocateStorageCommand, setFeatureCommand, type MessageWithDownload } from './vm-limits';
import type { LabRuntime } from '../session/lab-runtime';
import type { LabCommand } from '../lab-types';

/** What a command tells the learner: its message, and for some (an OVF export) a file to save. */
export type CommandOutput = string | MessageWithDownload;

type Handler<T extends LabCommand['type']> = (rt: LabRuntime, command: Extract<LabCommand, { type: T }>) => CommandOutput | Promise<CommandOutput>;

/** One handler per command type: a command added to LabCommand without a handler here does not compile. */
const HANDLERS: { [T in LabCommand['type']]: Handler<T> } = {
  'vcenter.destroy': (rt) => destroyVcenterCommand(rt),
  'vcenter.deploy': (rt) => deployVcenterCommand(rt),
  'vcenter.stop': (rt) => stopVcenterCommand(rt),
  'vcenter.start': (rt) => startVcenterCommand(rt),
  'user.switch': (rt, c) => switchUserCommand(rt, c.userName),
  'provider.addStandard': (rt, c) => addStandardCommand(rt, c.name, c.kmsNodeIds),
  'provider.addNative': (rt, c) => addNativeCommand(rt, c.name, c.tpmOnly ?? true),
  'provider.setDefault': (rt, c) => setDefaultCommand(rt, c.providerId),
  'provider.remove': (rt, c) => removeProviderCommand(rt, c.providerId),
  'provider.reorderKmsNodes': (rt, c) => reorderKmsNodesCommand(rt, c.providerId, c.kmsNodeIds),
  'vcenter.setVersion': (rt, c) => setVersionCommand(rt, c.version),
  'kms.down': (rt, c) => kmsFaultCommand(rt, c.kmsId, 'down'),
  'kms.hang': (rt, c) => kmsFaultCommand(rt, c.kmsId, 'hang'),
  'kms.restore': (rt, c) => kmsFaultCommand(rt, c.kmsId, 'restore'),
  'kms.lose': (rt, c) => loseKmsCommand(rt, c.kmsId),
  'kms.revokeKey': (rt, c) => revokeKeyCommand(rt, c.kmsId, c.keyId),
  'kms.reactivateKey': (rt, c) => reactivateKeyCommand(rt, c.kmsId, c.keyId),
  'kms.destroyKey': (rt, c) => destroyKeyCommand(rt, c.kmsId, c.keyId),
  'host.disableEncryptionMode': (rt, c) => disableEncryptionModeCommand(rt, c.hostId),
  'host.reboot': (rt, c) => rebootCommand(rt, c.hostId),
  'host.powerOff': (rt, c) => hostPowerOffCommand(rt, c.hostId),
  'host.powerOn': (rt, c) => hostPowerOnCommand(rt, c.hostId),
  'host.disconnect': (rt, c) => disconnectCommand(rt, c.hostId),
  'host.connect': (rt, c) => connectCommand(rt, c.hostId),
  'host.remove': (rt, c) => removeHostCommand(rt, c.hostId),
  'host.add': (rt, c) => addHostCommand(rt, c.hostId),
  'host.clearTpm': (rt, c) => clearTpmCommand(rt, c.hostId),
  'host.keepRecoveryKey': (rt, c) => keepRecoveryKeyCommand(rt, c.hostId),
  'host.recoverConfiguration': (rt, c) => recoverConfigurationCommand(rt, c.hostId, c.recoveryKey),
  'host.reinstall': (rt, c) => reinstallCommand(rt, c.hostId),
  'host.copyBootDisk': (rt, c) => copyBootDiskCommand(rt, c.hostId, c.vmId),
  'host.enableEncryptionMode': (rt, c) => enableEncryptionModeCommand(rt, c.hostId),
  'vm.powerOn': (rt, c) => powerOnCommand(rt, c.vmId, c.hostId),
  'vm.powerOff': (rt, c) => powerOffCommand(rt, c.vmId),
  'vm.migrate': (rt, c) => migrateCommand(rt, c.vmId, c.hostId),
  'vm.encrypt': (rt, c) => encryptCommand(rt, c.vmId, c.providerId),
  'vm.decrypt': (rt, c) => decryptCommand(rt, c.vmId),
  'vm.rekeyShallow': (rt, c) => rekeyShallowCommand(rt, c.vmId, c.providerId),
  'vm.rekeyShallowMany': (rt, c) => rekeyShallowManyCommand(rt, c.vmIds, c.providerId),
  'vm.rekeyDeep': (rt, c) => rekeyDeepCommand(rt, c.vmId, c.providerId),
  'vm.addVtpm': (rt, c) => addVtpmCommand(rt, c.vmId, c.providerId),
  'vm.removeVtpm': (rt, c) => removeVtpmCommand(rt, c.vmId),
  'vm.takeSnapshot': (rt, c) => takeSnapshotCommand(rt, c.vmId),
  'vm.deleteSnapshots': (rt, c) => deleteSnapshotsCommand(rt, c.vmId),
  'vm.register': (rt, c) => registerCommand(rt, c.datastoreId, c.folder, c.hostId),
  'vm.unregister': (rt, c) => unregisterCommand(rt, c.vmId),
  'vm.unlock': (rt, c) => unlockCommand(rt, c.vmId),
  'guest.writeFile': (rt, c) => guestWriteCommand(rt, c.vmId, c.name, c.text),
  'vm.clone': (rt, c) => cloneCommand(rt, c.vmId, c.name),
  'vm.exportOvf': (rt, c) => exportOvfCommand(rt, c.vmId),
  'vm.takeMemorySnapshot': (rt, c) => memorySnapshotCommand(rt, c.vmId),
  'vm.relocateStorage': (rt, c) => relocateStorageCommand(rt, c.vmId, c.datastoreId),
  'vm.changeDiskFormat': (rt, c) => changeDiskFormatCommand(rt, c.vmId, c.format),
  'vm.setFeature': (rt, c) => setFeatureCommand(rt, c.vmId, c.feature, c.enabled),
  // Handled by the lab itself, outside the command queue, so it can end a wait a command is blocked on.
  'clock.advance': (_rt, c) => `Lab time moved on by ${c.ms} ms.`,
};

export async function runCommand(rt: LabRuntime, command: LabCommand): Promise<CommandOutput> {
  // The table pairs each type with its own handler; TypeScript cannot follow that through a union, hence the cast.
  const handler = HANDLERS[command.type] as Handler<LabCommand['type']>;
  return handler(rt, command);
}
