// Flow 5 (NKP): a host keeps the NKP's KDK in its encrypted configuration on its boot device, with or without a TPM
// (NKP Q&A: "Are encryption keys persisted across ESXi reboots? Functionally yes"). Rebooted while vCenter is down
// (or gone), either kind of host starts its NKP-encrypted VMs alone. (It used to say the host without a TPM could
// not: material 000's claim, which VMware's documentation contradicts.) A TPM-only NKP never reaches it at all.
import { afterEach, describe, expect, it } from 'vitest';
import { EDGE_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, setUpNkp, vmView } from './flow-support';

afterEach(closeFlowLabs);

describe('host reboot while vCenter is down', () => {
  it('a host without a TPM reads the KDK back from its configuration and starts its NKP VM, as a TPM host does', async () => {
    const { lab } = await openFlowLab('no-tpm');
    // Not TPM-only, so that the host without TPM may use it at all.
    const nkp = await setUpNkp(lab, 'NKP-open', false);
    await must(lab, { type: 'vm.powerOff', vmId: 'edge-01' });
    await must(lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
    await must(lab, { type: 'vm.powerOn', vmId: 'edge-01' });
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
    const esx03 = () => lab.getView().hosts.find((h) => h.id === 'esx-03')!;
    expect(esx03().configuration).toMatchObject({ protection: 'bootDisk', keys: [expect.objectContaining({ keyId: nkp.keyId })] });
    expect(esx03().tpmSealedKeys).toEqual([]);

    await must(lab, { type: 'vcenter.stop' });
    for (const hostId of ['esx-03', 'esx-01']) await must(lab, { type: 'host.reboot', hostId });
    expect(esx03().ramKeys.map((k) => [k.level, k.keyId])).toEqual([['KDK', nkp.keyId]]);
    for (const vmId of ['edge-01', 'db-01']) await must(lab, { type: 'vm.powerOn', vmId });
    await expectGuestData(lab, 'edge-01', EDGE_FILES);
    await expectGuestData(lab, 'db-01');
    expect(vmView(lab, 'edge-01').locked).toBeNull();
  });

  it('with vCenter destroyed too: the host without a TPM starts its NKP VM after a reboot', async () => {
    const { lab } = await openFlowLab('no-tpm-gone');
    const nkp = await setUpNkp(lab, 'NKP-open', false);
    await must(lab, { type: 'vm.powerOff', vmId: 'edge-01' });
    await must(lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
    await must(lab, { type: 'vcenter.destroy' });
    await must(lab, { type: 'host.reboot', hostId: 'esx-03' });
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
