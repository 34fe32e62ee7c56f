// The recovery status over real lab states: safe with vCenter and TPM, at risk when vCenter is gone without a TPM
// seal (standard provider), when the NKP is missing from a new vCenter, and once a VM is locked.
import { afterEach, describe, expect, it } from 'vitest';
import { closeFlowLabs, must, openFlowLab, setUpNkp } from '../flows/flow-support';
import { recoveryStatus } from './recovery-status';

afterEach(closeFlowLabs);

describe('recovery status', () => {
  it('lists every encrypted VM with its key, its holders and whether it survives a reboot', async () => {
    const { lab } = await openFlowLab('recovery-status');
    const rows = recoveryStatus(lab.getView());
    expect(rows.map((r) => r.vmId).sort()).toEqual(['db-01', 'web-01']); // plain VMs are not listed
    const db = rows.find((r) => r.vmId === 'db-01')!;
    expect(db).toMatchObject({ providerName: 'KMS-Cluster', keyInVcenter: true, hostsHolding: ['esx-01.lab.local'], survivesReboot: true, risk: null });

    // Standard provider with vCenter gone: the running VM is fine now, but a reboot would lose it.
    await must(lab, { type: 'vcenter.destroy' });
    const gone = recoveryStatus(lab.getView()).find((r) => r.vmId === 'db-01')!;
    expect(gone).toMatchObject({ keyInVcenter: null, survivesReboot: false, risk: expect.stringMatching(/no vCenter/) });
  });

  it('NKP: a KDK in the host’s encrypted configuration survives without vCenter; a new vCenter without the provider is flagged', async () => {
    const { lab } = await openFlowLab('recovery-status-nkp');
    const nkp = await setUpNkp(lab, 'NKP-1', true);
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
    await must(lab, { type: 'vcenter.destroy' });
    expect(recoveryStatus(lab.getView()).find((r) => r.vmId === 'db-01')).toMatchObject({ survivesReboot: true, risk: null });
    await must(lab, { type: 'vcenter.deploy' });
    await must(lab, { type: 'host.add', hostId: 'esx-01' });
    // Still sealed in esx-01's TPM, but this vCenter has no NKP-1: it would not start the VM again, whatever the host
    // holds (vSphere checks the VM's provider first); vCenter's key database does not have the key either.
    const row = recoveryStatus(lab.getView()).find((r) => r.vmId === 'db-01')!;
    expect(row).toMatchObject({ keyInVcenter: false, survivesReboot: false, risk: expect.stringMatching(/will not start the VM again whatever its host holds/) });
    // A cleared TPM: the host stops at boot, its configuration locked until the recovery key is given.
    await must(lab, { type: 'host.clearTpm', hostId: 'esx-01' });
    const cleared = recoveryStatus(lab.getView()).find((r) => r.vmId === 'db-01')!;
    expect(cleared).toMatchObject({ survivesReboot: false, risk: expect.stringMatching(/stops at boot: its TPM was cleared/) });
  });

  it('lists a VM whose VM home only is encrypted (a vTPM) with its key', async () => {
    const { lab } = await openFlowLab('recovery-status-vtpm');
    await must(lab, { type: 'vm.addVtpm', vmId: 'app-01' });
    const keyId = lab.getView().vms.find((vm) => vm.id === 'app-01')!.homeEncryption!.keyId;
    expect(recoveryStatus(lab.getView()).find((r) => r.vmId === 'app-01')).toMatchObject({ keyId, providerName: 'KMS-Cluster', keyInVcenter: true, survivesReboot: true });
  });
});
