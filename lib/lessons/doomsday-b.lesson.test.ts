// Lesson 4 headless: the starting disaster (no vCenter, no keys on any host, esx-03 gone), each step's check, the
// misconceptions (a new NKP instead of the backup, a VM powered on before the restore), archive-01 registered from
// the datastore with its key derived from the restored KDK, and the lesson done by "show me" with the files read back.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './doomsday-b.lesson';

afterEach(closeLessonLabs);

describe('lesson doomsday-b', () => {
  it('starts with vCenter destroyed, the VMs off and encrypted with NKP-1, and no host holding any key', async () => {
    const t = await startLessonForTest(lesson);
    const view = t.lab.getView();
    expect(view.vcenterStatus).toBe('destroyed');
    expect(view.vms.map((v) => [v.id, v.power, v.encryption?.providerName])).toEqual([
      ['db-01', 'off', 'NKP-1'],
      ['web-01', 'off', 'NKP-1'],
      ['archive-01', 'off', 'NKP-1'],
    ]);
    for (const h of view.hosts) expect([h.id, h.ramKeys, h.tpmSealedKeys]).toEqual([h.id, [], []]);
    expect(view.hosts.find((h) => h.id === 'esx-03')!.power).toBe('off');
    expect(t.progress.handout).toMatchObject({ providerName: 'NKP-1' });
    expect(t.check('deploy')).toMatchObject({ status: 'notYet' });
  });

  it('a new NKP, under the same name or another, is named; the backup restored passes', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    expect(t.check('deploy')).toEqual({ status: 'done' });
    expect(t.check('restore')).toMatchObject({ status: 'notYet', missing: 'NKP-1 is not in the new vCenter yet.' });
    await t.must({ type: 'provider.addNative', name: 'NKP-2', tpmOnly: true });
    expect(t.check('restore')).toMatchObject({ status: 'misconception', id: 'new-nkp-other-name' });
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    expect(t.check('restore')).toMatchObject({ status: 'misconception', id: 'new-nkp-same-name' });
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });
    const handout = t.progress.handout!;
    expect(await t.lab.restoreNkpFromBackup(handout.bytes, handout.password)).toMatchObject({ ok: true });
    expect(t.check('restore')).toEqual({ status: 'done' });
  });

  it('names a VM powered on before the NKP was restored, until the restore; then asks to unlock it', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    await t.must({ type: 'host.add', hostId: 'esx-01' });
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'db-01' })).ok).toBe(false);
    expect(t.lab.getView().vms.find((v) => v.id === 'db-01')!.locked).not.toBeNull();
    expect(t.check('restore')).toMatchObject({ status: 'misconception', id: 'powered-on-before-restore' });
    const handout = t.progress.handout!;
    expect(await t.lab.restoreNkpFromBackup(handout.bytes, handout.password)).toMatchObject({ ok: true });
    expect(t.check('restore')).toEqual({ status: 'done' });
    await t.must({ type: 'host.add', hostId: 'esx-02' });
    await t.must({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'archive-01', hostId: 'esx-02' });
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/db-01 is locked from before NKP-1 was back/) });
    await t.must({ type: 'vm.unlock', vmId: 'db-01' });
    for (const vmId of ['db-01', 'web-01', 'archive-01']) await t.must({ type: 'vm.powerOn', vmId });
    expect(t.check('power-on')).toEqual({ status: 'done' });
  });

  it('archive-01 comes back only from the datastore, with its key derived from the restored KDK', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    const handout = t.progress.handout!;
    expect(await t.lab.restoreNkpFromBackup(handout.bytes, handout.password)).toMatchObject({ ok: true });
    await t.must({ type: 'host.add', hostId: 'esx-01' });
    expect(t.check('add-hosts')).toMatchObject({ status: 'notYet', missing: 'Add esx-02.lab.local to the new vCenter.' });
    await t.must({ type: 'host.add', hostId: 'esx-02' });
    expect(t.check('add-hosts')).toEqual({ status: 'done' });
    expect(t.check('register')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^archive-01 is not in the inventory/) });
    await t.must({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'archive-01' });
    expect(t.check('register')).toEqual({ status: 'done' });
    expect(t.observe('register', 'archive-01').choice).toBe('files');
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: 'Power on db-01, web-01 and archive-01.' });
  });

  it('can be done end to end with "show me", and every guest file reads back', async () => {
    const { proof } = await completeWithShowMe(await startLessonForTest(lesson));
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    if (proof.kind === 'readBack') expect(proof.files.map((f) => f.vmId)).toEqual(['db-01', 'web-01', 'archive-01']);
  });
});
