// Lesson 12 headless: Add vTPM refused without a key provider; a TPM-only NKP named for a host without TPM 2.0 and
// recovered either way (migrate the VM, or the NKP added again without the option); the whole VM encrypted is named and
// recovered by Decrypt (the VM home stays encrypted); the VM unregistered and registered from its folder keeps its
// vTPM; "show me" end to end, with the guest file read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest, type LessonTestLab } from '@/machines/lessons/test-support';
import { lesson, NKP, NKP_PASSWORD } from './vtpm-windows-11.lesson';

afterEach(closeLessonLabs);

const VM = 'win11-01';
const vmOf = (t: LessonTestLab) => t.lab.getView().vms.find((v) => v.id === VM)!;

async function withNkp(t: LessonTestLab, tpmOnly: boolean) {
  await t.must({ type: 'provider.addNative', name: NKP, tpmOnly });
  await t.lab.exportNkpBackup(NKP, NKP_PASSWORD);
}

describe('lesson 12: a vTPM for Windows 11', () => {
  it('starts with no key provider and win11-01 off on a host without TPM 2.0; Add vTPM is refused', async () => {
    const t = await startLessonForTest(lesson);
    expect(t.lab.getView().vcenter!.keyProviders).toEqual([]);
    expect(vmOf(t)).toMatchObject({ power: 'off', vtpm: false, hostId: 'esx-02', encryption: null });
    for (const step of lesson.steps) expect(t.check(step.id).status).not.toBe('done');
    const refused = await t.lab.dispatch({ type: 'vm.addVtpm', vmId: VM });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/needs a key provider/) });
    expect(t.check('try-without-provider')).toEqual({ status: 'done' });
    expect(t.observe('try-without-provider', VM).choice).toBe('refused');
  });

  it('the provider step wants it backed up; a TPM-only NKP is named for esx-02, and migrating the VM to esx-01 recovers', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'provider.addNative', name: NKP, tpmOnly: true });
    expect(t.check('add-provider')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Back up NKP-1/) });
    await t.lab.exportNkpBackup(NKP, NKP_PASSWORD);
    const named = t.check('add-provider');
    expect(named).toMatchObject({ status: 'misconception', id: 'tpm-only-host-without-tpm' });
    expect(named.status === 'misconception' && named.message).toMatch(/TPM2 Device is Required/);
    const refused = await t.lab.dispatch({ type: 'vm.addVtpm', vmId: VM });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/TPM2 Device is Required/) });
    await t.must({ type: 'vm.migrate', vmId: VM, hostId: 'esx-01' });
    expect(t.check('add-provider')).toEqual({ status: 'done' });
  });

  it('…or the TPM-only NKP removed and added again without the option recovers, win11-01 staying on esx-02', async () => {
    const t = await startLessonForTest(lesson);
    await withNkp(t, true);
    expect(t.check('add-provider')).toMatchObject({ status: 'misconception' });
    await t.must({ type: 'provider.remove', providerId: NKP });
    expect(t.check('add-provider')).toMatchObject({ status: 'notYet' });
    await withNkp(t, false);
    await t.must({ type: 'provider.setDefault', providerId: NKP });
    expect(t.check('add-provider')).toEqual({ status: 'done' });
    await t.must({ type: 'vm.addVtpm', vmId: VM });
    expect(vmOf(t)).toMatchObject({ vtpm: true, encryption: null, homeEncryption: { providerName: NKP }, hostId: 'esx-02' });
    expect(t.check('add-vtpm')).toEqual({ status: 'done' });
    expect(t.observe('add-vtpm', 'nvram').choice).toBe('encrypted');
    expect(t.observe('add-vtpm', 'disk').choice).toBe('plain');
  });

  it('encrypting the whole VM is named; Decrypt recovers and keeps the VM home encrypted for the vTPM', async () => {
    const t = await startLessonForTest(lesson);
    await withNkp(t, false);
    await t.must({ type: 'vm.encrypt', vmId: VM });
    expect(t.check('add-vtpm')).toMatchObject({ status: 'misconception', id: 'encrypt-whole-vm' });
    await t.must({ type: 'vm.addVtpm', vmId: VM });
    expect(t.check('add-vtpm')).toMatchObject({ status: 'misconception', id: 'encrypt-whole-vm' });
    await t.must({ type: 'vm.decrypt', vmId: VM });
    expect(vmOf(t)).toMatchObject({ vtpm: true, encryption: null, homeEncryption: { providerName: NKP } });
    expect(t.check('add-vtpm')).toEqual({ status: 'done' });
    // A powered-on VM gets no vTPM (not hot-pluggable): the check says to power it off.
    const other = await startLessonForTest(lesson);
    await withNkp(other, false);
    await other.must({ type: 'vm.powerOn', vmId: VM });
    expect(other.check('add-vtpm')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Power off win11-01/) });
  });

  it('removing the vTPM is named (its .nvram and secrets are gone); adding it again recovers', async () => {
    const t = await startLessonForTest(lesson);
    await withNkp(t, false);
    await t.must({ type: 'vm.addVtpm', vmId: VM });
    await t.must({ type: 'vm.removeVtpm', vmId: VM });
    expect(t.check('add-vtpm')).toMatchObject({ status: 'misconception', id: 'vtpm-removed' });
    await t.must({ type: 'vm.addVtpm', vmId: VM });
    expect(t.check('add-vtpm')).toEqual({ status: 'done' });
  });

  it('restore step: done only once win11-01 is registered again after its vTPM was added, and runs', async () => {
    const t = await startLessonForTest(lesson);
    await withNkp(t, false);
    await t.must({ type: 'vm.addVtpm', vmId: VM });
    await t.must({ type: 'vm.powerOn', vmId: VM });
    expect(t.check('restore-from-folder')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/Unregister/) });
    await t.must({ type: 'vm.powerOff', vmId: VM });
    await t.must({ type: 'vm.unregister', vmId: VM });
    expect(t.check('restore-from-folder')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Register win11-01 again/) });
    await t.must({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: vmOf(t).folder });
    expect(vmOf(t)).toMatchObject({ registered: true, vtpm: true, homeEncryption: { providerName: NKP } });
    expect(t.check('restore-from-folder')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Power on win11-01/) });
    await t.must({ type: 'vm.powerOn', vmId: VM });
    expect(t.check('restore-from-folder')).toEqual({ status: 'done' });
    expect(t.observe('restore-from-folder', 'vtpm').choice).toBe('back');
    expect(t.observe('restore-from-folder', 'home').choice).toBe('back');
  });

  it('the whole lesson by “show me”, from a TPM-only NKP on: the guest file reads back', async () => {
    const t = await startLessonForTest(lesson);
    await t.lab.dispatch({ type: 'vm.addVtpm', vmId: VM });
    await withNkp(t, true);
    const { proof } = await completeWithShowMe(t, {
      from: 'add-provider',
      predictions: { 'add-vtpm': { nvram: 'encrypted', disk: 'encrypted' } },
    });
    expect(vmOf(t)).toMatchObject({ vtpm: true, encryption: null, power: 'on' });
    expect(t.lab.getView().vcenter!.keyProviders).toMatchObject([{ name: NKP, tpmOnly: false }]);
    expect(proof).toMatchObject({ kind: 'readBack', ok: true, files: [{ name: 'thesis.txt', ok: true }] });
  });
});
