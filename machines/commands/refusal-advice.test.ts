// Refusals say what to do next where there is something to do: "TPM2 Device is Required" names the hosts with a TPM
// and the option that allows hosts without one, an NKP not backed up says to back it up, a powered-off host or VM says
// to power it on, encrypted VMs block disabling encryption mode until decrypted or moved, a restore onto an existing
// provider says whether it is the same one or must be removed first.
import { describe, expect, it } from 'vitest';
import { ok, openTestLab } from '../session/lab-test-support';

describe('refusals with a next step', () => {
  it('TPM2 Device is Required names the hosts that have a TPM, and the fix: the same provider restored without the TPM-only option', async () => {
    const { lab } = await openTestLab({ labId: 'advice-tpm' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await lab.exportNkpBackup('NKP-1', 'Advice-Test-2024!');
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const refused = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-1' });
    expect(refused).toMatchObject({ ok: false, code: 'TPM_REQUIRED' });
    expect(!refused.ok && refused.reason).toMatch(/^TPM2 Device is Required: .* esx-03\.lab\.local has no TPM 2\.0\. /);
    expect(!refused.ok && refused.reason).toContain(
      'Use a host with TPM 2.0 (esx-01.lab.local, esx-02.lab.local), or restore NKP-1 from its .p12 without “Use key provider only with TPM protected ESXi hosts”',
    );
    lab.dispose();
  });

  it('following that advice works: NKP-1 removed and restored from its .p12 unticked, the host without a TPM encrypts with the same KDK', async () => {
    const { lab } = await openTestLab({ labId: 'advice-tpm-fix' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    const { bytes } = await lab.exportNkpBackup('NKP-1', 'Advice-Test-2024!');
    const keyId = lab.getView().vcenter!.keyProviders.find((p) => p.id === 'NKP-1')!;
    await ok(lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: 'NKP-1' });
    // Restoring over itself with only the option changed says how to change it.
    expect(await lab.restoreNkpFromBackup(bytes, 'Advice-Test-2024!', { tpmOnly: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/remove it .*then restore it again with the option unticked/) });
    await ok(lab, { type: 'provider.remove', providerId: 'NKP-1' });
    expect(await lab.restoreNkpFromBackup(bytes, 'Advice-Test-2024!', { tpmOnly: false })).toMatchObject({ ok: true, message: expect.stringContaining('now usable on hosts without a TPM too') });
    const restored = lab.getView().vcenter!.keyProviders.find((p) => p.id === 'NKP-1')!;
    expect(restored).toMatchObject({ kind: 'native', tpmOnly: false, keyId: keyId.kind === 'native' ? keyId.keyId : '' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-1' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(await lab.readGuestFile('app-01', 'notes.txt')).toContain('Application server');
    // db-01 keeps its key: the same KDK derives it.
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    lab.dispose();
  });

  it('an NKP not backed up says to back it up, and where', async () => {
    const { lab } = await openTestLab({ labId: 'advice-backup' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const refused = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-1' });
    expect(refused).toMatchObject({ ok: false, code: 'NKP_NOT_BACKED_UP', reason: expect.stringContaining('Back it up first (Key Providers > Back up NKP-1…)') });
    lab.dispose();
  });

  it('a VM whose host is off, or a guest write to a VM that is off, says to power it on', async () => {
    const { lab } = await openTestLab({ labId: 'advice-power' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    expect(await lab.dispatch({ type: 'guest.writeFile', vmId: 'app-01', name: 'a.txt', text: 'x' })).toMatchObject({
      ok: false,
      code: 'VM_POWERED_OFF',
      reason: expect.stringMatching(/Power it on first\.$/),
    });
    await ok(lab, { type: 'host.powerOff', hostId: 'esx-03' });
    expect(await lab.dispatch({ type: 'vm.powerOn', vmId: 'app-01' })).toMatchObject({
      ok: false,
      code: 'HOST_OFF',
      reason: 'Host esx-03.lab.local is powered off. Power it on first, or choose another host.',
    });
    lab.dispose();
  });

  it('encryption mode cannot be disabled under encrypted VMs: decrypt or move them first', async () => {
    const { lab } = await openTestLab({ labId: 'advice-mode' });
    expect(await lab.dispatch({ type: 'host.disableEncryptionMode', hostId: 'esx-01' })).toMatchObject({
      ok: false,
      code: 'ENCRYPTED_VMS_ON_HOST',
      reason: expect.stringMatching(/\(db-01\): its encryption mode cannot be disabled\. Decrypt them, or move them to another host, first\.$/),
    });
    lab.dispose();
  });

  it('restoring onto an existing provider says whether it is the same one or must be removed first', async () => {
    const { lab } = await openTestLab({ labId: 'advice-restore' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    const { bytes } = await lab.exportNkpBackup('NKP-1', 'Advice-Test-2024!');
    const same = await lab.restoreNkpFromBackup(bytes, 'Advice-Test-2024!');
    expect(same).toMatchObject({ ok: false, code: 'PROVIDER_EXISTS', reason: expect.stringContaining('It is the one in this backup (same key ID): there is nothing to restore.') });
    await ok(lab, { type: 'provider.remove', providerId: 'NKP-1' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    const other = await lab.restoreNkpFromBackup(bytes, 'Advice-Test-2024!');
    expect(other).toMatchObject({ ok: false, code: 'PROVIDER_EXISTS', reason: expect.stringMatching(/It is not the one in this backup \(key ID [0-9a-f-]{36}\): remove it first \(Key Providers > Remove NKP-1…\), then restore\.$/) });
    lab.dispose();
  });
});
