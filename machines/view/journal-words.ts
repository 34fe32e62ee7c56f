// A journal entry in the learner's words ("Encrypt app-01", "Destroy vCenter"): what "Go back to here" lists as undone,
// and what the Redo button names. Object ids become names through `nameOf` (the view's names), else stay ids.
import type { JournalOp, LabCommand } from '../lab-types';

/** The name the learner sees for an object id (a host's FQDN, a VM's name), or undefined to show the id. */
export type NameOf = (id: string) => string | undefined;

type Words<C extends LabCommand = LabCommand> = (command: C, name: (id: string) => string) => string;

/** A key ID is a UUID: its first group is enough to tell two apart in a sentence. */
const shortKey = (keyId: string) => `${keyId.split('-')[0]}…`;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

const withProvider = (providerId: string | undefined, name: (id: string) => string, word = 'with') =>
  providerId ? ` ${word} ${name(providerId)}` : '';

// One line per command type: a command added to LabCommand without words here is a type error.
const COMMAND_WORDS: { [T in LabCommand['type']]: Words<Extract<LabCommand, { type: T }>> } = {
  'vcenter.destroy': () => 'Destroy vCenter',
  'vcenter.deploy': () => 'Deploy a new vCenter',
  'vcenter.stop': () => 'Stop vCenter',
  'vcenter.start': () => 'Start vCenter',
  'vcenter.setVersion': (c) => `Set vCenter to vSphere ${c.version}`,
  'user.switch': (c) => `Sign in as ${c.userName}`,
  'provider.addStandard': (c) => `Add standard key provider ${c.name}`,
  'provider.addNative': (c) => `Add Native Key Provider ${c.name}${c.tpmOnly ? ' (TPM-protected hosts only)' : ''}`,
  'provider.setDefault': (c, n) => `Make ${n(c.providerId)} the default key provider`,
  'provider.remove': (c, n) => `Remove key provider ${n(c.providerId)}`,
  'provider.reorderKmsNodes': (c, n) => `Reorder the KMS nodes of ${n(c.providerId)}`,
  'kms.down': (c, n) => `Take KMS node ${n(c.kmsId)} down`,
  'kms.hang': (c, n) => `Make KMS node ${n(c.kmsId)} hung`,
  'kms.restore': (c, n) => `Restore KMS node ${n(c.kmsId)}`,
  'kms.revokeKey': (c, n) => `Revoke key ${shortKey(c.keyId)} on ${n(c.kmsId)}`,
  'kms.destroyKey': (c, n) => `Destroy key ${shortKey(c.keyId)} on ${n(c.kmsId)}`,
  'kms.reactivateKey': (c, n) => `Reactivate key ${shortKey(c.keyId)} on ${n(c.kmsId)}`,
  'kms.lose': (c, n) => `Lose KMS node ${n(c.kmsId)} for good`,
  'host.reboot': (c, n) => `Reboot ${n(c.hostId)}`,
  'host.powerOff': (c, n) => `Power off ${n(c.hostId)}`,
  'host.powerOn': (c, n) => `Power on ${n(c.hostId)}`,
  'host.disconnect': (c, n) => `Disconnect ${n(c.hostId)}`,
  'host.connect': (c, n) => `Connect ${n(c.hostId)}`,
  'host.remove': (c, n) => `Remove ${n(c.hostId)} from vCenter`,
  'host.add': (c, n) => `Add ${n(c.hostId)} to vCenter`,
  'host.clearTpm': (c, n) => `Clear the TPM of ${n(c.hostId)}`,
  'host.keepRecoveryKey': (c, n) => `Keep the recovery key of ${n(c.hostId)}`,
  'host.recoverConfiguration': (c, n) => `Recover the configuration of ${n(c.hostId)}`,
  'host.reinstall': (c, n) => `Reinstall ESXi on ${n(c.hostId)}`,
  'host.copyBootDisk': (c, n) => `Copy the boot disk of ${n(c.hostId)} (and ${n(c.vmId)}'s files)`,
  'host.enableEncryptionMode': (c, n) => `Enable encryption mode on ${n(c.hostId)}`,
  'host.disableEncryptionMode': (c, n) => `Disable encryption mode on ${n(c.hostId)}`,
  'vm.powerOn': (c, n) => `Power on ${n(c.vmId)}${c.hostId ? ` on ${n(c.hostId)}` : ''}`,
  'vm.powerOff': (c, n) => `Power off ${n(c.vmId)}`,
  'vm.migrate': (c, n) => `Migrate ${n(c.vmId)} to ${n(c.hostId)}`,
  'vm.encrypt': (c, n) => `Encrypt ${n(c.vmId)}${withProvider(c.providerId, n)}`,
  'vm.decrypt': (c, n) => `Decrypt ${n(c.vmId)}`,
  'vm.rekeyShallow': (c, n) => `Shallow re-key ${n(c.vmId)}${withProvider(c.providerId, n, 'to')}`,
  'vm.rekeyDeep': (c, n) => `Deep re-key ${n(c.vmId)}${withProvider(c.providerId, n, 'to')}`,
  'vm.rekeyShallowMany': (c, n) =>
    `Shallow re-key ${c.vmIds.length === 1 ? n(c.vmIds[0]!) : `${c.vmIds.length} VMs`}${withProvider(c.providerId, n, 'to')}`,
  'vm.addVtpm': (c, n) => `Add a vTPM to ${n(c.vmId)}${withProvider(c.providerId, n)}`,
  'vm.removeVtpm': (c, n) => `Remove the vTPM of ${n(c.vmId)}`,
  'vm.takeSnapshot': (c, n) => `Take a snapshot of ${n(c.vmId)}`,
  'vm.clone': (c, n) => `Clone ${n(c.vmId)} as ${c.name}`,
  'vm.exportOvf': (c, n) => `Export ${n(c.vmId)} as OVF`,
  'vm.takeMemorySnapshot': (c, n) => `Take a snapshot of ${n(c.vmId)} with its memory`,
  'vm.relocateStorage': (c, n) => `Move ${n(c.vmId)}'s storage to ${n(c.datastoreId)}`,
  'vm.changeDiskFormat': (c, n) => `Change ${n(c.vmId)}'s disk to ${c.format === 'thin' ? 'thin' : 'thick eager zeroed'}`,
  'vm.setFeature': (c, n) =>
    `${c.enabled ? 'Turn on' : 'Turn off'} ${c.feature === 'faultTolerance' ? 'Fault Tolerance' : c.feature === 'replication' ? 'vSphere Replication' : 'content library sync'} for ${n(c.vmId)}`,
  'vm.deleteSnapshots': (c, n) => `Delete the snapshots of ${n(c.vmId)}`,
  'vm.register': (c, n) => `Register VM ${c.folder} from ${n(c.datastoreId)}${c.hostId ? ` on ${n(c.hostId)}` : ''}`,
  'vm.unregister': (c, n) => `Unregister ${n(c.vmId)}`,
  'vm.unlock': (c, n) => `Unlock ${n(c.vmId)}`,
  'guest.writeFile': (c, n) => `Write ${c.name} in the guest of ${n(c.vmId)}`,
  'clock.advance': (c) => `Move lab time on by ${duration(c.ms)}`,
};

export function describeJournalOp(op: JournalOp, nameOf: NameOf = () => undefined): string {
  const name = (id: string) => nameOf(id) ?? id;
  switch (op.kind) {
    case 'command':
      return (COMMAND_WORDS[op.command.type] as Words)(op.command, name);
    case 'nkpBackup':
      return `Back up key provider ${name(op.providerId)}`;
    case 'nkpRestore':
      return op.fileName === null
        ? 'Restore a key provider from a backup file from outside this lab'
        : `Restore a key provider from ${op.fileName}`;
    case 'resume':
      return 'Resume the operations a closed tab interrupted';
  }
}
