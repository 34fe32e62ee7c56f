// Lesson 9 headless: the KMS lost and esx-03 rebooted at the start; app-01 locked; the NKP set up; the running VMs
// moved with the KMS still gone; the hosts rebooted with no KMS. Both "shut it down first" paths are named and recovered
// from, and the whole lesson by "show me" ends on the moved VMs' files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest, type LessonTestLab } from '@/machines/lessons/test-support';
import { lesson, NKP, NKP_PASSWORD } from './dont-panic.lesson';

afterEach(closeLessonLabs);

async function withNkp(t: LessonTestLab) {
  await t.must({ type: 'provider.addNative', name: NKP, tpmOnly: true });
  await t.lab.exportNkpBackup(NKP, NKP_PASSWORD);
  await t.must({ type: 'provider.setDefault', providerId: NKP });
}

describe('lesson 9: don’t panic', () => {
  it('starts with the KMS down, app-01 stopped with its rebooted host and the two others running on KMS-Prod', async () => {
    const t = await startLessonForTest(lesson);
    const view = t.lab.getView();
    expect(view.kmsNodes.map((n) => n.status)).toEqual(['down']);
    expect(t.baseline.vms).toMatchObject({
      'db-01': { providerName: 'KMS-Prod', power: 'on' },
      'web-01': { providerName: 'KMS-Prod', power: 'on' },
      'app-01': { providerName: 'KMS-Prod', power: 'off' },
    });
    for (const step of lesson.steps) expect(t.check(step.id).status).not.toBe('done');
    expect(t.check('see-app-01')).toMatchObject({ status: 'notYet', missing: 'Open app-01 and choose Power on.' });
  });

  it('app-01 cannot power on: locked, as the learner predicts about it, while the running VMs run', async () => {
    const t = await startLessonForTest(lesson);
    const refused = await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'app-01' });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/KeyStateClusterUnreachable/) });
    expect(t.check('see-app-01')).toEqual({ status: 'done' });
    expect(t.observe('see-app-01', 'app-01')).toMatchObject({ choice: 'locked', reason: expect.stringMatching(/KMS-Prod/) });
    expect(t.observe('see-app-01', 'db-01')).toMatchObject({ choice: 'runs', reason: expect.stringMatching(/key cache/) });
  });

  it('a VM powered off “to be safe” is named, keeps its key in the cache, and the step passes once it runs again', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vm.powerOff', vmId: 'db-01' });
    const off = t.check('set-up-nkp');
    expect(off).toMatchObject({ status: 'misconception', id: 'shut-down-first' });
    expect(off.status === 'misconception' && off.message).toMatch(/powering a VM off drops no key/);
    // VMware's model: the key stays in the host's key cache, so it starts again with the KMS still gone.
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    await withNkp(t);
    expect(t.check('set-up-nkp')).toEqual({ status: 'done' });
  });

  it('a host shut down before its VM moved is named; the VM is stuck until the KMS returns, then it recovers', async () => {
    const t = await startLessonForTest(lesson);
    await withNkp(t);
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    const lost = t.check('move-running');
    expect(lost).toMatchObject({ status: 'misconception', id: 'shut-down-first' });
    expect(lost.status === 'misconception' && lost.message).toMatch(/stays locked until the KMS returns/);
    const stuck = await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(stuck.ok).toBe(false);
    // The KMS team rebuilds kms-01: vCenter can fetch the key again, and the advice says so.
    await t.must({ type: 'kms.restore', kmsId: 'kms-01' });
    const back = t.check('move-running');
    expect(back.status === 'misconception' && back.message).toMatch(/kms-01 answers again/);
    await t.must({ type: 'vm.unlock', vmId: 'db-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: NKP });
    expect(t.check('move-running')).toEqual({ status: 'done' });
    // The proof wants the KMS gone again, and the hosts rebooted after it went.
    expect(t.check('prove-reboot')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/take it down/) });
    await t.must({ type: 'kms.down', kmsId: 'kms-01' });
    expect(t.check('prove-reboot')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-01.lab.local and esx-02.lab.local (each host’s page > Reboot).' });
  });

  it('the NKP step wants it backed up and default; the move is a shallow re-key with the KMS gone, and app-01 cannot move', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'provider.addNative', name: NKP, tpmOnly: true });
    expect(t.check('set-up-nkp')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Back up NKP-Rescue/) });
    await t.lab.exportNkpBackup(NKP, NKP_PASSWORD);
    expect(t.check('set-up-nkp')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/default/) });
    await t.must({ type: 'provider.setDefault', providerId: NKP });
    expect(t.check('set-up-nkp')).toEqual({ status: 'done' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'db-01' });
    expect(t.check('move-running')).toMatchObject({ status: 'notYet', missing: 'web-01 still gets its KEK from KMS-Prod.' });
    const app = await t.lab.dispatch({ type: 'vm.rekeyShallow', vmId: 'app-01' });
    expect(app.ok).toBe(false);
    await t.must({ type: 'vm.rekeyShallow', vmId: 'web-01' });
    expect(t.check('move-running')).toEqual({ status: 'done' });
    expect(t.lab.getView().vms.find((v) => v.id === 'web-01')!.encryption!.dekFingerprint).toBe(t.baseline.vms['web-01']!.dekFingerprint);
    expect(t.observe('move-running', 'db-01').choice).toBe('moves');
    expect(t.observe('move-running', 'app-01').choice).toBe('stuck');
  });

  it('the proof: not before both hosts rebooted after the move, nor with the VMs off; app-01 stays locked', async () => {
    const t = await startLessonForTest(lesson);
    await withNkp(t);
    await t.must({ type: 'vm.rekeyShallowMany', vmIds: ['db-01', 'web-01'], providerId: NKP });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(t.check('prove-reboot')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-02.lab.local (each host’s page > Reboot).' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    expect(t.check('prove-reboot')).toMatchObject({ status: 'notYet', missing: 'Power on db-01 and web-01.' });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'web-01' });
    expect(t.check('prove-reboot')).toEqual({ status: 'done' });
    expect(t.observe('prove-reboot', 'web-01').choice).toBe('starts');
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'app-01' })).ok).toBe(false);
    expect(t.observe('prove-reboot', 'app-01').choice).toBe('locked');
  });

  it('the whole lesson by “show me”: app-01 refused, the VMs moved and proved, the files read back', async () => {
    const { run, proof } = await completeWithShowMe(await startLessonForTest(lesson), {
      refusals: { 'see-app-01': /KeyStateClusterUnreachable/ },
      predictions: {
        'see-app-01': { 'app-01': 'locked', 'db-01': 'runs', 'web-01': 'locked' },
        'prove-reboot': { 'db-01': 'starts', 'web-01': 'starts', 'app-01': 'locked' },
      },
    });
    expect(run.getState().score).toMatchObject({ shown: 4, predictionsRight: 5 });
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    expect(proof.kind === 'readBack' && proof.files.map((f) => `${f.vmId}/${f.name}`)).toEqual(['db-01/customers.csv', 'web-01/index.html']);
  });
});
