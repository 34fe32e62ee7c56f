// Lesson 1's checks against real lab states: each step passes when it should, not before, and names the misconception.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, settle, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson, SHOW_ME_PASSWORD } from './nkp-setup.lesson';

afterEach(closeLessonLabs);

const PASSWORD = 'Velvet-Compass-Thunder-Apricot-9';

async function withNkp(tpmOnly = true) {
  const t = await startLessonForTest(lesson);
  await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly });
  return t;
}

describe('lesson 1: set up the Native Key Provider', () => {
  it('starts with no NKP: step 1 is not done', async () => {
    const t = await startLessonForTest(lesson);
    expect(t.check('add-nkp')).toMatchObject({ status: 'notYet' });
    expect(t.baseline.providers).toHaveProperty('KMS-Cluster');
  });

  it('add: a TPM-only NKP passes and so does one without the option (both are right on a mixed cluster); a standard provider is named', async () => {
    const t = await withNkp(false);
    expect(t.check('add-nkp')).toEqual({ status: 'done' });
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });
    await t.must({ type: 'provider.addStandard', name: 'My-NKP', kmsNodeIds: ['kms-a'] });
    expect(t.check('add-nkp')).toMatchObject({ status: 'misconception', id: 'standard-not-native' });
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    expect(t.check('add-nkp')).toEqual({ status: 'done' });
  });

  it('unticked TPM-only: esx-03 gets the KDK (its configuration key on the boot disk) and app-01 encrypts there; the step passes', async () => {
    const t = await withNkp(false);
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    expect(t.observe('back-up', 'esx-01').choice).toBe('sealed');
    expect(t.observe('back-up', 'esx-03')).toMatchObject({ choice: 'disk', reason: expect.stringMatching(/key lies on the boot disk.*gives the KDK away/) });
    await t.must({ type: 'provider.setDefault', providerId: 'NKP-1' });
    expect(t.check('meet-no-tpm')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(t.check('meet-no-tpm')).toEqual({ status: 'done' });
  });

  // Needs host-config's model (the KDK kept in the host's encrypted configuration, with or without a TPM): today a host
  // without a TPM still loses it at a reboot. Unskip once that branch is merged.
  it('unticked TPM-only: esx-03 keeps the KDK across a reboot while vCenter is down, and app-01 starts again', async () => {
    const t = await withNkp(false);
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    await t.must({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'NKP-1' });
    await t.must({ type: 'vcenter.stop' });
    await t.must({ type: 'host.reboot', hostId: 'esx-03' });
    expect(t.lab.getView().hosts.find((h) => h.id === 'esx-03')!.ramKeys.some((k) => k.level === 'KDK' && k.providerId === 'NKP-1')).toBe(true);
    await t.must({ type: 'vm.powerOn', vmId: 'app-01' });
  });

  it('back up: not done before, the “added but not backed up” misconception, no password named, a password passes', async () => {
    const t = await withNkp();
    expect(t.check('back-up')).toMatchObject({ status: 'notYet' });
    // Trying to encrypt with it before the backup: refused, and the step names why.
    const refused = await t.lab.dispatch({ type: 'vm.encrypt', vmId: 'web-01', providerId: 'NKP-1' });
    expect(refused.ok).toBe(false);
    const result = t.check('back-up');
    expect(result).toMatchObject({ status: 'misconception', id: 'not-backed-up-no-kdk' });
    expect(result.status === 'misconception' && result.message).toMatch(/not backed up.*no host/i);
    await t.lab.exportNkpBackup('NKP-1', '');
    expect(t.check('back-up')).toMatchObject({ status: 'misconception', id: 'backup-without-password' });
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    expect(t.check('back-up')).toEqual({ status: 'done' });
  });

  it('back up: making it the default before the backup is the same misconception', async () => {
    const t = await withNkp();
    await t.must({ type: 'provider.setDefault', providerId: 'NKP-1' });
    expect(t.check('back-up')).toMatchObject({ status: 'misconception', id: 'not-backed-up-no-kdk' });
  });

  it('the prediction’s observation: TPM hosts seal the KDK, the host without a TPM never gets it', async () => {
    const t = await withNkp();
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    expect(t.step('back-up').predict!.subjects(t.lab.getView(), t.baseline).map((s) => s.id)).toEqual(['esx-01', 'esx-02', 'esx-03']);
    expect(t.observe('back-up', 'esx-01').choice).toBe('sealed');
    expect(t.observe('back-up', 'esx-03')).toMatchObject({ choice: 'none', reason: expect.stringMatching(/No TPM 2.0/) });
  });

  it('default, the host without a TPM, and encrypting web-01 with the NKP (not the KMS)', async () => {
    const t = await withNkp();
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    expect(t.check('set-default')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'provider.setDefault', providerId: 'NKP-1' });
    expect(t.check('set-default')).toEqual({ status: 'done' });

    expect(t.check('meet-no-tpm')).toMatchObject({ status: 'notYet' });
    const noTpm = await t.lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(noTpm).toMatchObject({ ok: false, reason: expect.stringContaining('TPM2 Device is Required') });
    expect(t.check('meet-no-tpm')).toEqual({ status: 'done' });

    expect(t.check('encrypt-vm')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'vm.encrypt', vmId: 'web-01', providerId: 'KMS-Cluster' });
    expect(t.check('encrypt-vm')).toMatchObject({ status: 'misconception', id: 'encrypted-with-other-provider' });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'web-01', providerId: 'NKP-1' });
    expect(t.check('encrypt-vm')).toEqual({ status: 'done' });
  });

  it('app-01 encrypted with the KMS instead is named at the no-TPM step', async () => {
    const t = await withNkp();
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    await t.must({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'KMS-Cluster' });
    expect(t.check('meet-no-tpm')).toMatchObject({ status: 'misconception', id: 'encrypted-with-other-provider' });
  });

  it('misconceptions on the way, then recovered: NKP used before its backup, backed up without a password, then done by the book', async () => {
    const t = await startLessonForTest(lesson);
    const run = t.run();
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await t.must({ type: 'provider.setDefault', providerId: 'NKP-1' });
    expect(t.check('back-up')).toMatchObject({ status: 'misconception', id: 'not-backed-up-no-kdk' });
    await t.lab.exportNkpBackup('NKP-1', '');
    expect(t.check('back-up')).toMatchObject({ status: 'misconception', id: 'backup-without-password', message: expect.stringMatching(/vSphere allows it/) });
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    expect(t.check('back-up')).toEqual({ status: 'done' });
    // app-01 on the KMS first (named), then moved: decrypt and encrypt with NKP-1 is refused on esx-03, which passes the step.
    await t.must({ type: 'vm.encrypt', vmId: 'app-01', providerId: 'KMS-Cluster' });
    expect(t.check('meet-no-tpm')).toMatchObject({ status: 'misconception', id: 'encrypted-with-other-provider' });
    await t.must({ type: 'vm.decrypt', vmId: 'app-01' });
    expect((await t.lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' })).ok).toBe(false);
    expect(t.check('meet-no-tpm')).toEqual({ status: 'done' });
    await t.must({ type: 'vm.encrypt', vmId: 'web-01' });
    expect(t.check('encrypt-vm')).toEqual({ status: 'done' });
    for (let i = 0; i < 50 && !run.getState().evaluation.finished; i++) await settle(5);
    expect(run.getState().evaluation.finished).toBe(true);
  });

  it('“show me” completes every step through dispatch, hands out its backup, and the proof reads the data back', async () => {
    // Encrypting app-01 on the host without a TPM is refused: that refusal is what the step shows.
    const { run, proof } = await completeWithShowMe(await startLessonForTest(lesson), { refusals: { 'meet-no-tpm': /^TPM2 Device is Required/ } });
    expect(run.getState().progress.handout).toMatchObject({ password: SHOW_ME_PASSWORD, fileName: expect.stringMatching(/^NKP-1_.*\.p12$/) });
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    expect(run.getState().score).toMatchObject({ steps: 5, shown: 5, unaided: 0 });
  });
});

describe('lesson 1 in the runner, judged as the UI judges (after the lab settles)', () => {
  it('observes the hosts once the backup command has pushed and sealed the KDK, not halfway', async () => {
    const t = await startLessonForTest(lesson);
    const run = t.run(250);
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await settle(400);
    expect(run.getState().evaluation.currentStepId).toBe('back-up');
    run.predict('back-up', { 'esx-01': 'sealed', 'esx-02': 'sealed', 'esx-03': 'none' });
    await t.lab.exportNkpBackup('NKP-1', PASSWORD);
    await settle(400);
    const record = run.getState().progress.predictions['back-up']!;
    expect(record.observed).toEqual({
      'esx-01': expect.objectContaining({ choice: 'sealed' }),
      'esx-02': expect.objectContaining({ choice: 'sealed' }),
      'esx-03': expect.objectContaining({ choice: 'none' }),
    });
    expect(run.getState().score).toMatchObject({ predictionsRight: 3, predictionsTotal: 3 });
  });
});
