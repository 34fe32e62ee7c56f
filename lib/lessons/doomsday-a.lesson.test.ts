// Lesson 3's checks against real lab states: the loss, the new vCenter, the restore (and the new-NKP-same-name trap),
// the hosts reporting their keys, the reboot; then the whole lesson by "show me" and the proof.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { HANDOUT_PASSWORD, lesson, NKP } from './doomsday-a.lesson';

afterEach(closeLessonLabs);

async function toRestore() {
  const t = await startLessonForTest(lesson);
  await t.must({ type: 'vcenter.destroy' });
  await t.must({ type: 'vcenter.deploy' });
  return t;
}

describe('lesson 3: doomsday A', () => {
  it('starts with both VMs encrypted by NKP-Prod and running, and hands out its real backup', async () => {
    const t = await startLessonForTest(lesson);
    for (const id of ['db-01', 'web-01']) expect(t.baseline.vms[id]).toMatchObject({ providerName: NKP, power: 'on', keyId: expect.any(String) });
    expect(t.progress.handout).toMatchObject({ providerName: NKP, password: HANDOUT_PASSWORD });
    expect(t.check('lose-vcenter')).toMatchObject({ status: 'notYet' });
  });

  it('stopping vCenter is not losing it; destroying it is', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.stop' });
    expect(t.check('lose-vcenter')).toMatchObject({ status: 'misconception', id: 'stopped-is-not-lost' });
    await t.must({ type: 'vcenter.start' });
    await t.must({ type: 'vcenter.destroy' });
    expect(t.check('lose-vcenter')).toEqual({ status: 'done' });
    // What the learner predicts about: every running VM keeps running.
    for (const vm of ['db-01', 'web-01', 'app-01']) expect(t.observe('lose-vcenter', vm).choice).toBe('runs');
    expect(t.check('deploy')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'vcenter.deploy' });
    expect(t.check('deploy')).toEqual({ status: 'done' });
  });

  it('a new NKP with the same name is named as not the backup; so is one with another name', async () => {
    const t = await toRestore();
    expect(t.check('restore-nkp')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'provider.addNative', name: NKP, tpmOnly: true });
    const same = t.check('restore-nkp');
    expect(same).toMatchObject({ status: 'misconception', id: 'new-nkp-same-name' });
    expect(same.status === 'misconception' && same.message).toContain(t.baseline.providers[NKP]!.keyId!);
    await t.must({ type: 'provider.remove', providerId: NKP });
    await t.must({ type: 'provider.addNative', name: 'NKP-New', tpmOnly: true });
    expect(t.check('restore-nkp')).toMatchObject({ status: 'misconception', id: 'new-nkp-other-name' });
    await t.must({ type: 'provider.remove', providerId: 'NKP-New' });
    const restored = await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, HANDOUT_PASSWORD);
    expect(restored.ok).toBe(true);
    expect(t.check('restore-nkp')).toEqual({ status: 'done' });
  });

  it('a wrong password restores nothing', async () => {
    const t = await toRestore();
    const wrong = await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, 'not the password');
    expect(wrong.ok).toBe(false);
    expect(t.check('restore-nkp')).toMatchObject({ status: 'notYet' });
  });

  it('hosts: not done until every host is back and the key database holds both VMs’ keys', async () => {
    const t = await toRestore();
    await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, HANDOUT_PASSWORD);
    expect(t.lab.getView().vcenter!.keyDatabase).toEqual([]);
    await t.must({ type: 'host.add', hostId: 'esx-01' });
    const partial = t.check('re-add-hosts');
    expect(partial).toMatchObject({ status: 'notYet', missing: expect.stringContaining('esx-02.lab.local') });
    await t.must({ type: 'host.add', hostId: 'esx-02' });
    await t.must({ type: 'host.add', hostId: 'esx-03' });
    const keyDb = t.lab.getView().vcenter!.keyDatabase.map((e) => e.keyId);
    expect(keyDb).toEqual(expect.arrayContaining([t.baseline.vms['db-01']!.keyId, t.baseline.vms['web-01']!.keyId]));
    expect(t.check('re-add-hosts')).toEqual({ status: 'done' });
  });

  it('reboot: not done before the reboot, nor with db-01 off after it; done once it runs again', async () => {
    const t = await toRestore();
    await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, HANDOUT_PASSWORD);
    for (const hostId of ['esx-01', 'esx-02', 'esx-03']) await t.must({ type: 'host.add', hostId });
    expect(t.check('reboot-host')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(t.check('reboot-host')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/power db-01 on/) });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(t.check('reboot-host')).toEqual({ status: 'done' });
  });

  it('misconception then recovery: a new NKP-Prod, backed up and the hosts added with it, then removed and the backup restored: every later step passes', async () => {
    const t = await toRestore();
    const run = t.run();
    await t.must({ type: 'provider.addNative', name: NKP, tpmOnly: true });
    await t.lab.exportNkpBackup(NKP, 'Lantern-Quarry-Maple-Ocean-3');
    for (const hostId of ['esx-01', 'esx-02', 'esx-03']) await t.must({ type: 'host.add', hostId });
    expect(t.check('restore-nkp')).toMatchObject({ status: 'misconception', id: 'new-nkp-same-name' });
    await t.must({ type: 'provider.remove', providerId: NKP });
    expect(await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, HANDOUT_PASSWORD)).toMatchObject({ ok: true });
    expect(t.check('restore-nkp')).toEqual({ status: 'done' });
    expect(t.check('re-add-hosts')).toEqual({ status: 'done' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    await t.must({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(t.check('reboot-host')).toEqual({ status: 'done' });
    for (let i = 0; i < 50 && !run.getState().evaluation.finished; i++) await new Promise((r) => setTimeout(r, 5));
    expect(run.getState().evaluation.finished).toBe(true);
  });

  it('a VM that was off comes back too, as the hosts step says: powered on with NKP-Prod restored, its key is in vCenter again', async () => {
    const t = await startLessonForTest(lesson);
    // Off, and its host rebooted since: the KEK is in no host's memory (a power-off alone keeps it in the key cache).
    await t.must({ type: 'vm.powerOff', vmId: 'web-01' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    await t.must({ type: 'vcenter.destroy' });
    await t.must({ type: 'vcenter.deploy' });
    await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, HANDOUT_PASSWORD);
    for (const hostId of ['esx-01', 'esx-02', 'esx-03']) await t.must({ type: 'host.add', hostId });
    const webKey = t.baseline.vms['web-01']!.keyId!;
    expect(t.lab.getView().vcenter!.keyDatabase.map((e) => e.keyId)).not.toContain(webKey);
    await t.must({ type: 'vm.powerOn', vmId: 'web-01' });
    expect(t.lab.getView().vcenter!.keyDatabase.map((e) => e.keyId)).toContain(webKey);
    expect(t.check('re-add-hosts')).toEqual({ status: 'done' });
  });

  it('the whole lesson by “show me”, with predictions: ends finished, and the proof reads every file back', async () => {
    const { run, proof } = await completeWithShowMe(await startLessonForTest(lesson), {
      predictions: {
        'lose-vcenter': { 'db-01': 'runs', 'web-01': 'locked', 'app-01': 'runs' },
        'reboot-host': { 'db-01': 'locked', 'web-01': 'runs' },
      },
    });
    const observed = run.getState().progress.predictions['reboot-host']!.observed!;
    expect(observed['db-01']).toMatchObject({ choice: 'runs' });
    expect(run.getState().score).toMatchObject({ shown: 5, predictionsRight: 3, predictionsTotal: 5 });
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    expect(proof.kind === 'readBack' && proof.files.map((f) => f.name)).toEqual(expect.arrayContaining(['customers.csv', 'orders.txt', 'index.html', 'notes.txt']));
  });
});
