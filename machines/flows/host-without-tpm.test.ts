// Flow 5 (NKP): a host without TPM 2.0 keeps the NKP's KDK only in memory; rebooted while vCenter is down, its
// encrypted VMs cannot power on until vCenter is back. A host with a TPM unseals the KDK and its VMs power on.
import { afterEach, describe, expect, it } from 'vitest';
import { EDGE_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, setUpNkp, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('host reboot while vCenter is down', () => {
  it('blocks the VMs of a host without TPM until vCenter returns; a TPM host carries on', async () => {
    const { lab } = await openFlowLab('no-tpm');
    // Not TPM-only, so that the host without TPM may use it at all.
    const nkp = await setUpNkp(lab, 'NKP-open', false);
    await must(lab, { type: 'vm.powerOff', vmId: 'edge-01' });
    await must(lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
    await must(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    await expectGuestData(lab, 'edge-01', EDGE_FILES);
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-03')!.tpmSealedKeys).toEqual([]);

    await must(lab, { type: 'vcenter.stop' });
    await must(lab, { type: 'host.reboot', hostId: 'esx-03' });
    const blocked = await refused(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    expect(blocked.reason).toMatch(/vCenter/);
    expect(vmView(lab, 'edge-01').power).toBe('off');
    await expect(lab.readGuestFile('edge-01', 'edge.conf')).rejects.toThrow();

    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-01')!.ramKeys.some((k) => k.level === 'KDK')).toBe(true);
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');

    await must(lab, { type: 'vcenter.start' });
    if (vmView(lab, 'edge-01').locked) await must(lab, { type: 'vm.unlock', vmId: 'edge-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    await expectGuestData(lab, 'edge-01', EDGE_FILES);
  });

  it('refuses a TPM-only NKP on a host without TPM 2.0', async () => {
    const { lab } = await openFlowLab('tpm-only');
    const nkp = await setUpNkp(lab, 'NKP-1', true);
    await must(lab, { type: 'vm.powerOff', vmId: 'edge-01' });
    const refusal = await refused(lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
    expect(refusal.reason).toMatch(/TPM/);
    expect(vmView(lab, 'edge-01').encryption).toBeNull();
    await must(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    await expectGuestData(lab, 'edge-01', EDGE_FILES);
  });
});
