// Lesson 8 headless: the handout comes without its password, a wrong password is refused and counts as the try, a
// new NKP named like the old one is named as the trap it is, vault-01 stays locked, a destroyed KMS key locks
// ledger-01 after its host reboots, and the proof finds no key in the lab that opens either disk.
import { afterEach, describe, expect, it } from 'vitest';
import { closeLessonLabs, completeWithShowMe, outcomeOf, startLessonForTest } from '@/machines/lessons/test-support';
import { lesson } from './the-traps.lesson';

afterEach(closeLessonLabs);

describe('lesson the-traps', () => {
  it('hands out the .p12 without its password; a guess is refused and counts as the try', async () => {
    const t = await startLessonForTest(lesson);
    expect(t.progress.handout).toMatchObject({ providerName: 'NKP-1', password: '', passwordLost: true });
    expect(t.check('try-backup')).toMatchObject({ status: 'notYet' });
    expect(t.check('vault-locked')).toMatchObject({ status: 'notYet', missing: 'Try to Power on vault-01.' });
    const guess = await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, 'Password123!');
    expect(guess.ok).toBe(false);
    expect(t.check('try-backup')).toEqual({ status: 'done' });
    // "Show me" has no password either: the restore stays impossible.
    expect((await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, t.progress.handout!.password)).ok).toBe(false);
  });

  it('a new NKP under the old name is the trap it is, and vault-01 stays locked', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    expect(t.check('try-backup')).toMatchObject({ status: 'misconception', id: 'same-name-new-kdk', message: expect.stringMatching(/even under the same name/) });
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'vault-01' })).ok).toBe(false);
    expect(t.check('vault-locked')).toMatchObject({ status: 'misconception', id: 'same-name-new-kdk' });
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });
    expect(t.check('vault-locked')).toEqual({ status: 'done' });
    expect(t.observe('vault-locked', 'vault-01').choice).toBe('never');
  });

  it('text and world agree: the only copy of NKP-1’s KDK left is the .p12 (no host holds it; esx-01 never had it)', async () => {
    const t = await startLessonForTest(lesson);
    const kdkId = t.baseline.backups!['NKP-1']!;
    const kdk = t.lab.getView().keyMap.filter((k) => k.keyId === kdkId);
    expect(kdk.flatMap((k) => k.places.map((p) => p.kind))).toEqual(['backup-file']);
    for (const h of t.lab.getView().hosts) expect(h.ramKeys.filter((k) => k.level === 'KDK')).toEqual([]);
    expect(t.lab.getView().hosts.find((h) => h.id === 'esx-01')!.hasTpm).toBe(false);
  });

  it('misconception then recovery: a new NKP-1, even backed up, is named; removed, the locked vault-01 is the lesson’s point', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await t.lab.exportNkpBackup('NKP-1', 'Lantern-Quarry-Maple-Ocean-3');
    expect(t.check('try-backup')).toMatchObject({ status: 'misconception', id: 'same-name-new-kdk', message: expect.stringContaining(t.baseline.backups!['NKP-1']!) });
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });
    expect((await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, 'Summer2024!')).ok).toBe(false);
    expect(t.check('try-backup')).toEqual({ status: 'done' });
    expect((await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'vault-01' })).ok).toBe(false);
    expect(t.check('vault-locked')).toEqual({ status: 'done' });
  });

  it('a destroyed key: ledger-01 runs on until its host reboots, then is locked for good', async () => {
    const t = await startLessonForTest(lesson);
    const keyId = t.baseline.vms['ledger-01']!.keyId!;
    expect(t.check('destroy-key')).toMatchObject({ status: 'notYet' });
    await t.must({ type: 'kms.destroyKey', kmsId: 'kms-b', keyId });
    expect(t.check('destroy-key')).toEqual({ status: 'done' });
    expect(t.observe('destroy-key', 'ledger-01').choice).toBe('runs');
    expect(t.check('reboot-host')).toMatchObject({ status: 'notYet', missing: 'Reboot esx-01 (its page > Reboot).' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    expect(t.check('reboot-host')).toMatchObject({ status: 'notYet', missing: 'Try to Power on ledger-01.' });
    const start = await t.lab.dispatch({ type: 'vm.powerOn', vmId: 'ledger-01' });
    expect(start).toMatchObject({ ok: false, reason: expect.stringMatching(/KeyStateMissingInKMS/) });
    expect(t.check('reboot-host')).toEqual({ status: 'done' });
    expect(t.observe('reboot-host', 'ledger-01').choice).toBe('cannot');
  });

  it('a re-key while the host still holds the old key saves ledger-01, and the step says so', async () => {
    const t = await startLessonForTest(lesson);
    await t.must({ type: 'kms.destroyKey', kmsId: 'kms-a', keyId: t.baseline.vms['ledger-01']!.keyId! });
    await t.must({ type: 'vm.rekeyShallow', vmId: 'ledger-01' });
    expect(t.check('reboot-host')).toMatchObject({ status: 'notYet', missing: expect.stringMatching(/^ledger-01 has a new key/) });
  });

  it('can be done end to end (a guessed password, then "show me"), and no key in the lab opens either disk', async () => {
    const t = await startLessonForTest(lesson);
    t.run(); // following the learner from the start, so the guess below counts
    expect((await t.lab.restoreNkpFromBackup(t.progress.handout!.bytes, 'guess')).ok).toBe(false);
    expect(await outcomeOf(t.run(), 'try-backup')).toBe('done');
    // Powering on a VM whose key is gone is refused: that refusal is what those steps show.
    const { proof } = await completeWithShowMe(t, {
      from: 'vault-locked',
      refusals: { 'vault-locked': /^VM vault-01 is locked \(KeyStateMissingInCache\)/, 'reboot-host': /^VM ledger-01 cannot get its key \(KeyStateMissingInKMS\)/ },
    });
    expect(proof).toMatchObject({ kind: 'unrecoverable', ok: true });
    if (proof.kind === 'unrecoverable') expect(proof.vms.map((v) => [v.vmId, v.opened])).toEqual([['vault-01', false], ['ledger-01', false]]);
  });
});
