// Lesson 5 headless: encrypt with the KMS, the key map's answers to the prediction, the KEK fetched again after a
// reboot (and the lock named when the KMS cannot give it), and the lesson done by "show me" with the file read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './how-encryption-works.lesson';

afterEach(closeLessonLabs);

/** The lesson with app-01 encrypted by the KMS (powered off first, as vSphere asks), left off. */
async function withAppEncrypted() {
  const t = await startLessonForTest(lesson);
  await t.must({ type: 'vm.powerOff', vmId: 'app-01' });
  await t.must({ type: 'vm.encrypt', vmId: 'app-01' });
  return t;
}

describe('lesson how-encryption-works', () => {
  it('encrypt step: asks to power off first, then passes once app-01 has a KMS key', async () => {
    const t = await startLessonForTest(lesson);
    expect(t.check('encrypt')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^Power off app-01 first/) });
    await t.must({ type: 'vm.powerOff', vmId: 'app-01' });
    expect(t.check('encrypt')).toMatchObject({ status: 'notYet', missing: 'Encrypt app-01 with KMS-Cluster.' });
    await t.must({ type: 'vm.encrypt', vmId: 'app-01' });
    expect(t.check('encrypt')).toEqual({ status: 'done' });
    expect(t.check('follow-keys')).toMatchObject({ status: 'notYet', missing: 'Power on app-01.' });
  });

  it('the key map answers where each key is: KEK on the KMS and in host memory, only its ID in vCenter and the files', async () => {
    const t = await withAppEncrypted();
    await t.must({ type: 'vm.powerOn', vmId: 'app-01' });
    expect(t.check('follow-keys')).toEqual({ status: 'done' });
    const view = t.lab.getView();
    const predict = t.step('follow-keys').predict!;
    const answers = Object.fromEntries(predict.subjects(view, t.baseline).map((s) => [s.id, predict.observe(view, s.id, t.baseline).choice]));
    expect(answers).toEqual({ 'kek-kms': 'key', 'kek-vcenter': 'id', 'kek-host': 'key', 'kek-files': 'id', 'dek-files': 'wrapped', 'dek-host': 'key' });
  });

  it('reboot step: waits for the reboot and the power-on, then sees the KEK pushed again by its ID', async () => {
    const t = await withAppEncrypted();
    await t.must({ type: 'vm.powerOn', vmId: 'app-01' });
    expect(t.check('reboot')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-01 (its page > Reboot).' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(t.check('reboot')).toMatchObject({ status: 'notYet', missing: 'Power on app-01 again and watch the Events.' });
    await t.must({ type: 'vm.powerOn', vmId: 'app-01' });
    expect(t.check('reboot')).toEqual({ status: 'done' });
    expect(t.observe('reboot', 'app-01').choice).toBe('kms');
  });

  it('names the idea that the host keeps a KMS key when the VM is locked with the KMS down', async () => {
    const t = await withAppEncrypted();
    await t.must({ type: 'kms.down', kmsId: 'kms-a' });
    await t.must({ type: 'kms.down', kmsId: 'kms-b' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'app-01' })).ok).toBe(false);
    expect(t.check('reboot')).toMatchObject({ status: 'misconception', id: 'kek-lives-on-the-kms' });
    // kms-a made the key (kms-b would get it only after the replication lag, which has not passed).
    await t.must({ type: 'kms.restore', kmsId: 'kms-a' });
    await t.must({ type: 'vm.unlock', vmId: 'app-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'app-01' });
    expect(t.check('reboot')).toEqual({ status: 'done' });
  });

  it('can be done end to end with "show me", and the guest file reads back', async () => {
    const { proof } = await completeWithShowMe(await startLessonForTest(lesson));
    expect(proof).toMatchObject({ kind: 'readBack', ok: true, files: [{ vmId: 'app-01', name: 'payroll.csv', ok: true }] });
  });
});
