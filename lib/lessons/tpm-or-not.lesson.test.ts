// Lesson 6 headless: both hosts keep NKP-1's KDK in their encrypted configurations (TPM or not), so after reboots
// with vCenter down every VM starts (starting vCenter to "give the key back" is the named misconception); the boot-disk
// copies give the data away only without a TPM; the recovery key kept, a cleared TPM is recovered (reinstalling instead
// is named); and the whole lesson by "show me", ending on the guest files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './tpm-or-not.lesson';

afterEach(closeLessonLabs);

describe('lesson tpm-or-not', () => {
  it('starts with both encrypted VMs running on NKP-1, whose KDK both hosts keep in their configurations', async () => {
    const t = await startLessonForTest(lesson);
    const view = t.lab.getView();
    expect(view.vms.map((v) => [v.id, v.power, v.encryption?.providerName ?? null])).toEqual([
      ['fin-01', 'on', 'NKP-1'],
      ['hr-01', 'on', 'NKP-1'],
      ['print-01', 'on', null],
    ]);
    const host = (id: string) => view.hosts.find((h) => h.id === id)!;
    expect(host('esx-01').configuration).toMatchObject({ protection: 'tpm', keys: [expect.objectContaining({ providerId: 'NKP-1' })] });
    expect(host('esx-02').configuration).toMatchObject({ protection: 'bootDisk', keys: [expect.objectContaining({ providerId: 'NKP-1' })] });
    expect(host('esx-02').tpmSealedKeys).toHaveLength(0);
    expect(t.check('reboot-both')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Stop vCenter/) });
  });

  it('names a destroyed vCenter as not the same as one that is down', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.destroy' });
    expect(t.check('reboot-both')).toMatchObject({ status: 'misconception', id: 'down-is-not-destroyed' });
  });

  it('after both reboots with vCenter down every VM starts; starting vCenter to give esx-02 its key back is named', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    await t.must({ type: 'vcenter.stop' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    // A reboot before vCenter went down does not count.
    expect(t.check('reboot-both')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-02.lab.local while vCenter is down.' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    expect(t.check('reboot-both')).toEqual({ status: 'done' });
    expect(['fin-01', 'hr-01', 'print-01'].map((id) => t.observe('reboot-both', id).choice)).toEqual(['starts', 'starts', 'starts']);
    expect(t.observe('reboot-both', 'hr-01').reason).toMatch(/no TPM: the configuration’s key was on its boot disk/);

    // The wrong turn: vCenter started to push the KDK again. Named; stopping it again and powering on passes.
    await t.must({ type: 'vcenter.start' });
    expect(t.check('power-on')).toMatchObject({ status: 'misconception', id: 'no-tpm-loses-kdk', message: expect.stringMatching(/Some guides say a host without a TPM loses the NKP key at every reboot/) });
    await t.must({ type: 'vcenter.stop' });
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: 'Power on fin-01, hr-01 and print-01.' });
    for (const vmId of ['fin-01', 'hr-01', 'print-01']) await t.must({ type: 'vm.powerOn', vmId });
    expect(t.check('power-on')).toEqual({ status: 'done' });
  });

  it('the boot-disk copies: esx-02’s gives hr-01’s data away, esx-01’s gives nothing', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'host.copyBootDisk', hostId: 'esx-01', vmId: 'fin-01' });
    expect(t.check('copy-disks')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Copy the boot disk of esx-02/) });
    await t.must({ type: 'host.copyBootDisk', hostId: 'esx-02', vmId: 'hr-01' });
    expect(t.check('copy-disks')).toEqual({ status: 'done' });
    expect(t.observe('copy-disks', 'esx-02')).toMatchObject({ choice: 'gives' });
    expect(t.observe('copy-disks', 'esx-01')).toMatchObject({ choice: 'safe' });
    const copy = t.lab.getView().hosts.find((h) => h.id === 'esx-02')!.bootDiskCopy!;
    expect(copy.guestFile).toEqual({ name: 'staff.txt', excerpt: 'Katherine Johnson, analyst\nDorothy Vaughan, supervisor\n' });
  });

  it('a cleared TPM recovered with the kept key passes; reinstalling instead is named, and recovering after it passes', async () => {
    const t = await startLessonForTest(lesson);
    expect(t.check('keep-recovery-key')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'host.keepRecoveryKey', hostId: 'esx-01' });
    expect(t.check('keep-recovery-key')).toEqual({ status: 'done' });
    expect(t.check('recover')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Clear esx-01/) });
    await t.must({ type: 'host.clearTpm', hostId: 'esx-01' });
    expect(t.check('recover')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/stops at boot/) });

    // The wrong turn: reinstalled although the key was kept.
    await t.must({ type: 'host.reinstall', hostId: 'esx-01' });
    expect(t.check('recover')).toMatchObject({ status: 'misconception', id: 'reinstall-instead-of-recovery' });
    // Recovering from it: keep the new key, clear again, boot with it.
    await t.must({ type: 'host.keepRecoveryKey', hostId: 'esx-01' });
    expect(t.check('recover')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Clear esx-01/) });
    await t.must({ type: 'host.clearTpm', hostId: 'esx-01' });
    await t.must({ type: 'host.recoverConfiguration', hostId: 'esx-01' });
    expect(t.check('recover')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/holds no KDK of NKP-1 \(reinstalled\): start vCenter and connect/) });
    // After the reinstall esx-01 kept no KDK: vCenter (running here) pushes it again when the host connects.
    await t.must({ type: 'host.connect', hostId: 'esx-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'fin-01' });
    expect(t.check('recover')).toEqual({ status: 'done' });
  });

  it('can be done end to end with "show me", and the guest files read back', async () => {
    const { proof } = await completeWithShowMe(await startLessonForTest(lesson));
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
  });
});
