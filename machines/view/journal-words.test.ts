// Every journal entry reads as a step the learner recognises: each command type, each other kind of entry, with the
// view's names for ids where it has them.
import { describe, expect, it } from 'vitest';
import type { LabCommand } from '../lab-types';
import { describeJournalOp } from './journal-words';

const KEY = '4f1c2e9a-0b7d-4c51-9a3e-2d6f8b1c0e77';

// One sample per command type, with the words it must read as (a type missing here fails the type check).
const SAMPLES: { [T in LabCommand['type']]: [Extract<LabCommand, { type: T }>, string] } = {
  'vcenter.destroy': [{ type: 'vcenter.destroy' }, 'Destroy vCenter'],
  'vcenter.deploy': [{ type: 'vcenter.deploy' }, 'Deploy a new vCenter'],
  'vcenter.stop': [{ type: 'vcenter.stop' }, 'Stop vCenter'],
  'vcenter.start': [{ type: 'vcenter.start' }, 'Start vCenter'],
  'vcenter.setVersion': [{ type: 'vcenter.setVersion', version: '6.7' }, 'Set vCenter to vSphere 6.7'],
  'user.switch': [{ type: 'user.switch', userName: 'crypto-admin@vsphere.local' }, 'Sign in as crypto-admin@vsphere.local'],
  'provider.addStandard': [{ type: 'provider.addStandard', name: 'KMS-2', kmsNodeIds: ['kms-a'] }, 'Add standard key provider KMS-2'],
  'provider.addNative': [{ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true }, 'Add Native Key Provider NKP-1 (TPM-protected hosts only)'],
  'provider.setDefault': [{ type: 'provider.setDefault', providerId: 'NKP-1' }, 'Make NKP-1 the default key provider'],
  'provider.remove': [{ type: 'provider.remove', providerId: 'KMS-Cluster' }, 'Remove key provider KMS-Cluster'],
  'provider.reorderKmsNodes': [{ type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] }, 'Reorder the KMS nodes of KMS-Cluster'],
  'kms.down': [{ type: 'kms.down', kmsId: 'kms-a' }, 'Take KMS node kms-a.lab.local down'],
  'kms.hang': [{ type: 'kms.hang', kmsId: 'kms-a' }, 'Make KMS node kms-a.lab.local hung'],
  'kms.restore': [{ type: 'kms.restore', kmsId: 'kms-a' }, 'Restore KMS node kms-a.lab.local'],
  'kms.revokeKey': [{ type: 'kms.revokeKey', kmsId: 'kms-a', keyId: KEY }, 'Revoke key 4f1c2e9a… on kms-a.lab.local'],
  'kms.destroyKey': [{ type: 'kms.destroyKey', kmsId: 'kms-a', keyId: KEY }, 'Destroy key 4f1c2e9a… on kms-a.lab.local'],
  'kms.reactivateKey': [{ type: 'kms.reactivateKey', kmsId: 'kms-a', keyId: KEY }, 'Reactivate key 4f1c2e9a… on kms-a.lab.local'],
  'kms.lose': [{ type: 'kms.lose', kmsId: 'kms-a' }, 'Lose KMS node kms-a.lab.local for good'],
  'host.reboot': [{ type: 'host.reboot', hostId: 'esx-01' }, 'Reboot esx-01.lab.local'],
  'host.powerOff': [{ type: 'host.powerOff', hostId: 'esx-01' }, 'Power off esx-01.lab.local'],
  'host.powerOn': [{ type: 'host.powerOn', hostId: 'esx-01' }, 'Power on esx-01.lab.local'],
  'host.disconnect': [{ type: 'host.disconnect', hostId: 'esx-01' }, 'Disconnect esx-01.lab.local'],
  'host.connect': [{ type: 'host.connect', hostId: 'esx-01' }, 'Connect esx-01.lab.local'],
  'host.remove': [{ type: 'host.remove', hostId: 'esx-01' }, 'Remove esx-01.lab.local from vCenter'],
  'host.add': [{ type: 'host.add', hostId: 'esx-02' }, 'Add esx-02.lab.local to vCenter'],
  'host.clearTpm': [{ type: 'host.clearTpm', hostId: 'esx-01' }, 'Clear the TPM of esx-01.lab.local'],
  'host.keepRecoveryKey': [{ type: 'host.keepRecoveryKey', hostId: 'esx-01' }, 'Keep the recovery key of esx-01.lab.local'],
  'host.recoverConfiguration': [{ type: 'host.recoverConfiguration', hostId: 'esx-01' }, 'Recover the configuration of esx-01.lab.local'],
  'host.reinstall': [{ type: 'host.reinstall', hostId: 'esx-01' }, 'Reinstall ESXi on esx-01.lab.local'],
  'host.copyBootDisk': [{ type: 'host.copyBootDisk', hostId: 'esx-01', vmId: 'db-01' }, "Copy the boot disk of esx-01.lab.local (and db-01's files)"],
  'host.enableEncryptionMode': [{ type: 'host.enableEncryptionMode', hostId: 'esx-01' }, 'Enable encryption mode on esx-01.lab.local'],
  'host.disableEncryptionMode': [{ type: 'host.disableEncryptionMode', hostId: 'esx-01' }, 'Disable encryption mode on esx-01.lab.local'],
  'vm.powerOn': [{ type: 'vm.powerOn', vmId: 'app-01', hostId: 'esx-02' }, 'Power on app-01 on esx-02.lab.local'],
  'vm.powerOff': [{ type: 'vm.powerOff', vmId: 'app-01' }, 'Power off app-01'],
  'vm.migrate': [{ type: 'vm.migrate', vmId: 'app-01', hostId: 'esx-02' }, 'Migrate app-01 to esx-02.lab.local'],
  'vm.encrypt': [{ type: 'vm.encrypt', vmId: 'app-01' }, 'Encrypt app-01'],
  'vm.decrypt': [{ type: 'vm.decrypt', vmId: 'app-01' }, 'Decrypt app-01'],
  'vm.rekeyShallow': [{ type: 'vm.rekeyShallow', vmId: 'db-01', providerId: 'NKP-1' }, 'Shallow re-key db-01 to NKP-1'],
  'vm.rekeyDeep': [{ type: 'vm.rekeyDeep', vmId: 'db-01' }, 'Deep re-key db-01'],
  'vm.rekeyShallowMany': [{ type: 'vm.rekeyShallowMany', vmIds: ['app-01', 'db-01', 'web-01'], providerId: 'NKP-1' }, 'Shallow re-key 3 VMs to NKP-1'],
  'vm.addVtpm': [{ type: 'vm.addVtpm', vmId: 'win-01' }, 'Add a vTPM to win-01'],
  'vm.removeVtpm': [{ type: 'vm.removeVtpm', vmId: 'win-01' }, 'Remove the vTPM of win-01'],
  'vm.takeSnapshot': [{ type: 'vm.takeSnapshot', vmId: 'app-01' }, 'Take a snapshot of app-01'],
  'vm.clone': [{ type: 'vm.clone', vmId: 'app-01', name: 'app-02' }, 'Clone app-01 as app-02'],
  'vm.exportOvf': [{ type: 'vm.exportOvf', vmId: 'app-01' }, 'Export app-01 as OVF'],
  'vm.takeMemorySnapshot': [{ type: 'vm.takeMemorySnapshot', vmId: 'app-01' }, 'Take a snapshot of app-01 with its memory'],
  'vm.relocateStorage': [{ type: 'vm.relocateStorage', vmId: 'app-01', datastoreId: 'ds-shared-01' }, "Move app-01's storage to ds-shared-01"],
  'vm.changeDiskFormat': [{ type: 'vm.changeDiskFormat', vmId: 'app-01', format: 'thickEagerZeroed' }, "Change app-01's disk to thick eager zeroed"],
  'vm.setFeature': [{ type: 'vm.setFeature', vmId: 'app-01', feature: 'faultTolerance', enabled: true }, 'Turn on Fault Tolerance for app-01'],
  'vm.deleteSnapshots': [{ type: 'vm.deleteSnapshots', vmId: 'app-01' }, 'Delete the snapshots of app-01'],
  'vm.register': [{ type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'db-01', hostId: 'esx-02' }, 'Register VM db-01 from ds-shared-01 on esx-02.lab.local'],
  'vm.unregister': [{ type: 'vm.unregister', vmId: 'db-01' }, 'Unregister db-01'],
  'vm.unlock': [{ type: 'vm.unlock', vmId: 'db-01' }, 'Unlock db-01'],
  'guest.writeFile': [{ type: 'guest.writeFile', vmId: 'app-01', name: 'notes.txt', text: 'hello' }, 'Write notes.txt in the guest of app-01'],
  'clock.advance': [{ type: 'clock.advance', ms: 60_000 }, 'Move lab time on by 1 min'],
};

