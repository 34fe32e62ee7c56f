// Lesson 1's backup step and the backup dialog's meter agree: the backup records the lab's rating of its password,
// and the step passes only on a password the meter calls Strong ("correct horse battery staple"), naming the mix-up
// for one it calls Fair ("Tr0ub4dor&3xyz": every kind of character, still guessable offline).
import { afterEach, describe, expect, it } from 'vitest';
import { loadPasswordRater } from '@/lib/password/password-strength';
import { closeLessonLabs, startLessonForTest } from '@/machines/lessons/test-support';
import { newestBackupOf } from './backup-password';
import { lesson } from './nkp-setup.lesson';

afterEach(closeLessonLabs);

async function backedUpWith(password: string) {
  const t = await startLessonForTest(lesson);
  await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
  await t.lab.exportNkpBackup('NKP-1', password);
  return t;
}

describe('the backup step judges the password as the meter does', () => {
  it('a password the meter calls Fair is named, and a strong passphrase afterwards passes', async () => {
    const rate = await loadPasswordRater();
    expect(rate('Tr0ub4dor&3xyz', ['NKP-1']).level).toBe('fair');
    const t = await backedUpWith('Tr0ub4dor&3xyz');
    const nkp = t.lab.getView().vcenter!.keyProviders.find((p) => p.name === 'NKP-1')!;
    expect(nkp.kind === 'native' && newestBackupOf(t.lab.getView(), nkp.keyId)?.passwordStrength).toBe('fair');
    expect(t.check('back-up')).toMatchObject({ status: 'misconception', id: 'weak-backup-password', message: expect.stringContaining('Fair') });

    await t.lab.exportNkpBackup('NKP-1', 'correct horse battery staple');
    expect(rate('correct horse battery staple', ['NKP-1']).level).toBe('strong');
    expect(t.check('back-up')).toEqual({ status: 'done' });
  });

  it('a weak password is named; the newest backup is the one judged', async () => {
    const t = await backedUpWith('correct horse battery staple');
    expect(t.check('back-up')).toEqual({ status: 'done' });
    await t.lab.exportNkpBackup('NKP-1', 'password123');
    expect(t.check('back-up')).toMatchObject({ status: 'misconception', id: 'weak-backup-password', message: expect.stringContaining('Weak') });
  });

  it('the rating is kept with the saved lab and shown in the view after a reload', async () => {
    const t = await backedUpWith('Tr0ub4dor&3xyz');
    await t.lab.save();
    const files = t.lab.getView().backupFiles ?? [];
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ providerId: 'NKP-1', passwordStrength: 'fair', fileName: expect.stringMatching(/^NKP-1_.*\.p12$/) });
  });
});
