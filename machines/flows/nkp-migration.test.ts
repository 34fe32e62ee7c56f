// Flows 2-4: set up the Native Key Provider, move the VMs from the KMS to it by shallow re-key (VM running, no sector
// rewritten) and by deep re-key (VM off, new DEK), then decommission the KMS: the VMs still power on, data intact.
import { afterEach, describe, expect, it } from 'vitest';
import { closeFlowLabs, expectGuestData, must, openFlowLab, providerOf, refused, setUpNkp, vmView, vmxOf } from './flow-support';

afterEach(closeFlowLabs);

describe('KMS to NKP migration', () => {
  it('refuses the NKP before it is backed up, then migrates by shallow and deep re-key and survives losing the KMS', async () => {
    const { lab } = await openFlowLab('nkp-migrate');

    // Not backed up: cannot be used.
    await must(lab, { type: 'provider.addNative', name: 'NKP-early', tpmOnly: true });
    const early = providerOf(lab.getView(), 'NKP-early')!;
    const notReady = await refused(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: early.id });
    expect(notReady.reason).toMatch(/back(ed)? ?up/i);
    expect(vmView(lab, 'db-01').encryption!.providerId).toBe('KMS-Cluster');
    await must(lab, { type: 'provider.remove', providerId: early.id });

    const nkp = await setUpNkp(lab, 'NKP-1', true);
    expect(providerOf(lab.getView(), 'NKP-1')).toMatchObject({ status: 'active', isDefault: true });

    // Shallow re-key of a running VM: same DEK, new KEK from the NKP.
    const dbBefore = vmView(lab, 'db-01');
    expect(dbBefore.power).toBe('on');
    const storedBefore = (await lab.readDiskSectors('db-01', 0, 4)).stored;
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
    const dbAfter = vmView(lab, 'db-01');
    expect(dbAfter.power).toBe('on');
    expect(dbAfter.encryption).toMatchObject({ providerId: nkp.providerId, providerKind: 'native' });
    expect(dbAfter.encryption!.keyId).not.toBe(dbBefore.encryption!.keyId);
    expect(dbAfter.encryption!.dekFingerprint).toBe(dbBefore.encryption!.dekFingerprint);
    expect((await lab.readDiskSectors('db-01', 0, 4)).stored).toEqual(storedBefore);
    expect(await vmxOf(lab, 'db-01')).toContain(`/NKP-1/${dbAfter.encryption!.keyId},HMAC-SHA-256,`);
    await expectGuestData(lab, 'db-01');

    // Deep re-key needs the VM off.
    const running = await refused(lab, { type: 'vm.rekeyDeep', vmId: 'web-01', providerId: nkp.providerId });
    expect(running.reason).toMatch(/power/i);
    await must(lab, { type: 'vm.powerOff', vmId: 'web-01' });
    const webBefore = vmView(lab, 'web-01');
    const webStored = (await lab.readDiskSectors('web-01', 0, 4)).stored;
    await must(lab, { type: 'vm.rekeyDeep', vmId: 'web-01', providerId: nkp.providerId });
    const webAfter = vmView(lab, 'web-01');
    expect(webAfter.encryption).toMatchObject({ providerId: nkp.providerId, providerKind: 'native' });
    expect(webAfter.encryption!.dekFingerprint).not.toBe(webBefore.encryption!.dekFingerprint);
    expect(webAfter.operation).toBeNull();
    expect((await lab.readDiskSectors('web-01', 0, 4)).stored).not.toEqual(webStored);
    await must(lab, { type: 'vm.powerOn', vmId: 'web-01' });
    await expectGuestData(lab, 'web-01');

    // Decommission the KMS: nodes gone, provider removed. Reboot the hosts: the NKP's KDK is in their TPMs.
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await must(lab, { type: 'provider.remove', providerId: 'KMS-Cluster' });
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await must(lab, { type: 'host.reboot', hostId: 'esx-02' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'web-01' });
    expect(vmView(lab, 'db-01').locked).toBeNull();
    await expectGuestData(lab, 'db-01');
    await expectGuestData(lab, 'web-01');
  });
});
