// Lesson 6 headless: vCenter stopped (destroyed is named), both hosts rebooted while it is down, the prediction's
// answers (TPM host starts its VM, the other cannot), hr-01 locked until vCenter is back, and the whole lesson by
// "show me" ending on the guest files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './tpm-or-not.lesson';

afterEach(closeLessonLabs);

describe('lesson tpm-or-not', () => {
  it('starts with both encrypted VMs running on NKP-1 (allowed on the host without a TPM)', async () => {
    const t = await startLessonForTest(lesson);
    const view = t.lab.getView();
    expect(view.vms.map((v) => [v.id, v.power, v.encryption?.providerName ?? null])).toEqual([
      ['fin-01', 'on', 'NKP-1'],
      ['hr-01', 'on', 'NKP-1'],
      ['print-01', 'on', null],
    ]);
    expect(view.hosts.find((h) => h.id === 'esx-01')!.tpmSealedKeys).toHaveLength(1);
    expect(view.hosts.find((h) => h.id === 'esx-02')!.tpmSealedKeys).toHaveLength(0);
    expect(t.check('stop-vcenter')).toMatchObject({ status: 'notYet' });
  });

  it('names a destroyed vCenter as not the same as one that is down', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.destroy' });
    expect(t.check('stop-vcenter')).toMatchObject({ status: 'misconception', id: 'down-is-not-destroyed' });
  });

  it('a reboot before vCenter went down does not count; after both reboots the TPM host alone can start its VM', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    await t.must({ type: 'vcenter.stop' });
    expect(t.check('stop-vcenter')).toEqual({ status: 'done' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(t.check('reboot-both')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-02.lab.local while vCenter is down.' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    expect(t.check('reboot-both')).toEqual({ status: 'done' });
    expect(['fin-01', 'hr-01', 'print-01'].map((id) => t.observe('reboot-both', id).choice)).toEqual(['starts', 'cannot', 'starts']);

    // The observation is what the lab really does: hr-01 is refused and locked, the other two start.
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: 'Power on fin-01 and print-01.' });
    await t.must({ type: 'vm.powerOn', vmId: 'fin-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'print-01' });
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: 'Try to Power on hr-01 too.' });
    const hr = await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'hr-01' });
    expect(hr).toMatchObject({ ok: false, code: 'VM_LOCKED' });
    expect(t.check('power-on')).toEqual({ status: 'done' });

    expect(t.check('vcenter-back')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Start vCenter/) });
    await t.must({ type: 'vcenter.start' });
    expect(t.check('vcenter-back')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/hr-01 is still locked/) });
    await t.must({ type: 'vm.unlock', vmId: 'hr-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'hr-01' });
    expect(t.check('vcenter-back')).toEqual({ status: 'done' });
  });

  it('the power-on step wants vCenter still down', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.stop' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    await t.must({ type: 'vcenter.start' });
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Keep vCenter down/) });
  });

  it('can be done end to end with "show me", and the guest files read back', async () => {
    // Powering on hr-01 without vCenter is refused: "show me" stops there, and the step is done all the same.
    const { proof } = await completeWithShowMe(await startLessonForTest(lesson), {
      refusals: { 'power-on': /^VM hr-01 cannot get its key \(KeyStateMissingInCache\)/ },
    });
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
  });
});
