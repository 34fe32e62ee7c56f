// checkCommand is vSphere's rules as a pure function of the view: each family refuses what it should and lets through
// what it should, and for every command type dispatch refuses with exactly the check's refusal, changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, openTestLab } from '../../session/lab-test-support';
import type { Lab, LabCommand, LabView } from '../../lab-types';
import { checkCommand, disabledReason } from '.';

let lab: Lab;
/** The starter lab as opened: vCenter running, KMS-Cluster the default, db-01 and web-01 encrypted and on, app-01 plain and on. */
let base: LabView;

beforeAll(async () => {
  ({ lab } = await openTestLab());
  base = lab.getView();
});
afterAll(() => lab.dispose());

/** A copy of the starter lab's view, changed as a test needs (checkCommand reads nothing else). */
function viewWith(change: (v: LabView) => void = () => {}): LabView {
  const v = structuredClone(base);
  change(v);
  return v;
}
const vmIn = (v: LabView, id: string) => v.vms.find((vm) => vm.id === id)!;
const hostIn = (v: LabView, id: string) => v.hosts.find((h) => h.id === id)!;
const codeOf = (v: LabView, c: LabCommand) => checkCommand(v, c)?.code ?? null;

describe('vCenter and lab time', () => {
  it('refuses what the vCenter state makes pointless, and needs a running vCenter for its inventory', () => {
    const destroyed = viewWith((v) => {
      v.vcenterStatus = 'destroyed';
      v.vcenter = null;
    });
    const stopped = viewWith((v) => {
      v.vcenterStatus = 'stopped';
      v.vcenter = null;
    });
    expect(codeOf(base, { type: 'vcenter.destroy' })).toBeNull();
    expect(codeOf(destroyed, { type: 'vcenter.destroy' })).toBe('VCENTER_DESTROYED');
    expect(codeOf(base, { type: 'vcenter.deploy' })).toBe('VCENTER_EXISTS');
    expect(codeOf(destroyed, { type: 'vcenter.deploy' })).toBeNull();
    expect(codeOf(stopped, { type: 'vcenter.stop' })).toBe('VCENTER_NOT_RUNNING');
    expect(codeOf(stopped, { type: 'vcenter.start' })).toBeNull();
    expect(codeOf(base, { type: 'vcenter.start' })).toBe('VCENTER_NOT_STOPPED');
    expect(checkCommand(stopped, { type: 'vm.encrypt', vmId: 'app-01' })?.reason).toContain('Start it, or work on the ESXi host directly');
    expect(codeOf(destroyed, { type: 'provider.addNative', name: 'N', tpmOnly: true })).toBe('VCENTER_DESTROYED');
  });

  it('switches only to a user vCenter has, and moves lab time only forward', () => {
    expect(codeOf(base, { type: 'user.switch', userName: 'vm-operator@vsphere.local' })).toBeNull();
    expect(checkCommand(base, { type: 'user.switch', userName: 'eve@vsphere.local' })).toEqual({
      code: 'NO_SUCH_USER',
      reason: 'There is no user eve@vsphere.local in vCenter vcsa-01.lab.local.',
    });
    expect(codeOf(base, { type: 'clock.advance', ms: 60_000 })).toBeNull();
    expect(codeOf(base, { type: 'clock.advance', ms: -1 })).toBe('BAD_DURATION');
    expect(codeOf(base, { type: 'clock.advance', ms: Number.NaN })).toBe('BAD_DURATION');
  });
});

describe('privileges', () => {
  it('a user without Cryptographer.* privileges gets vSphere’s NoPermission for crypto commands, not for power', () => {
    const operator = viewWith((v) => {
      v.vcenter!.currentUser = 'vm-operator@vsphere.local';
      vmIn(v, 'app-01').power = 'off';
    });
    const refusal = checkCommand(operator, { type: 'vm.encrypt', vmId: 'app-01' });
    expect(refusal).toEqual({
      code: 'NO_PERMISSION',
      reason: 'Permission to perform this operation was denied. User vm-operator@vsphere.local does not hold the privilege Cryptographer.Encrypt.',
    });
    expect(codeOf(operator, { type: 'provider.addNative', name: 'N', tpmOnly: true })).toBe('NO_PERMISSION');
    expect(codeOf(operator, { type: 'vm.powerOn', vmId: 'app-01' })).toBeNull();
    expect(codeOf(operator, { type: 'vm.takeSnapshot', vmId: 'app-01' })).toBeNull();
  });
});