const NAMES = new Map([
  ['esx-01', 'esx-01.lab.local'],
  ['esx-02', 'esx-02.lab.local'],
  ['kms-a', 'kms-a.lab.local'],
]);
const nameOf = (id: string) => NAMES.get(id);

describe('a journal entry in words', () => {
  it.each(Object.entries(SAMPLES))('%s reads as the step it was', (_type, [command, words]) => {
    expect(describeJournalOp({ kind: 'command', command }, nameOf)).toBe(words);
  });

  it('names the object by id when the view no longer knows it (a host removed, vCenter gone)', () => {
    expect(describeJournalOp({ kind: 'command', command: { type: 'host.reboot', hostId: 'esx-09' } }, nameOf)).toBe('Reboot esx-09');
    expect(describeJournalOp({ kind: 'command', command: { type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-1' } })).toBe('Encrypt app-01 with NKP-1');
  });

  it('says how long a fast-forward was in minutes and hours', () => {
    const advance = (ms: number) => describeJournalOp({ kind: 'command', command: { type: 'clock.advance', ms } });
    expect(advance(45_000)).toBe('Move lab time on by 45 s');
    expect(advance(90_000)).toBe('Move lab time on by 1 min 30 s');
    expect(advance(2 * 3_600_000 + 5 * 60_000)).toBe('Move lab time on by 2 h 5 min');
  });

  it('reads an NKP backup, both kinds of restore and a resume', () => {
    expect(describeJournalOp({ kind: 'nkpBackup', providerId: 'NKP-1' })).toBe('Back up key provider NKP-1');
    expect(describeJournalOp({ kind: 'nkpRestore', fileName: 'NKP-1.p12' })).toBe('Restore a key provider from NKP-1.p12');
    expect(describeJournalOp({ kind: 'nkpRestore', fileName: null })).toBe('Restore a key provider from a backup file from outside this lab');
    expect(describeJournalOp({ kind: 'resume' })).toBe('Resume the operations a closed tab interrupted');
  });
});
