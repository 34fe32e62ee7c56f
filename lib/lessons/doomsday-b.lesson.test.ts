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

  it('names the real mistake, hosts added before the restore (not the power-on), and both fixes work: Unlock VM and Enable host encryption mode', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    await t.must({ type: 'host.add', hostId: 'esx-01' });
    // Locked as its host joined, before anyone powered it on.
    expect(t.lab.getView().vms.find((v) => v.id === 'db-01')!.locked).not.toBeNull();
    const named = t.check('restore');
    expect(named).toMatchObject({ status: 'misconception', id: 'joined-before-restore' });
    expect(named.status === 'misconception' && named.message).toMatch(/host was added .* before NKP-1 was restored.*Unlock VM.*Enable host encryption mode/s);
    // A power-on changes nothing about it: still the same mistake.
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'db-01' })).ok).toBe(false);
    expect(t.check('restore')).toMatchObject({ status: 'misconception', id: 'joined-before-restore' });
    await t.must({ type: 'host.add', hostId: 'esx-02' });
    const handout = t.progress.handout!;
    const restoredMsg = await t.lab.restoreNkpFromBackup(handout.bytes, handout.password);
    expect(restoredMsg).toMatchObject({ ok: true, message: expect.stringContaining('Locked VM(s) with its keys: db-01, web-01') });
    // The lock banner now says the key is back, not what was wrong before.
    expect(t.lab.getView().vms.find((v) => v.id === 'db-01')!.locked!.message).toMatch(/can serve its key again/);
    expect(t.check('restore')).toEqual({ status: 'done' });
    expect(t.check('add-hosts')).toEqual({ status: 'done' });
    await t.must({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'archive-01', hostId: 'esx-02' });
    expect(t.check('register')).toEqual({ status: 'done' });
    expect(t.check('power-on')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/db-01 and web-01 are locked from before NKP-1 was back: .*Unlock VM.*Enable host encryption mode/) });
    // One fix on each VM: Unlock VM for db-01, host encryption mode re-enabled on web-01's host.
    await t.must({ type: 'vm.unlock', vmId: 'db-01' });
    expect(await t.must({ type: 'host.enableEncryptionMode', hostId: 'esx-02' })).toMatch(/unlocked: web-01/);
    for (const vmId of ['db-01', 'web-01', 'archive-01']) await t.must({ type: 'vm.powerOn', vmId });
    expect(t.check('power-on')).toEqual({ status: 'done' });
  });

  it('mistake path: a new NKP-1, backed up, is still not the restore (the step is not ticked)', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await t.lab.exportNkpBackup('NKP-1', 'Lantern-Quarry-Maple-Ocean-3');
    const result = t.check('restore');
    expect(result).toMatchObject({ status: 'misconception', id: 'new-nkp-same-name' });
    expect(result.status === 'misconception' && result.message).toContain(t.baseline.backups!['NKP-1']!);
    expect(t.check('add-hosts')).toMatchObject({ status: 'misconception', id: 'new-nkp-same-name' });
  });

  it('mistake path corrected: wrong NKP removed, the right .p12 restored, VMs unlocked and powered on: every step passes', async () => {
    const t = await startLessonForTest(lesson);
    const run = t.run();
    await t.must({ type: 'vcenter.deploy' });
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await t.lab.exportNkpBackup('NKP-1', 'Lantern-Quarry-Maple-Ocean-3');
    for (const hostId of ['esx-01', 'esx-02']) await t.must({ type: 'host.add', hostId });
    await t.must({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'archive-01', hostId: 'esx-01' });
    // The wrong provider opens none of the VMs: removing it says so, matched by key, not by name.
    expect(await t.must({ type: 'provider.remove', providerId: 'NKP-1' })).toBe('Key provider NKP-1 removed.');
    const handout = t.progress.handout!;
    expect(await t.lab.restoreNkpFromBackup(handout.bytes, handout.password)).toMatchObject({
      ok: true,
      message: expect.stringContaining('Locked VM(s) with its keys: db-01, web-01, archive-01'),
    });
    // No banner names the removed provider's key ID any more.
    const wrongKdk = t.lab.getView().events.filter((e) => e.operation === 'RemoveKeyProvider').at(-1)!.keyId!;
    for (const vm of t.lab.getView().vms) expect(vm.locked?.message ?? '').not.toContain(wrongKdk);
    for (const vmId of ['db-01', 'web-01', 'archive-01']) await t.must({ type: 'vm.unlock', vmId });
    for (const vmId of ['db-01', 'web-01', 'archive-01']) await t.must({ type: 'vm.powerOn', vmId });
    // vCenter vouched for each key at the unlock: its key database has them, and every step passes.
    const keyDb = t.lab.getView().vcenter!.keyDatabase.map((e) => e.keyId);
    for (const id of ['db-01', 'web-01', 'archive-01']) expect(keyDb).toContain(t.baseline.vms[id]!.keyId);
    for (const step of ['restore', 'add-hosts', 'register', 'power-on']) expect(t.check(step), step).toEqual({ status: 'done' });
    expect(run.getState().evaluation.finished).toBe(true);
  });

  it('restoring a valid .p12 of another KDK (an earlier attempt) says the VMs are not its, and offers no unlock', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    const earlier = await t.lab.exportNkpBackup('NKP-1', 'Lantern-Quarry-Maple-Ocean-3');
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });
    for (const hostId of ['esx-01', 'esx-02']) await t.must({ type: 'host.add', hostId });
    const restored = await t.lab.restoreNkpFromBackup(earlier.bytes, 'Lantern-Quarry-Maple-Ocean-3');
    expect(restored.ok).toBe(true);
    const message = restored.ok ? restored.message : '';
    expect(message).not.toContain('Locked VM(s) with its keys');
    expect(message).toContain(`Not theirs: db-01, web-01, archive-01 name NKP-1 in their files, but with another KDK (key ID ${t.baseline.backups!['NKP-1']})`);
    expect(t.check('restore')).toMatchObject({ status: 'misconception', id: 'new-nkp-same-name' });
    expect((await t.lab.dispatch({ type: 'vm.unlock', vmId: 'db-01' })).ok).toBe(false);
  });

  it('archive-01 registered too early: the register step asks to unlock it, and "show me" does that', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'vcenter.deploy' });
    for (const hostId of ['esx-01', 'esx-02']) await t.must({ type: 'host.add', hostId });
    await t.must({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: 'archive-01', hostId: 'esx-01' });
    const handout = t.progress.handout!;
    await t.lab.restoreNkpFromBackup(handout.bytes, handout.password);
    expect(t.check('register')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^archive-01 was registered before NKP-1 was restored.*Unlock it/) });
    const shown = t.step('register').showMe!(t.lab.getView(), t.baseline);
    expect(shown).toEqual([{ kind: 'command', command: { type: 'vm.unlock', vmId: 'archive-01' } }]);
    await t.must({ type: 'vm.unlock', vmId: 'archive-01' });
    expect(t.check('register')).toEqual({ status: 'done' });
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
