// The host's encrypted configuration through the Lab API: what a copy of a boot disk gives an attacker (the KDK and a
// readable VM disk without a TPM; nothing with one), a cleared TPM (the host stops at boot) recovered with the kept
// recovery key or not at all (then reinstalled, holding nothing), and the key cache: a standard provider's KEK stays
// in the host's memory across a VM's power cycle and is gone with a host reboot.
import { afterEach, describe, expect, it } from 'vitest';
import { recoveryKeyText } from '@/lib/crypto/host-configuration';
import { readTextFile } from '@/lib/storage';
import { bootDiskStore } from '../keys/key-vault-ids';
import { KEY_FILE_PATH } from '../keys/host-config';
import { DB_FILES, EDGE_FILES, closeFlowLabs, expectGuestData, must, openFlowLab, refused, reopenFlowLab, setUpNkp, vmView } from './flow-support';
import type { Lab } from '../lab-types';

afterEach(closeFlowLabs);

const hostOf = (lab: Lab, id: string) => lab.getView().hosts.find((h) => h.id === id)!;

/** A flow lab whose edge-01 (esx-03, no TPM) and db-01 (esx-01, TPM) run on an NKP that allows hosts without a TPM. */
async function labOnOpenNkp(label: string) {
  const flow = await openFlowLab(label);
  const nkp = await setUpNkp(flow.lab, 'NKP-open', false);
  await must(flow.lab, { type: 'vm.powerOff', vmId: 'edge-01' });
  await must(flow.lab, { type: 'vm.encrypt', vmId: 'edge-01', providerId: nkp.providerId });
  await must(flow.lab, { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: nkp.providerId });
  return { ...flow, nkp };
}

/** The key esxcli lists, from the listing's last line. */
async function listedKey(lab: Lab, hostId: string): Promise<string> {
  const listing = await lab.recoveryKeyListing(hostId);
  expect(listing).toMatch(/^\[root@esx-0\d:~\] esxcli system settings encryption recovery list\nRecovery ID +Key\n/);
  return listing.trim().split('\n').at(-1)!.split(/\s+/)[1]!;
}

describe('a copy of a host’s boot disk', () => {
  it('without a TPM gives the KDK away: the copied VM disk decrypts and its files read', async () => {
    const { lab, db, nkp } = await labOnOpenNkp('copy-no-tpm');
    // What the copy holds: the configuration key lies in encryption.info beside the archive.
    const keyFile = JSON.parse((await readTextFile(db, bootDiskStore('esx-03'), KEY_FILE_PATH))!);
    expect(keyFile).toMatchObject({ mode: 'NONE', configurationKey: expect.any(String) });

    const message = await must(lab, { type: 'host.copyBootDisk', hostId: 'esx-03', vmId: 'edge-01' });
    expect(message).toMatch(/the copied disk decrypts/);
    const copy = hostOf(lab, 'esx-03').bootDiskCopy!;
    expect(copy).toMatchObject({ vmId: 'edge-01', decrypted: true, recoveredKdkIds: [nkp.keyId] });
    // The plaintext came out of the copy with the recovered KDK: the guest's own file, byte for byte.
    expect(copy.guestFile).toEqual({ name: EDGE_FILES[0]!.name, excerpt: EDGE_FILES[0]!.text });
    // The same KDK opens every VM of that provider, whichever host runs it: db-01 too.
    await must(lab, { type: 'host.copyBootDisk', hostId: 'esx-03', vmId: 'db-01' });
    expect(hostOf(lab, 'esx-03').bootDiskCopy).toMatchObject({ decrypted: true, guestFile: { name: DB_FILES[0]!.name, excerpt: DB_FILES[0]!.text } });
    expect(lab.getView().events.at(-1)).toMatchObject({ eventTypeId: 'keylab.host.BootDiskCopied', severity: 'error' });
  });

  it('with a TPM gives nothing: the configuration key is sealed, another TPM cannot unseal it, the disk stays ciphertext', async () => {
    const { lab, db } = await labOnOpenNkp('copy-tpm');
    const keyFile = JSON.parse((await readTextFile(db, bootDiskStore('esx-01'), KEY_FILE_PATH))!);
    expect(keyFile).toMatchObject({ mode: 'TPM', sealedKey: expect.any(String) });
    expect(keyFile.configurationKey).toBeUndefined();

    await must(lab, { type: 'host.copyBootDisk', hostId: 'esx-01', vmId: 'db-01' });
    expect(hostOf(lab, 'esx-01').bootDiskCopy).toMatchObject({ decrypted: false, recoveredKdkIds: [], guestFile: null, outcome: expect.stringMatching(/sealed by its TPM 2.0/) });
  });

  it('without a TPM, a standard provider’s KEK is not on it: it lives only in the key cache', async () => {
    const { lab } = await openFlowLab('copy-standard');
    // web-01 runs on the KMS provider; move it to the host without a TPM.
    await must(lab, { type: 'vm.migrate', vmId: 'web-01', hostId: 'esx-03' });
    await must(lab, { type: 'host.copyBootDisk', hostId: 'esx-03', vmId: 'web-01' });
    expect(hostOf(lab, 'esx-03').bootDiskCopy).toMatchObject({ decrypted: false, recoveredKdkIds: [] });
  });

  it('is refused for a VM that is not encrypted (nothing to break)', async () => {
    const { lab } = await openFlowLab('copy-plain');
    expect(await refused(lab, { type: 'host.copyBootDisk', hostId: 'esx-03', vmId: 'edge-01' })).toMatchObject({ code: 'NOT_ENCRYPTED' });
  });
});