describe('key providers and KMS nodes', () => {
  it('a new provider needs a free, non-empty name and, when standard, KMS nodes that exist', () => {
    expect(codeOf(base, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true })).toBeNull();
    expect(codeOf(base, { type: 'provider.addNative', name: '  ', tpmOnly: true })).toBe('BAD_NAME');
    expect(codeOf(base, { type: 'provider.addNative', name: ' KMS-Cluster ', tpmOnly: true })).toBe('PROVIDER_EXISTS');
    expect(codeOf(base, { type: 'provider.addStandard', name: 'S', kmsNodeIds: ['kms-b'] })).toBeNull();
    expect(codeOf(base, { type: 'provider.addStandard', name: 'S', kmsNodeIds: [] })).toBe('NO_KMS');
    expect(codeOf(base, { type: 'provider.addStandard', name: 'S', kmsNodeIds: ['kms-a', 'kms-z'] })).toBe('NO_SUCH_KMS');
  });

  it('set default, remove and reorder name a provider vCenter has; a reorder lists the same nodes', () => {
    expect(codeOf(base, { type: 'provider.setDefault', providerId: 'KMS-Cluster' })).toBeNull();
    expect(codeOf(base, { type: 'provider.remove', providerId: 'gone' })).toBe('NO_SUCH_PROVIDER');
    expect(codeOf(base, { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b', 'kms-a'] })).toBeNull();
    expect(codeOf(base, { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-b'] })).toBe('NO_SUCH_KMS');
  });

  it('the KMS administrator acts on nodes that exist and keys they have, replicated or on their way', () => {
    const node = base.kmsNodes.find((k) => k.id === 'kms-a')!;
    const keyId = node.keys[0]!.keyId;
    expect(codeOf(base, { type: 'kms.hang', kmsId: 'kms-a' })).toBeNull();
    expect(codeOf(base, { type: 'kms.down', kmsId: 'kms-z' })).toBe('NO_SUCH_KMS');
    expect(codeOf(base, { type: 'kms.revokeKey', kmsId: 'kms-a', keyId })).toBeNull();
    expect(codeOf(base, { type: 'kms.destroyKey', kmsId: 'kms-a', keyId: 'no-such-key' })).toBe('NO_SUCH_KEY');
    const pending = viewWith((v) => {
      const k = v.kmsNodes.find((n) => n.id === 'kms-a')!;
      k.keys = k.keys.filter((key) => key.keyId !== keyId);
      k.pendingReplication.push(keyId);
    });
    expect(codeOf(pending, { type: 'kms.revokeKey', kmsId: 'kms-a', keyId })).toBeNull();
  });
});

describe('hosts', () => {
  it('power and reboot follow the host’s power state', () => {
    const off = viewWith((v) => (hostIn(v, 'esx-01').power = 'off'));
    expect(codeOf(base, { type: 'host.reboot', hostId: 'esx-01' })).toBeNull();
    expect(checkCommand(off, { type: 'host.reboot', hostId: 'esx-01' })?.reason).toBe('Host esx-01.lab.local is powered off; power it on instead.');
    expect(codeOf(off, { type: 'host.powerOff', hostId: 'esx-01' })).toBe('HOST_OFF');
    expect(codeOf(base, { type: 'host.powerOn', hostId: 'esx-01' })).toBe('HOST_ON');
    expect(codeOf(off, { type: 'host.powerOn', hostId: 'esx-01' })).toBeNull();
    expect(codeOf(base, { type: 'host.reboot', hostId: 'esx-09' })).toBe('NO_SUCH_HOST');
  });

  it('connection and inventory follow the host’s connection', () => {
    const disconnected = viewWith((v) => (hostIn(v, 'esx-02').connection = 'disconnected'));
    const removed = viewWith((v) => {
      hostIn(v, 'esx-02').connection = 'removed';
      v.vcenter!.hostIds = v.vcenter!.hostIds.filter((h) => h !== 'esx-02');
    });
    expect(codeOf(base, { type: 'host.disconnect', hostId: 'esx-02' })).toBeNull();
    expect(codeOf(disconnected, { type: 'host.disconnect', hostId: 'esx-02' })).toBe('HOST_NOT_CONNECTED');
    expect(codeOf(disconnected, { type: 'host.connect', hostId: 'esx-02' })).toBeNull();
    expect(checkCommand(removed, { type: 'host.connect', hostId: 'esx-02' })?.reason).toBe('Host esx-02.lab.local is not in the inventory: add it.');
    expect(codeOf(base, { type: 'host.add', hostId: 'esx-02' })).toBe('HOST_IN_INVENTORY');
    expect(codeOf(removed, { type: 'host.add', hostId: 'esx-02' })).toBeNull();
    expect(codeOf(removed, { type: 'host.remove', hostId: 'esx-02' })).toBe('HOST_NOT_IN_INVENTORY');
  });

  it('a TPM to clear, and encryption mode kept while encrypted VMs are registered on the host', () => {
    expect(codeOf(base, { type: 'host.clearTpm', hostId: 'esx-01' })).toBeNull();
    expect(checkCommand(base, { type: 'host.clearTpm', hostId: 'esx-03' })).toEqual({ code: 'NO_TPM', reason: 'Host esx-03.lab.local has no TPM 2.0.' });
    const refusal = checkCommand(base, { type: 'host.disableEncryptionMode', hostId: 'esx-01' });
    expect(refusal?.code).toBe('ENCRYPTED_VMS_ON_HOST');
    expect(refusal?.reason).toContain('(db-01)');
    expect(codeOf(base, { type: 'host.disableEncryptionMode', hostId: 'esx-03' })).toBeNull();
    expect(codeOf(base, { type: 'host.enableEncryptionMode', hostId: 'esx-03' })).toBeNull();
  });
});

describe('VMs', () => {
  it('power: already so, busy, locked, and the host it would run on', () => {
    const appOff = viewWith((v) => (vmIn(v, 'app-01').power = 'off'));
    expect(codeOf(base, { type: 'vm.powerOn', vmId: 'app-01' })).toBe('ALREADY_ON');
    expect(codeOf(appOff, { type: 'vm.powerOff', vmId: 'app-01' })).toBe('ALREADY_OFF');
    expect(codeOf(appOff, { type: 'vm.powerOn', vmId: 'app-01' })).toBeNull();
    const locked = viewWith((v) => {
      vmIn(v, 'app-01').power = 'off';
      vmIn(v, 'app-01').locked = { reason: 'KeyStateMissingInKMS', message: 'The KMS has no key k.' };
    });
    expect(checkCommand(locked, { type: 'vm.powerOn', vmId: 'app-01' })?.reason).toBe(
      'VM app-01 is locked (KeyStateMissingInKMS). When it was locked: The KMS has no key k. Unlock it once the key is available.',
    );
    const hostOff = viewWith((v) => {
      vmIn(v, 'app-01').power = 'off';
      hostIn(v, 'esx-02').power = 'off';
    });
    expect(codeOf(hostOff, { type: 'vm.powerOn', vmId: 'app-01', hostId: 'esx-02' })).toBe('HOST_OFF');
    const hostDisconnected = viewWith((v) => {
      vmIn(v, 'app-01').power = 'off';
      hostIn(v, 'esx-03').connection = 'disconnected';
    });
    expect(codeOf(hostDisconnected, { type: 'vm.powerOn', vmId: 'app-01' })).toBe('HOST_NOT_CONNECTED');
    // Without vCenter the learner works on the host itself: no inventory, no connection needed.
    const noVcenter = viewWith((v) => {
      v.vcenterStatus = 'destroyed';
      v.vcenter = null;
      vmIn(v, 'app-01').power = 'off';
      vmIn(v, 'app-01').registered = false;
      hostIn(v, 'esx-03').connection = 'removed';
    });
    expect(codeOf(noVcenter, { type: 'vm.powerOn', vmId: 'app-01' })).toBeNull();
  });

  it('encrypt: registered, not busy, not yet encrypted, off, no snapshots, a usable provider', () => {
    const off = (v: LabView) => (vmIn(v, 'app-01').power = 'off');
    expect(codeOf(viewWith(off), { type: 'vm.encrypt', vmId: 'app-01' })).toBeNull();
    expect(checkCommand(base, { type: 'vm.encrypt', vmId: 'app-01' })?.reason).toBe(
      'The attempted operation cannot be performed in the current state (Powered on). Encrypting a virtual machine requires VM app-01 to be powered off.',
    );
    expect(codeOf(base, { type: 'vm.encrypt', vmId: 'db-01' })).toBe('ALREADY_ENCRYPTED');
    const busy = viewWith((v) => {
      off(v);
      vmIn(v, 'app-01').operation = { kind: 'encrypt', done: 1, total: 4, interrupted: true };
    });
    expect(checkCommand(busy, { type: 'vm.encrypt', vmId: 'app-01' })?.reason).toBe('VM app-01 has an unfinished encrypt (25%). Resume it first.');
    const snapshots = viewWith((v) => {
      off(v);
      vmIn(v, 'app-01').snapshots = 2;
    });
    expect(codeOf(snapshots, { type: 'vm.encrypt', vmId: 'app-01' })).toBe('VM_HAS_SNAPSHOTS');
    const unregistered = viewWith((v) => {
      off(v);
      vmIn(v, 'app-01').registered = false;
      v.vcenter!.registeredVmIds = v.vcenter!.registeredVmIds.filter((id) => id !== 'app-01');
    });
    expect(codeOf(unregistered, { type: 'vm.encrypt', vmId: 'app-01' })).toBe('VM_NOT_REGISTERED');
    const noDefault = viewWith((v) => {
      off(v);
      v.vcenter!.defaultProviderId = null;
    });
    expect(codeOf(noDefault, { type: 'vm.encrypt', vmId: 'app-01' })).toBe('NO_DEFAULT_PROVIDER');
    expect(codeOf(noDefault, { type: 'vm.encrypt', vmId: 'app-01', providerId: 'KMS-Cluster' })).toBeNull();
    expect(codeOf(viewWith(off), { type: 'vm.encrypt', vmId: 'app-01', providerId: 'nope' })).toBe('NO_SUCH_PROVIDER');
    const nkpNotBackedUp = viewWith((v) => {
      off(v);
      v.vcenter!.keyProviders.push({
        kind: 'native',
        id: 'NKP-1',
        name: 'NKP-1',
        keyId: 'k',
        tpmOnly: true,
        backedUp: false,
        status: 'notBackedUp',
        isDefault: false,
        hostsWithKdk: [],
        health: 'error',
        healthMessage: '',
      });
    });
    expect(checkCommand(nkpNotBackedUp, { type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-1' })).toEqual({
      code: 'NKP_NOT_BACKED_UP',
      reason: 'Key provider NKP-1 requires backup. Back it up first (Key Providers > Back up NKP-1…): until then vCenter cannot use it.',
    });
  });

  it('decrypt and re-key need an encrypted, unlocked VM; deep also off and without snapshots; shallow may run', () => {
    expect(codeOf(base, { type: 'vm.decrypt', vmId: 'app-01' })).toBe('NOT_ENCRYPTED');
    expect(codeOf(base, { type: 'vm.decrypt', vmId: 'db-01' })).toBe('VM_POWERED_ON');
    expect(checkCommand(base, { type: 'vm.rekeyShallow', vmId: 'app-01' })?.reason).toBe('VM app-01 is not encrypted: encrypt it instead of re-keying.');
    expect(codeOf(base, { type: 'vm.rekeyShallow', vmId: 'db-01' })).toBeNull();
    expect(codeOf(base, { type: 'vm.rekeyDeep', vmId: 'db-01' })).toBe('VM_POWERED_ON');
    const offWithSnapshot = viewWith((v) => {
      vmIn(v, 'db-01').power = 'off';
      vmIn(v, 'db-01').snapshots = 1;
    });
    expect(codeOf(offWithSnapshot, { type: 'vm.rekeyDeep', vmId: 'db-01' })).toBe('VM_HAS_SNAPSHOTS');
    expect(codeOf(offWithSnapshot, { type: 'vm.rekeyShallow', vmId: 'db-01' })).toBeNull();
    expect(codeOf(offWithSnapshot, { type: 'vm.decrypt', vmId: 'db-01' })).toBeNull();
  });

  it('vTPM, snapshots, inventory, unlock, migration and guest writes', () => {
    const off = viewWith((v) => (vmIn(v, 'app-01').power = 'off'));
    expect(codeOf(off, { type: 'vm.addVtpm', vmId: 'app-01' })).toBeNull();
    // A vTPM needs a key provider for the VM home, unless the VM home is encrypted already.
    const noDefault = viewWith((v) => {
      v.vcenter!.defaultProviderId = null;
      vmIn(v, 'app-01').power = 'off';
      vmIn(v, 'db-01').power = 'off';
    });
    expect(codeOf(noDefault, { type: 'vm.addVtpm', vmId: 'app-01' })).toBe('NO_DEFAULT_PROVIDER');
    expect(codeOf(noDefault, { type: 'vm.addVtpm', vmId: 'db-01' })).toBeNull();
    expect(checkCommand(base, { type: 'vm.addVtpm', vmId: 'app-01' })?.reason).toContain('only while VM app-01 is powered off');
    expect(codeOf(off, { type: 'vm.removeVtpm', vmId: 'app-01' })).toBe('NO_VTPM');
    expect(codeOf(base, { type: 'vm.unregister', vmId: 'app-01' })).toBe('VM_POWERED_ON');
    expect(codeOf(off, { type: 'vm.unregister', vmId: 'app-01' })).toBeNull();
    expect(codeOf(base, { type: 'vm.unlock', vmId: 'db-01' })).toBe('NOT_LOCKED');
    expect(codeOf(base, { type: 'vm.takeSnapshot', vmId: 'nope' })).toBe('NO_SUCH_VM');
    expect(codeOf(base, { type: 'vm.migrate', vmId: 'app-01', hostId: 'esx-03' })).toBe('SAME_HOST');
    expect(codeOf(base, { type: 'vm.migrate', vmId: 'app-01', hostId: 'esx-01' })).toBeNull();
    expect(codeOf(base, { type: 'guest.writeFile', vmId: 'app-01', name: 'a.txt', text: 'a' })).toBeNull();
    expect(checkCommand(off, { type: 'guest.writeFile', vmId: 'app-01', name: 'a.txt', text: 'a' })?.reason).toBe(
      'VM app-01 is powered off: its guest cannot write files. Power it on first.',
    );
  });
});

describe('disabledReason: what the UI disables, with the lab’s own words', () => {
  it('gives the reason for nothing-to-do refusals only, leaving vSphere’s rules to a click', () => {
    expect(disabledReason(base, { type: 'vm.powerOn', vmId: 'db-01' })).toBe('VM db-01 is already powered on.');
    expect(disabledReason(base, { type: 'vm.encrypt', vmId: 'db-01' })).toContain('is already encrypted');
    expect(disabledReason(base, { type: 'host.clearTpm', hostId: 'esx-03' })).toBe('Host esx-03.lab.local has no TPM 2.0.');
    // Powered on is a rule the learner should meet as vSphere's refusal, beside the button.
    expect(checkCommand(base, { type: 'vm.encrypt', vmId: 'app-01' })?.code).toBe('VM_POWERED_ON');
    expect(disabledReason(base, { type: 'vm.encrypt', vmId: 'app-01' })).toBeNull();
    expect(disabledReason(base, { type: 'vm.encrypt', vmId: 'app-01' }, ['VM_POWERED_ON'])).toContain('requires VM app-01 to be powered off');
  });
});

/**
 * One command of every type, aimed where the starter lab refuses it when it has a precondition that can (destroying
 * and stopping vCenter are refused once it is destroyed).
 */
const REFUSED_SAMPLES: Record<LabCommand['type'], LabCommand> = {
  'vcenter.destroy': { type: 'vcenter.destroy' },
  'vcenter.deploy': { type: 'vcenter.deploy' },
  'vcenter.stop': { type: 'vcenter.stop' },
  'vcenter.start': { type: 'vcenter.start' },
  'user.switch': { type: 'user.switch', userName: 'nobody@vsphere.local' },
  'provider.addStandard': { type: 'provider.addStandard', name: 'S', kmsNodeIds: [] },
  'provider.addNative': { type: 'provider.addNative', name: 'KMS-Cluster', tpmOnly: true },
  'provider.setDefault': { type: 'provider.setDefault', providerId: 'nope' },
  'provider.remove': { type: 'provider.remove', providerId: 'nope' },
  'provider.reorderKmsNodes': { type: 'provider.reorderKmsNodes', providerId: 'KMS-Cluster', kmsNodeIds: ['kms-a'] },
  'kms.down': { type: 'kms.down', kmsId: 'nope' },
  'kms.hang': { type: 'kms.hang', kmsId: 'nope' },
  'kms.restore': { type: 'kms.restore', kmsId: 'nope' },
  'kms.revokeKey': { type: 'kms.revokeKey', kmsId: 'kms-a', keyId: 'nope' },
  'kms.destroyKey': { type: 'kms.destroyKey', kmsId: 'kms-a', keyId: 'nope' },
  'kms.reactivateKey': { type: 'kms.reactivateKey', kmsId: 'kms-a', keyId: 'nope' },
  'kms.lose': { type: 'kms.lose', kmsId: 'nope' },
  'vcenter.setVersion': { type: 'vcenter.setVersion', version: '8.0' },
  'host.reboot': { type: 'host.reboot', hostId: 'nope' },
  'host.powerOff': { type: 'host.powerOff', hostId: 'nope' },
  'host.powerOn': { type: 'host.powerOn', hostId: 'esx-01' },
  'host.disconnect': { type: 'host.disconnect', hostId: 'nope' },
  'host.connect': { type: 'host.connect', hostId: 'esx-01' },
  'host.remove': { type: 'host.remove', hostId: 'nope' },
  'host.add': { type: 'host.add', hostId: 'esx-01' },
  'host.clearTpm': { type: 'host.clearTpm', hostId: 'esx-03' },
  'host.keepRecoveryKey': { type: 'host.keepRecoveryKey', hostId: 'esx-03' },
  'host.recoverConfiguration': { type: 'host.recoverConfiguration', hostId: 'esx-01' },
  'host.reinstall': { type: 'host.reinstall', hostId: 'nope' },
  'host.copyBootDisk': { type: 'host.copyBootDisk', hostId: 'esx-01', vmId: 'app-01' },
  'host.enableEncryptionMode': { type: 'host.enableEncryptionMode', hostId: 'nope' },
  'host.disableEncryptionMode': { type: 'host.disableEncryptionMode', hostId: 'esx-01' },
  'vm.powerOn': { type: 'vm.powerOn', vmId: 'db-01' },
  'vm.powerOff': { type: 'vm.powerOff', vmId: 'nope' },
  'vm.migrate': { type: 'vm.migrate', vmId: 'db-01', hostId: 'esx-01' },
  'vm.encrypt': { type: 'vm.encrypt', vmId: 'db-01' },
  'vm.decrypt': { type: 'vm.decrypt', vmId: 'db-01' },
  'vm.rekeyShallow': { type: 'vm.rekeyShallow', vmId: 'app-01' },
  'vm.rekeyDeep': { type: 'vm.rekeyDeep', vmId: 'web-01' },
  // A many-VM re-key is refused VM by VM inside its task (PARTIAL), with each VM's single re-key precondition.
  'vm.rekeyShallowMany': { type: 'vm.rekeyShallowMany', vmIds: ['app-01'] },
  'vm.addVtpm': { type: 'vm.addVtpm', vmId: 'web-01' },
  'vm.removeVtpm': { type: 'vm.removeVtpm', vmId: 'web-01' },
  'vm.takeSnapshot': { type: 'vm.takeSnapshot', vmId: 'nope' },
  'vm.deleteSnapshots': { type: 'vm.deleteSnapshots', vmId: 'nope' },
  // Register's own rules need the VM's files; its precondition is vCenter and the privilege.
  'vm.register': { type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'db-01' },
  'vm.unregister': { type: 'vm.unregister', vmId: 'web-01' },
  'vm.unlock': { type: 'vm.unlock', vmId: 'web-01' },
  'guest.writeFile': { type: 'guest.writeFile', vmId: 'nope', name: 'a.txt', text: 'a' },
  // The encrypted-VM limits: each refused for an encrypted VM (db-01, web-01), with the material's reason.
  'vm.clone': { type: 'vm.clone', vmId: 'db-01', name: 'db-01-clone' },
  'vm.exportOvf': { type: 'vm.exportOvf', vmId: 'web-01' },
  'vm.takeMemorySnapshot': { type: 'vm.takeMemorySnapshot', vmId: 'db-01' },
  'vm.relocateStorage': { type: 'vm.relocateStorage', vmId: 'db-01', datastoreId: 'ds-shared-01' },
  'vm.changeDiskFormat': { type: 'vm.changeDiskFormat', vmId: 'web-01', format: 'thickEagerZeroed' },
  'vm.setFeature': { type: 'vm.setFeature', vmId: 'db-01', feature: 'faultTolerance', enabled: true },
  'clock.advance': { type: 'clock.advance', ms: -5 },
};

/** The world as a command could change it (the event log and clock aside). */
function world(v: LabView) {
  return { vcenter: v.vcenter, vcenterStatus: v.vcenterStatus, hosts: v.hosts, kmsNodes: v.kmsNodes, vms: v.vms, keyMap: v.keyMap };
}

describe('the check and the handler agree', () => {
  it('for every command type, a refused check is what dispatch returns, and nothing changes', async () => {
    const { lab: fresh } = await openTestLab();
    const expectAgreement = async (command: LabCommand) => {
      const before = fresh.getView();
      const refusal = checkCommand(before, command);
      expect(refusal, command.type).not.toBeNull();
      expect(await fresh.dispatch(command), command.type).toEqual({ ok: false, ...refusal });
      expect(world(fresh.getView()), command.type).toEqual(world(before));
    };
    const afterDestroy = new Set<LabCommand['type']>(['vcenter.destroy', 'vcenter.stop']);
    try {
      for (const command of Object.values(REFUSED_SAMPLES)) {
        if (command.type === 'vm.rekeyShallowMany' || command.type === 'vm.register') {
          expect(checkCommand(fresh.getView(), command), command.type).toBeNull();
        } else if (!afterDestroy.has(command.type)) {
          await expectAgreement(command);
        }
      }
      await ok(fresh, { type: 'vcenter.destroy' });
      for (const type of afterDestroy) await expectAgreement(REFUSED_SAMPLES[type]);
    } finally {
      fresh.dispose();
    }
  });

  it('a command the check lets through is carried out, and a many-VM re-key refuses each VM with its check', async () => {
    const { lab: fresh } = await openTestLab();
    try {
      await ok(fresh, { type: 'vm.powerOff', vmId: 'app-01' });
      expect(checkCommand(fresh.getView(), { type: 'vm.encrypt', vmId: 'app-01' })).toBeNull();
      await ok(fresh, { type: 'vm.encrypt', vmId: 'app-01' });
      await ok(fresh, { type: 'vm.powerOff', vmId: 'web-01' });
      await ok(fresh, { type: 'vm.takeSnapshot', vmId: 'web-01' });
      const single = checkCommand(fresh.getView(), { type: 'vm.rekeyShallow', vmId: 'nope' })!;
      const many = await fresh.dispatch({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'nope', 'web-01'] });
      expect(many).toMatchObject({ ok: false, code: 'PARTIAL' });
      if (!many.ok) expect(many.reason).toBe(`2 of 3 VMs re-keyed; refused: nope: ${single.reason}`);
    } finally {
      fresh.dispose();
    }
  });
});
