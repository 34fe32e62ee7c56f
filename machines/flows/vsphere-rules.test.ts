// Three behaviours where the lab must follow vSphere (issue 10): NKP keys are derived from the KDK, so a new NKP under
// the same name does not take the old one's keys; a vCenter without the VM's key provider does not power it on,
// whatever its hosts still hold; a vTPM really encrypts the VM home. Headless, through the public lab API.
import { afterEach, describe, expect, it } from 'vitest';
import { getKey } from '@/lib/storage';
import { hostRamRow, tpmSealingKeyRow, vcenterKdkRow } from '../keys/key-vault-ids';
import {
  APP_FILES,
  BACKUP_PASSWORD,
  closeFlowLabs,
  expectGuestData,
  flowScenario,
  must,
  openFlowLab,
  openNkpFlowLab,
  providerOf,
  refused,
  setUpNkp,
  vmView,
  vmxOf,
} from './flow-support';

afterEach(closeFlowLabs);

type FlowLab = Awaited<ReturnType<typeof openFlowLab>>['lab'];

const lockedEvents = (lab: FlowLab, vmId: string) => lab.getView().events.filter((e) => e.eventTypeId.startsWith('com.vmware.vc.vm.Crypto.VMLocked') && e.objectId === vmId);

describe('a new NKP under the same name is not the old one', () => {
  it('does not take the old NKP’s keys from the hosts’ reports, says why, and the VM opens only once the original .p12 is back', async () => {
    const { lab, nkp: old } = await openNkpFlowLab('same-name-nkp');
    const keyId = vmView(lab, 'db-01').encryption!.keyId;

    await must(lab, { type: 'vcenter.destroy' });
    await must(lab, { type: 'vcenter.deploy' });
    // The learner's mistake: a new provider with the same name instead of "Restore from backup".
    const impostor = await setUpNkp(lab, 'NKP-1', true);
    expect(impostor.keyId).not.toBe(old.keyId);
    const added = await must(lab, { type: 'host.add', hostId: 'esx-01' });
    const reason = `this key belongs to Native Key Provider NKP-1 with key ID ${old.keyId}; the provider here has key ID ${impostor.keyId}: restore the original backup`;
    expect(added).toContain('key report(s) refused');
    expect(added).toContain(reason);
    expect(lab.getView().events.some((e) => e.objectId === 'esx-01' && e.message.includes(reason))).toBe(true);
    // Its key database lists no key it could never open.
    expect(lab.getView().vcenter!.keyDatabase.map((e) => e.keyId)).not.toContain(keyId);
    // The key map still hangs the VM's KEK under the KDK it came from, not under the new provider of the same name.
    expect(lab.getView().keyMap.find((k) => k.keyId === keyId)).toMatchObject({ derivedFrom: old.keyId, wrappedBy: null });

    // The VM still runs on its host's keys; stopped, this vCenter will not start it again.
    await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    const refusal = await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(refusal.reason).toContain(reason);
    expect(vmView(lab, 'db-01')).toMatchObject({ power: 'off', locked: { reason: 'KeyStateMissingInCache' } });

    // The fix the reason names: the original backup, under the same name, then unlock.
    await must(lab, { type: 'provider.remove', providerId: impostor.providerId });
    expect(await lab.restoreNkpFromBackup(old.p12, BACKUP_PASSWORD)).toMatchObject({ ok: true });
    expect(lab.getView().vcenter!.keyDatabase).toContainEqual(expect.objectContaining({ keyId, providerId: 'NKP-1' }));
    await must(lab, { type: 'vm.unlock', vmId: 'db-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
  });
});

describe('a vCenter without the VM’s key provider', () => {
  it('does not power on an NKP VM that was off when vCenter was lost, though the hosts’ TPMs still hold the KDK; restoring the .p12 and unlocking does', async () => {
    const { lab, nkp } = await openNkpFlowLab('no-provider');
    await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });

    await must(lab, { type: 'vcenter.destroy' });
    await must(lab, { type: 'vcenter.deploy' });
    expect(lab.getView().vcenter!.keyProviders).toEqual([]);
    const added = await must(lab, { type: 'host.add', hostId: 'esx-01' });
    // The host still holds the KDK (RAM, TPM): what it holds does not decide; vCenter's providers do.
    const esx01 = lab.getView().hosts.find((h) => h.id === 'esx-01')!;
    expect(esx01.tpmSealedKeys.map((k) => k.keyId)).toContain(nkp.keyId);
    expect(esx01.ramKeys.map((k) => k.keyId)).toContain(nkp.keyId);

    // Shown locked as soon as this vCenter has it, with the reason and the fix.
    expect(added).toContain('Locked (vCenter cannot serve their keys): db-01');
    const locked = vmView(lab, 'db-01').locked!;
    expect(locked.message).toContain('key provider NKP-1, which is not configured in vCenter');
    expect(locked.message).toContain('Restore that provider from its backup under the same name');
    expect(locked.message).toContain('then unlock the VM');
    expect(lockedEvents(lab, 'db-01')).toHaveLength(1);
    const refusal = await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(refusal.code).toBe('VM_LOCKED');
    expect(vmView(lab, 'db-01').power).toBe('off');

    // Unlocking before the provider is back is refused; restoring the backup alone does not start it either.
    expect((await refused(lab, { type: 'vm.unlock', vmId: 'db-01' })).reason).toContain('not configured');
    const restored = await lab.restoreNkpFromBackup(nkp.p12, BACKUP_PASSWORD);
    expect(restored).toMatchObject({ ok: true, message: expect.stringContaining('Locked VM(s) with its keys: db-01; unlock them') });
    await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await must(lab, { type: 'vm.unlock', vmId: 'db-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
  });

  it('leaves the host’s own rules to a VM powered on at the host (no vCenter): its TPM-sealed KDK derives the key', async () => {
    const { lab } = await openNkpFlowLab('host-direct');
    await must(lab, { type: 'vcenter.destroy' });
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' }); // RAM cleared; the TPM unseals the KDK at boot
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
  });
});

describe('a vTPM is real', () => {
  it('encrypts the VM home: its key in vCenter’s key database and on the key map, an encrypted .nvram, the disks left plain', async () => {
    const scenario = flowScenario();
    // A plain VM beside it on the same host.
    scenario.vms.push({ id: 'tools-01', name: 'tools-01', datastoreId: 'ds-1', hostId: 'esx-01', power: 'off', diskSizeBytes: 1024 * 1024, encryptWith: null, guestFiles: [{ name: 'readme.txt', text: 'tools\n' }] });
    const { lab } = await openFlowLab('vtpm', scenario);
    const message = await must(lab, { type: 'vm.addVtpm', vmId: 'app-01' });
    expect(message).toContain('VM home only');

    const vm = vmView(lab, 'app-01');
    expect(vm).toMatchObject({ vtpm: true, encryption: null, homeEncryption: { providerId: 'KMS-Cluster', providerKind: 'standard' } });
    const keyId = vm.homeEncryption!.keyId;
    expect(lab.getView().vcenter!.keyDatabase).toContainEqual({ keyId, providerId: 'KMS-Cluster', vmId: 'app-01' });
    const onMap = lab.getView().keyMap.find((k) => k.keyId === keyId)!;
    expect(onMap.places).toContainEqual({ kind: 'vm-files', objectId: 'app-01', form: 'key-id' });
    expect(onMap.places.some((p) => p.kind === 'kms')).toBe(true);

    // The datastore shows an .nvram that is only ciphertext, and a .vmx with the encryption fields.
    const files = await lab.listDatastoreFiles(vm.datastoreId, vm.folder);
    const nvram = files.find((f) => f.kind === 'nvram')!;
    expect(nvram.path).toBe('app-01/app-01.nvram');
    const nvramText = await lab.readDatastoreFile(vm.datastoreId, nvram.path);
    expect(nvramText).toMatch(/^encryption\.nvram = "[A-Za-z0-9+/=]{200,}"$/m);
    expect(nvramText).toContain(`encryption.keyId = "${keyId}"`);
    expect(nvramText).not.toMatch(/seed/i);
    const vmx = await vmxOf(lab, 'app-01');
    expect(vmx).toContain('vtpm.present = "TRUE"');
    expect(vmx).toContain(`encryption.keySafe = "vmware:key/list/(pair/(fqid/<VMWARE-NULL>/KMS-Cluster/${keyId}`);
    expect(vmx).toMatch(/^encryption\.data = "/m);
    // VM home only: the disk is not encrypted, its guest files read with no key.
    await expectGuestData(lab, 'app-01', APP_FILES);
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });

    // Every copy of the key gone: destroyed on the KMS, and the host's memory cleared.
    await must(lab, { type: 'kms.destroyKey', kmsId: 'kms-a', keyId });
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    const refusal = await refused(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(refusal.code).toBe('VM_LOCKED');
    expect(vmView(lab, 'app-01')).toMatchObject({ power: 'off', locked: { reason: 'KeyStateMissingInKMS' } });
    expect(lockedEvents(lab, 'app-01')).toHaveLength(1);
    // The plain VM beside it starts.
    await must(lab, { type: 'vm.powerOn', vmId: 'tools-01' });
    expect(vmView(lab, 'tools-01').power).toBe('on');
  });

  it('gives a scenario’s vTPM VM a sealed .nvram under a key of the default provider when the lab is built', async () => {
    const scenario = flowScenario();
    scenario.vms.find((vm) => vm.id === 'app-01')!.vtpm = true;
    const { lab } = await openFlowLab('vtpm-scenario', scenario);
    const vm = vmView(lab, 'app-01');
    expect(vm).toMatchObject({ vtpm: true, encryption: null, homeEncryption: { providerId: 'KMS-Cluster' } });
    expect(lab.getView().vcenter!.keyDatabase).toContainEqual({ keyId: vm.homeEncryption!.keyId, providerId: 'KMS-Cluster', vmId: 'app-01' });
    expect(await lab.readDatastoreFile('ds-1', 'app-01/app-01.nvram')).toContain(`encryption.keyId = "${vm.homeEncryption!.keyId}"`);
  });

  it('uses the VM’s own key when its disks are encrypted, re-seals the .nvram on a re-key, keeps the VM home encrypted when the disks are decrypted, and destroys the .nvram with the vTPM', async () => {
    const { lab } = await openFlowLab('vtpm-nkp');
    const nkp = await setUpNkp(lab, 'NKP-1', true);
    await must(lab, { type: 'provider.setDefault', providerId: 'KMS-Cluster' });
    // The provider named, not the default.
    await must(lab, { type: 'vm.addVtpm', vmId: 'app-01', providerId: nkp.providerId });
    const home = vmView(lab, 'app-01').homeEncryption!;
    expect(home).toMatchObject({ providerId: nkp.providerId, providerKind: 'native' });
    expect(await vmxOf(lab, 'app-01')).toContain(`keylab.nkpKeyId = "${nkp.keyId}"`);
    const nvramPath = 'app-01/app-01.nvram';
    const before = await lab.readDatastoreFile('ds-1', nvramPath);

    // Encrypting the disks too: the same key for the VM home and its disks.
    await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    expect(vmView(lab, 'app-01').encryption!.keyId).toBe(home.keyId);
    expect(await lab.readDatastoreFile('ds-1', nvramPath)).toBe(before);
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);

    // A shallow re-key moves the VM home (the .nvram sealed again) and the disks to the new key.
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'app-01', providerId: 'KMS-Cluster' });
    const rekeyed = vmView(lab, 'app-01');
    expect(rekeyed.homeEncryption!.keyId).toBe(rekeyed.encryption!.keyId);
    expect(rekeyed.homeEncryption!.keyId).not.toBe(home.keyId);
    const after = await lab.readDatastoreFile('ds-1', nvramPath);
    expect(after).not.toBe(before);
    expect(after).toContain(`encryption.keyId = "${rekeyed.homeEncryption!.keyId}"`);
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });

    // Decrypting takes the disks only: the vTPM keeps its VM home encrypted, and vCenter keeps the key.
    expect(await must(lab, { type: 'vm.decrypt', vmId: 'app-01' })).toContain('stays encrypted');
    const decrypted = vmView(lab, 'app-01');
    expect(decrypted.encryption).toBeNull();
    expect(decrypted.homeEncryption!.keyId).toBe(rekeyed.homeEncryption!.keyId);
    expect(lab.getView().vcenter!.keyDatabase.map((e) => e.keyId)).toContain(decrypted.homeEncryption!.keyId);
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await must(lab, { type: 'vm.powerOff', vmId: 'app-01' });

    // A VM home alone is re-keyed too (the .nvram sealed again); a deep re-key needs encrypted disks.
    await must(lab, { type: 'vm.rekeyShallow', vmId: 'app-01', providerId: nkp.providerId });
    const homeOnly = vmView(lab, 'app-01').homeEncryption!;
    expect(homeOnly).toMatchObject({ providerId: nkp.providerId });
    expect(await lab.readDatastoreFile('ds-1', nvramPath)).toContain(`encryption.keyId = "${homeOnly.keyId}"`);
    expect((await refused(lab, { type: 'vm.rekeyDeep', vmId: 'app-01' })).reason).toContain('shallow re-key');
    // While the vTPM is there, its VM home cannot be decrypted.
    expect((await refused(lab, { type: 'vm.decrypt', vmId: 'app-01' })).reason).toContain('remove the vTPM first');

    // Removing the vTPM destroys its secrets; the VM home stays encrypted until it is decrypted.
    expect(await must(lab, { type: 'vm.removeVtpm', vmId: 'app-01' })).toContain('stays encrypted');
    const files = await lab.listDatastoreFiles('ds-1', 'app-01');
    expect(files.some((f) => f.kind === 'nvram')).toBe(false);
    expect(vmView(lab, 'app-01')).toMatchObject({ vtpm: false, homeEncryption: { keyId: homeOnly.keyId } });
    await must(lab, { type: 'vm.decrypt', vmId: 'app-01' });
    expect(vmView(lab, 'app-01')).toMatchObject({ encryption: null, homeEncryption: null });
    expect(await vmxOf(lab, 'app-01')).not.toContain('encryption.keySafe');
    expect(lab.getView().vcenter!.keyDatabase.map((e) => e.keyId)).not.toContain(homeOnly.keyId);
    await must(lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await expectGuestData(lab, 'app-01', APP_FILES);
  });
});

describe('where the KDK can be extracted', () => {
  it('only vCenter’s copy (for the backup); the hosts’ RAM copies, their TPMs’ sealing keys and the KEKs derived from them cannot be', async () => {
    const { lab, db, nkp } = await openNkpFlowLab('kdk-extractable');
    const kekId = vmView(lab, 'db-01').encryption!.keyId;
    expect(providerOf(lab.getView(), 'NKP-1')).toMatchObject({ hostsWithKdk: ['esx-01', 'esx-02'] });

    const vcenterCopy = (await getKey(db, vcenterKdkRow(nkp.providerId)))!.key;
    expect(vcenterCopy.extractable).toBe(true);
    for (const hostId of ['esx-01', 'esx-02']) {
      // The configuration on the boot disk holds the KDK only encrypted; the TPM's key that seals it never leaves the TPM.
      for (const row of [hostRamRow(hostId, nkp.keyId), tpmSealingKeyRow(hostId)]) {
        const copy = (await getKey(db, row))!.key;
        expect(copy.extractable, row).toBe(false);
        await expect(crypto.subtle.exportKey('raw', copy)).rejects.toThrow();
      }
    }
    expect((await getKey(db, hostRamRow('esx-01', kekId)))!.key.extractable).toBe(false);
  });
});
