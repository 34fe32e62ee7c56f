// Flow 8: a VM whose key is missing is locked and cannot power on, showing vSphere's reason; once the key is back
// (KMS up again, the provider re-added, an NKP restored from its .p12 under the same name) the administrator unlocks
// it, or re-enables encryption mode on its host, and it powers on with its data intact.
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_PASSWORD, EDGE_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, setUpNkp, vmView } from './flow-support';

afterEach(closeFlowLabs);

const LOCK_REASONS = ['KeyStateMissingInCache', 'KeyStateClusterUnreachable', 'KeyStateMissingInKMS', 'KeyStateNotActiveOrEnabled', 'KeyStateManagedByNKP'];

type FlowLab = Awaited<ReturnType<typeof openFlowLab>>['lab'];

async function expectLockedOnPowerOn(lab: FlowLab, vmId: string) {
  const refusal = await refused(lab, { type: 'vm.powerOn', vmId });
  const vm = vmView(lab, vmId);
  expect(vm.power).toBe('off');
  expect(vm.locked).not.toBeNull();
  expect(LOCK_REASONS).toContain(vm.locked!.reason);
  expect(refusal.reason).toContain(vm.locked!.reason);
  expect(lab.getView().events.some((e) => e.eventTypeId.startsWith('com.vmware.vc.vm.Crypto.VMLocked') && e.objectId === vmId)).toBe(true);
  // Locked means locked: a second try is refused too, and the data is not shown as if it were readable.
  await refused(lab, { type: 'vm.powerOn', vmId });
  await expect(lab.readGuestFile(vmId, 'customers.csv')).rejects.toThrow();
  return vm.locked!;
}

describe('locked VMs', () => {
  it('locks a standard-provider VM while its KMS cluster is unreachable, and unlocks it when a node is back', async () => {
    const { lab } = await openFlowLab('locked-kms');
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' }); // db-01 stops; its KEK leaves the host's memory
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'kms.down', kmsId: 'kms-b' });
    const locked = await expectLockedOnPowerOn(lab, 'db-01');
    expect(locked.message).toMatch(/kms|KMS/);

    // Unlocking before the key can be had is refused; with a node back it works.
    await refused(lab, { type: 'vm.unlock', vmId: 'db-01' });
    await must(lab, { type: 'kms.restore', kmsId: 'kms-b' });
    await must(lab, { type: 'vm.unlock', vmId: 'db-01' });
    expect(vmView(lab, 'db-01').locked).toBeNull();
    expect(lab.getView().events.some((e) => e.eventTypeId === 'com.vmware.vc.vm.Crypto.VMUnlocked' && e.objectId === 'db-01')).toBe(true);
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
  });

  it('locks a VM whose standard provider was removed, until the provider is added back', async () => {
    const { lab } = await openFlowLab('locked-provider');
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await must(lab, { type: 'provider.remove', providerId: 'KMS-Cluster' });
    await expectLockedOnPowerOn(lab, 'db-01');
    // The KMS never destroyed the key: the same cluster added again under the same name serves it.
    await must(lab, { type: 'provider.addStandard', name: 'KMS-Cluster', kmsNodeIds: ['kms-a', 'kms-b'] });
    await must(lab, { type: 'vm.unlock', vmId: 'db-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
  });

  it('locks an NKP VM on a host without TPM when the NKP is gone; restoring the .p12 and re-enabling encryption mode recovers it', async () => {
    const { lab } = await openFlowLab('locked-nkp');
    const nkp = await setUpNkp(lab, 'NKP-open', false);
    await must(lab, { type: 'vm.powerOff', vmId: 'edge-01' });
    await must(lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
    await must(lab, { type: 'provider.remove', providerId: nkp.providerId });
    await must(lab, { type: 'host.reboot', hostId: 'esx-03' }); // no TPM: the KDK is gone from the host with its RAM
    const refusal = await refused(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    expect(refusal.reason).toMatch(/NKP-open/);
    expect(vmView(lab, 'edge-01').locked).not.toBeNull();
    await expect(lab.readGuestFile('edge-01', 'edge.conf')).rejects.toThrow();

    expect(await lab.restoreNkpFromBackup(nkp.p12, BACKUP_PASSWORD)).toMatchObject({ ok: true });
    await must(lab, { type: 'host.enableEncryptionMode', hostId: 'esx-03' });
    expect(vmView(lab, 'edge-01').locked).toBeNull();
    await must(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    await expectGuestData(lab, 'edge-01', EDGE_FILES);
  });
});