describe('a cleared TPM', () => {
  it('stops the host at boot until its configuration is recovered with the kept recovery key; a wrong key changes nothing', async () => {
    const { lab, nkp } = await labOnOpenNkp('tpm-recover');
    const recoveryId = hostOf(lab, 'esx-01').configuration.recoveryId;
    expect(recoveryId).toMatch(/^\{[0-9A-F-]{36}\}$/);
    const key = await listedKey(lab, 'esx-01');
    expect(key).toMatch(/^(\d{6}-){15}\d{6}$/);
    await must(lab, { type: 'host.keepRecoveryKey', hostId: 'esx-01' });
    expect(hostOf(lab, 'esx-01').configuration).toMatchObject({ recoveryKeyKept: true, keptRecoveryKeyStale: false });

    await must(lab, { type: 'host.clearTpm', hostId: 'esx-01' });
    expect(hostOf(lab, 'esx-01')).toMatchObject({ power: 'off', ramKeys: [], configuration: { locked: true } });
    expect(vmView(lab, 'db-01').power).toBe('off');
    expect(await refused(lab, { type: 'host.powerOn', hostId: 'esx-01' })).toMatchObject({ code: 'HOST_CONFIG_LOCKED', reason: expect.stringMatching(/A security violation was detected/) });

    // A well-formed key that is not this host's: AES-GCM's check fails, nothing changes.
    const wrong = recoveryKeyText(new Uint8Array(32).fill(7));
    expect(await refused(lab, { type: 'host.recoverConfiguration', hostId: 'esx-01', recoveryKey: wrong })).toMatchObject({ code: 'RECOVERY_KEY_WRONG', reason: expect.stringMatching(/Unable to recover the system configuration/) });
    expect(await refused(lab, { type: 'host.recoverConfiguration', hostId: 'esx-01', recoveryKey: '123-456' })).toMatchObject({ code: 'BAD_RECOVERY_KEY' });
    expect(hostOf(lab, 'esx-01').configuration.locked).toBe(true);

    // With vCenter down, so the KDK can only come from the recovered configuration.
    await must(lab, { type: 'vcenter.stop' });
    await must(lab, { type: 'host.recoverConfiguration', hostId: 'esx-01', recoveryKey: key });
    expect(hostOf(lab, 'esx-01')).toMatchObject({ power: 'on', configuration: { locked: false } });
    expect(hostOf(lab, 'esx-01').ramKeys.map((k) => k.keyId)).toContain(nkp.keyId);
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');
    // The TPM's new seed seals it again: the next reboot needs no key, and the same recovery key still lists.
    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    expect(hostOf(lab, 'esx-01').ramKeys.map((k) => k.keyId)).toContain(nkp.keyId);
    expect(await listedKey(lab, 'esx-01')).toBe(key);
  });

  it('the kept key is used when none is typed, and the recovery survives a reload', async () => {
    const flow = await labOnOpenNkp('tpm-recover-kept');
    await must(flow.lab, { type: 'host.keepRecoveryKey', hostId: 'esx-02' });
    await must(flow.lab, { type: 'host.clearTpm', hostId: 'esx-02' });
    await flow.lab.save();
    flow.lab.dispose();
    const reopened = await reopenFlowLab(flow);
    expect(hostOf(reopened.lab, 'esx-02').configuration).toMatchObject({ locked: true, recoveryKeyKept: true });
    await must(reopened.lab, { type: 'host.recoverConfiguration', hostId: 'esx-02' });
    expect(hostOf(reopened.lab, 'esx-02')).toMatchObject({ power: 'on', configuration: { locked: false } });
    expect(hostOf(reopened.lab, 'esx-02').ramKeys.some((k) => k.keyId === flow.nkp.keyId)).toBe(true);
  });

  it('without a kept key it cannot be recovered: reinstalled, the host holds nothing until vCenter pushes the KDK again', async () => {
    const { lab, nkp } = await labOnOpenNkp('tpm-reinstall');
    await must(lab, { type: 'host.keepRecoveryKey', hostId: 'esx-01' });
    const oldId = hostOf(lab, 'esx-01').configuration.recoveryId;
    await must(lab, { type: 'host.clearTpm', hostId: 'esx-02' });
    expect(await refused(lab, { type: 'host.recoverConfiguration', hostId: 'esx-02' })).toMatchObject({ code: 'NO_RECOVERY_KEY', reason: expect.stringMatching(/reinstall ESXi/) });

    await must(lab, { type: 'host.reinstall', hostId: 'esx-02' });
    const esx02 = hostOf(lab, 'esx-02');
    expect(esx02).toMatchObject({ power: 'on', connection: 'disconnected', cryptoState: 'incapable', ramKeys: [], configuration: { locked: false, keys: [] } });
    await must(lab, { type: 'host.connect', hostId: 'esx-02' });
    expect(hostOf(lab, 'esx-02').configuration.keys.map((k) => k.keyId)).toEqual([nkp.keyId]);

    // A reinstall makes a new recovery key: the one kept before opens nothing now.
    await must(lab, { type: 'host.reinstall', hostId: 'esx-01' });
    expect(hostOf(lab, 'esx-01').configuration).toMatchObject({ recoveryKeyKept: false, keptRecoveryKeyStale: true });
    expect(hostOf(lab, 'esx-01').configuration.recoveryId).not.toBe(oldId);
    await must(lab, { type: 'host.clearTpm', hostId: 'esx-01' });
    expect(await refused(lab, { type: 'host.recoverConfiguration', hostId: 'esx-01' })).toMatchObject({ code: 'NO_RECOVERY_KEY', reason: expect.stringMatching(/earlier install/) });
  });

  it('has no recovery key to list on a host without a TPM', async () => {
    const { lab } = await openFlowLab('no-tpm-recovery');
    expect(await refused(lab, { type: 'host.keepRecoveryKey', hostId: 'esx-03' })).toMatchObject({ code: 'NO_TPM' });
    await expect(lab.recoveryKeyListing('esx-03')).rejects.toThrow(/no TPM 2.0/);
  });
});

describe('the key cache (standard provider)', () => {
  it('keeps a KEK across the VM’s power cycle, even with every KMS node down, and loses it when the host reboots', async () => {
    const { lab } = await openFlowLab('key-cache');
    const keyId = vmView(lab, 'db-01').encryption!.keyId;
    await must(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    expect(hostOf(lab, 'esx-01').ramKeys.map((k) => k.keyId)).toContain(keyId);
    for (const kmsId of ['kms-a', 'kms-b']) await must(lab, { type: 'kms.down', kmsId });
    await must(lab, { type: 'vm.powerOn', vmId: 'db-01' });
    await expectGuestData(lab, 'db-01');

    await must(lab, { type: 'host.reboot', hostId: 'esx-01' });
    expect(hostOf(lab, 'esx-01').ramKeys.map((k) => k.keyId)).not.toContain(keyId);
    expect(hostOf(lab, 'esx-01').configuration.keys).toEqual([]);
    expect(await refused(lab, { type: 'vm.powerOn', vmId: 'db-01' })).toMatchObject({ code: 'VM_LOCKED' });
  });
});
