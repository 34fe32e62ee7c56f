// Native Key Provider through the lab API: backup before use, TPM-only rules, migration from the KMS, doomsdays.
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestLabs, hostOf, ok, openTestLab, vmOf } from '../session/lab-test-support';
import type { Lab } from '../lab-types';

afterEach(closeTestLabs);

async function setUpNkp(lab: Lab, tpmOnly = true) {
  await ok(lab, { type: 'provider.addNative', name: 'NKP-01', tpmOnly });
  const backup = await lab.exportNkpBackup('NKP-01', 'S3cret!');
  await ok(lab, { type: 'provider.setDefault', providerId: 'NKP-01' });
  return backup;
}

/** The starter lab with NKP-01 set up (setUpNkp) and db-01 moved onto it by a shallow re-key; and NKP-01's backup. */
async function labWithDb01OnNkp(tpmOnly = true) {
  const { lab } = await openTestLab();
  const backup = await setUpNkp(lab, tpmOnly);
  await ok(lab, { type: 'vm.rekeyShallow', vmId: 'db-01' });
  return { lab, backup };
}

describe('Native Key Provider', () => {
  it('cannot be used before it is backed up; backup makes it active and pushes the KDK to TPM hosts only', async () => {
    const { lab } = await openTestLab();
    await ok(lab, { type: 'provider.addNative', name: 'NKP-01', tpmOnly: true });
    const nkp = () => lab.getView().vcenter!.keyProviders.find((p) => p.id === 'NKP-01')!;
    expect(nkp()).toMatchObject({ status: 'notBackedUp', health: 'error', healthMessage: 'Key provider NKP-01 requires backup.' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const early = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-01' });
    expect(early).toEqual({ ok: false, code: 'NKP_NOT_BACKED_UP', reason: 'Key provider NKP-01 requires backup. Back it up first (Key Providers > Back up NKP-01…): until then vCenter cannot use it.' });

    const { fileName, bytes } = await lab.exportNkpBackup('NKP-01', 'pw');
    expect(fileName).toMatch(/\.p12$/);
    expect(bytes.length).toBeGreaterThan(100);
    expect(nkp()).toMatchObject({ status: 'active', backedUp: true });
    if (nkp().kind === 'native') expect((nkp() as { hostsWithKdk: string[] }).hostsWithKdk.sort()).toEqual(['esx-01', 'esx-02']);
    expect(hostOf(lab, 'esx-01').tpmSealedKeys).toHaveLength(1);
    expect(hostOf(lab, 'esx-03').ramKeys.some((k) => k.level === 'KDK')).toBe(false);

    // app-01 lives on esx-03, which has no TPM.
    const tpm = await lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-01' });
    expect(tpm.ok).toBe(false);
    if (!tpm.ok) expect(tpm.reason).toContain('TPM2 Device is Required');
  });

  it('migrates VMs from the KMS by shallow (running) and deep (off) re-key; the KMS can then go', async () => {
    const { lab } = await openTestLab();
    await setUpNkp(lab);
    const dekBefore = vmOf(lab, 'db-01').encryption!.dekFingerprint;
    await ok(lab, { type: 'vm.rekeyShallow', vmId: 'db-01' });
    expect(vmOf(lab, 'db-01')).toMatchObject({ power: 'on', encryption: { providerId: 'NKP-01', providerKind: 'native', dekFingerprint: dekBefore } });

    const deepOn = await lab.dispatch({ type: 'vm.rekeyDeep', vmId: 'web-01' });
    expect(deepOn).toMatchObject({ ok: false, code: 'VM_POWERED_ON' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'web-01' });
    const webDek = vmOf(lab, 'web-01').encryption!.dekFingerprint;
    await ok(lab, { type: 'vm.rekeyDeep', vmId: 'web-01' });
    expect(vmOf(lab, 'web-01').encryption).toMatchObject({ providerId: 'NKP-01' });
    expect(vmOf(lab, 'web-01').encryption!.dekFingerprint).not.toBe(webDek);

    await ok(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await ok(lab, { type: 'kms.down', kmsId: 'kms-b' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'web-01' });
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Alan Turing');
    expect(await lab.readGuestFile('web-01', 'index.html')).toBe('<h1>Welcome to the lab shop</h1>\n');
  });

  it('doomsday A: vCenter lost with VMs on; new vCenter, .p12 restored, hosts re-added, key database repopulated', async () => {
    const { lab, backup } = await labWithDb01OnNkp();
    const keyId = vmOf(lab, 'db-01').encryption!.keyId;
    await ok(lab, { type: 'guest.writeFile', vmId: 'db-01', name: 'orders.txt', text: 'order 42' });

    await ok(lab, { type: 'vcenter.destroy' });
    expect(lab.getView().vcenter).toBeNull();
    await ok(lab, { type: 'vcenter.deploy' });
    expect(lab.getView().vcenter).toMatchObject({ generation: 2, hostIds: [], keyProviders: [], keyDatabase: [] });

    const wrong = await lab.restoreNkpFromBackup(backup.bytes, 'wrong');
    expect(wrong).toMatchObject({ ok: false, code: 'P12_WRONG_PASSWORD' });
    const corrupt = await lab.restoreNkpFromBackup(backup.bytes.slice(0, 40), 'S3cret!');
    expect(corrupt).toMatchObject({ ok: false, code: 'P12_CORRUPT' });
    expect(lab.getView().vcenter!.keyProviders).toEqual([]);
    await ok(lab, { type: 'host.add', hostId: 'esx-01' });
    const restored = await lab.restoreNkpFromBackup(backup.bytes, 'S3cret!');
    expect(restored.ok).toBe(true);
    const nkp = lab.getView().vcenter!.keyProviders.find((p) => p.id === 'NKP-01');
    expect(nkp).toMatchObject({ kind: 'native', name: 'NKP-01' });
    expect(lab.getView().vcenter!.keyDatabase.map((e) => e.keyId)).toContain(keyId);

    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await lab.readGuestFile('db-01', 'orders.txt')).toBe('order 42');
  });

  it('doomsday B: vCenter lost with VMs off; restored NKP; VMs registered from the datastore power on', async () => {
    const { lab, backup } = await labWithDb01OnNkp();
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    const keyId = vmOf(lab, 'db-01').encryption!.keyId;
    await ok(lab, { type: 'vcenter.destroy' });
    await ok(lab, { type: 'host.powerOff', hostId: 'esx-01' });
    await ok(lab, { type: 'host.powerOn', hostId: 'esx-01' });
    await ok(lab, { type: 'vcenter.deploy' });
    expect((await lab.restoreNkpFromBackup(backup.bytes, 'S3cret!')).ok).toBe(true);
    await ok(lab, { type: 'host.add', hostId: 'esx-02' });
    await ok(lab, { type: 'vm.unregister', vmId: 'web-01' }).catch(() => undefined);
    const folder = vmOf(lab, 'db-01').folder;
    await ok(lab, { type: 'vm.register', datastoreId: 'ds-shared-01', folder, hostId: 'esx-02' });
    expect(lab.getView().vcenter!.keyDatabase.find((e) => e.keyId === keyId)).toBeTruthy();
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
  });

  it('without the backup the data stays unreadable after vCenter is lost, and the lab says so', async () => {
    const { lab } = await labWithDb01OnNkp();
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    await ok(lab, { type: 'vcenter.destroy' });
    // Nothing of the KDK is left on the hosts: their TPMs cleared, no recovery key kept, ESXi reinstalled on both.
    for (const hostId of ['esx-01', 'esx-02']) await ok(lab, { type: 'host.clearTpm', hostId });
    for (const hostId of ['esx-01', 'esx-02']) await ok(lab, { type: 'host.reinstall', hostId });
    await ok(lab, { type: 'vcenter.deploy' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-01', tpmOnly: true });
    await lab.exportNkpBackup('NKP-01', 'new');
    await ok(lab, { type: 'host.add', hostId: 'esx-02' });
    const reg = await ok(lab, { type: 'vm.register', datastoreId: 'ds-shared-01', folder: vmOf(lab, 'db-01').folder, hostId: 'esx-02' });
    expect(reg).toMatch(/locked/);
    expect(vmOf(lab, 'db-01').locked).not.toBeNull();
    const on = await lab.dispatch({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(on).toMatchObject({ ok: false, code: 'VM_LOCKED' });
    await expect(lab.readGuestFile('db-01', 'customers.csv')).rejects.toThrow(/ciphertext/);
    const sectors = await lab.readDiskSectors('db-01', 0, 1);
    expect(sectors.plaintext).toBeNull();
    expect(sectors.plaintextUnavailableReason).toBeTruthy();
  });

  it('rebooted while vCenter is down, a host powers on its NKP VMs with or without a TPM (the KDK is in its configuration)', async () => {
    const { lab } = await labWithDb01OnNkp(false);
    // app-01 runs on esx-03, the host without a TPM.
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await ok(lab, { type: 'vcenter.stop' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-03' });
    await ok(lab, { type: 'host.reboot', hostId: 'esx-01' });
    await ok(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(await lab.readGuestFile('app-01', 'notes.txt')).toContain('Application server');
    await ok(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await lab.readGuestFile('db-01', 'customers.csv')).toContain('Ada');
  });
});
