// vSphere's rules as refusals: each with a code the UI can branch on and a reason the learner reads.
import { describe, expect, it } from 'vitest';
import { ok, openTestLab, vmOf } from '../session/lab-test-support';

describe('refusals', () => {
  it('snapshots block encryption and deep re-key but not a shallow re-key', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.takeSnapshot', vmId: 'app-01' });
    expect(await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' })).toMatchObject({ ok: false, code: 'VM_HAS_SNAPSHOTS' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'vm.takeSnapshot', vmId: 'db-01' });
    expect(await lab.dispatch({ type: 'vm.rekeyDeep', vmId: 'db-01' })).toMatchObject({ ok: false, code: 'VM_HAS_SNAPSHOTS' });
    await ok(lab, { type: 'vm.rekeyShallow', vmId: 'db-01' });
    await ok(lab, { type: 'vm.deleteSnapshots', vmId: 'app-01' });
    await ok(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    lab.dispose();
  });

  it('encryption and a vTPM need a default key provider', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'provider.remove', providerId: 'KMS-Cluster' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const encrypt = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(encrypt).toMatchObject({ ok: false, code: 'NO_DEFAULT_PROVIDER' });
    if (!encrypt.ok) expect(encrypt.reason).toMatch(/no default key provider/);
    expect(await lab.dispatch({ type: 'vm.addVtpm', vmId: 'app-01' })).toMatchObject({ ok: false, code: 'NO_DEFAULT_PROVIDER' });
    expect(vmOf(lab, 'app-01')).toMatchObject({ encryption: null, vtpm: false });
    lab.dispose();
  });

  it('a locked VM cannot power on, and the refusal names its UnavailableKeyReason', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-02' });
    const first = await lab.dispatch({ type: 'vm.powerOn', vmId: 'web-01' });
    expect(first).toMatchObject({ ok: false, code: 'VM_LOCKED' });
    expect(vmOf(lab, 'web-01').locked?.reason).toBe('KeyStateClusterUnreachable');
    const again = await lab.dispatch({ type: 'vm.powerOn', vmId: 'web-01' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.reason).toContain('KeyStateClusterUnreachable');
    expect(lab.getView().events.some((e) => e.eventTypeId === 'com.vmware.vc.vm.Crypto.VMLocked.KMSClusterError')).toBe(true);
    await ok(lab, { type: 'kms.restore', kmsId: 'kms-b' });
    await ok(lab, { type: 'vm.unlock', vmId: 'web-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'web-01' });
    expect(await lab.readGuestFile('web-01', 'index.html')).toContain('Welcome');
    lab.dispose();
  });

  it('a host running encrypted VMs cannot leave encryption mode; an empty one goes pendingIncapable until reboot', async () => {
    const { lab } = await openTestLab();
    expect(await lab.dispatch({ type: 'host.disableEncryptionMode', hostId: 'esx-01' })).toMatchObject({ ok: false, code: 'ENCRYPTED_VMS_ON_HOST' });
    await ok(lab, { type: 'host.enableEncryptionMode', hostId: 'esx-03' });
    await ok(lab, { type: 'host.disableEncryptionMode', hostId: 'esx-03' });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-03')!.cryptoState).toBe('pendingIncapable');
    await ok(lab, { type: 'host.reboot', hostId: 'esx-03' });
    expect(lab.getView().hosts.find((h) => h.id === 'esx-03')!.cryptoState).toBe('incapable');
    lab.dispose();
  });

  it('nothing but the host client works without vCenter', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'vcenter.destroy' });
    expect(await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' })).toMatchObject({ ok: false, code: 'VCENTER_DESTROYED' });
    expect(await lab.dispatch({ type: 'provider.addNative', name: 'N', tpmOnly: true })).toMatchObject({ ok: false, code: 'VCENTER_DESTROYED' });
    // Powering a VM off and on on its host needs no vCenter (the key stays in the host's memory).
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await lab.dispatch({ type: 'vcenter.destroy' })).toMatchObject({ ok: false, code: 'VCENTER_DESTROYED' });
    lab.dispose();
  });
});
