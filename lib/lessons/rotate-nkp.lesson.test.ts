// Lesson 11 headless: a new NKP backed up and default; every VM shallow re-keyed to it (same DEK, VMs on); the old NKP
// removed too early is named and recovered by restoring its .p12; the No cryptography administrator's allowed and
// refused operations; the audit back as Administrator; "show me" end to end with the files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest, type LessonTestLab } from '@/machines/lessons/test-support';
import { lesson, NEW_NKP, NEW_PASSWORD, OLD_NKP, OLD_PASSWORD } from './rotate-nkp.lesson';

afterEach(closeLessonLabs);

const VMS = ['db-01', 'web-01', 'archive-01'];

async function withNewNkp(t: LessonTestLab) {
  await t.must({ type: 'provider.addNative', name: NEW_NKP, tpmOnly: true });
  await t.lab.exportNkpBackup(NEW_NKP, NEW_PASSWORD);
  await t.must({ type: 'provider.setDefault', providerId: NEW_NKP });
}

async function rotated() {
  const t = await startLessonForTest(lesson);
  await withNewNkp(t);
  await t.must({ type: 'vm.rekeyShallowMany', vmIds: VMS, providerId: NEW_NKP });
  return t;
}

describe('lesson 11: rotate the Native Key Provider', () => {
  it('starts with every VM on NKP-2023 (the default), two running, and hands out its backup', async () => {
    const t = await startLessonForTest(lesson);
    expect(Object.values(t.baseline.vms).map((v) => [v.providerName, v.power])).toEqual([
      [OLD_NKP, 'on'],
      [OLD_NKP, 'on'],
      [OLD_NKP, 'off'],
    ]);
    expect(t.progress.handout).toMatchObject({ providerName: OLD_NKP, password: OLD_PASSWORD });
    for (const step of lesson.steps) expect(t.check(step.id).status).not.toBe('done');
  });

  it('the new NKP must be backed up and the default', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'provider.addNative', name: NEW_NKP, tpmOnly: true });
    expect(t.check('new-nkp')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Back up NKP-2024/) });
    await t.lab.exportNkpBackup(NEW_NKP, NEW_PASSWORD);
    expect(t.check('new-nkp')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/default/) });
    await t.must({ type: 'provider.setDefault', providerId: NEW_NKP });
    expect(t.check('new-nkp')).toEqual({ status: 'done' });
  });

  it('a VM stopped for the re-key is named; the shallow re-key keeps every DEK, as the prediction observes', async () => {
    const t = await startLessonForTest(lesson);
    await withNewNkp(t);
    await t.must({ type: 'vm.powerOff', vmId: 'db-01' });
    expect(t.check('rekey-all')).toMatchObject({ status: 'misconception', id: 'rotation-needs-no-downtime' });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'db-01' });
    expect(t.check('rekey-all')).toMatchObject({ status: 'notYet', missing: 'web-01 and archive-01 still use keys of NKP-2023.' });
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['web-01', 'archive-01'] });
    expect(t.check('rekey-all')).toEqual({ status: 'done' });
    for (const vm of VMS) expect(t.observe('rekey-all', vm).choice).toBe('kekOnly');
  });

  it('NKP-2023 removed while VMs use it is named; restoring its .p12 recovers, and once all moved it may go', async () => {
    const t = await startLessonForTest(lesson);
    await withNewNkp(t);
    await t.must({ type: 'vm.rekeyShallow', vmId: 'db-01' });
    await t.must({ type: 'provider.remove', providerId: OLD_NKP });
    const early = t.check('rekey-all');
    expect(early).toMatchObject({ status: 'misconception', id: 'old-nkp-removed-early' });
    expect(early.status === 'misconception' && early.message).toMatch(/web-01 and archive-01/);
    expect((await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, OLD_PASSWORD)).ok).toBe(true);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['web-01', 'archive-01'], providerId: NEW_NKP });
    expect(t.check('rekey-all')).toEqual({ status: 'done' });
    await t.must({ type: 'provider.remove', providerId: OLD_NKP });
    expect(t.check('rekey-all')).toEqual({ status: 'done' });
  });

  it('as vm-operator: power allowed, re-key refused with the privilege named; the Read-only user is named instead', async () => {
    const t = await rotated();
    await t.must({ type: 'user.switch', userName: 'auditor@vsphere.local' });
    expect(t.check('least-privilege')).toMatchObject({ status: 'misconception', id: 'read-only-is-not-no-crypto' });
    await t.must({ type: 'user.switch', userName: 'vm-operator@vsphere.local' });
    expect(t.check('least-privilege')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^As vm-operator/) });
    await t.must({ type: 'vm.powerOff', vmId: 'web-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'web-01' });
    expect(t.check('least-privilege')).toMatchObject({ status: 'notYet' });
    const refused = await t.lab.dispatch({ type: 'vm.rekeyShallow', vmId: 'web-01' });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/Cryptographer\.Recrypt/) });
    expect(t.check('least-privilege')).toEqual({ status: 'done' });
    expect(t.observe('least-privilege', 'power').choice).toBe('allowed');
    expect(t.observe('least-privilege', 'rekey')).toMatchObject({ choice: 'refused', reason: expect.stringMatching(/Cryptographer\.Recrypt/) });
    expect(t.observe('least-privilege', 'provider')).toMatchObject({ choice: 'refused', reason: expect.stringMatching(/ManageKeyServers/) });
    // The audit: the events show the re-keys with the new KEKs; it ends back as Administrator.
    expect(t.check('audit')).toMatchObject({ status: 'notYet', missing: 'Sign back in as administrator@vsphere.local.' });
    for (const vm of VMS) expect(t.observe('audit', vm)).toMatchObject({ choice: 'newKek', reason: expect.stringMatching(/by administrator@vsphere\.local/) });
    await t.must({ type: 'user.switch', userName: 'administrator@vsphere.local' });
    expect(t.check('audit')).toEqual({ status: 'done' });
  });

  it('the whole lesson by “show me”: every guest file reads back through NKP-2024', async () => {
    const t = await startLessonForTest(lesson);
    const { run, proof } = await completeWithShowMe(t, {
      predictions: { 'least-privilege': { power: 'allowed', rekey: 'refused', provider: 'allowed' } },
      refusals: { 'least-privilege': /Cryptographer\.Recrypt/ },
    });
    expect(run.getState().score).toMatchObject({ shown: 4, predictionsRight: 2 });
    expect(t.lab.getView().vms.map((v) => v.encryption?.providerName)).toEqual([NEW_NKP, NEW_NKP, NEW_NKP]);
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    expect(proof.kind === 'readBack' && proof.files).toHaveLength(3);
  });
});
