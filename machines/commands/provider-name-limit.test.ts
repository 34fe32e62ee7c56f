// Key provider names have vSphere's limit (80 characters), whether typed in "Add" or read from a restored .p12.
import { describe, expect, it } from 'vitest';
import { generateKdk } from '@/lib/crypto/keys';
import { exportNkpBackup } from '@/lib/crypto/pkcs12';
import { ok, openTestLab } from '../session/lab-test-support';

describe('key provider names', () => {
  it('accepts 80 characters and refuses more, saying the length and the limit', async () => {
    const { lab } = await openTestLab();
    const huge = await lab.dispatch({ type: 'provider.addNative', name: 'n'.repeat(10_000), tpmOnly: true });
    expect(huge).toEqual({
      ok: false,
      code: 'BAD_NAME',
      reason: 'The key provider name is 10,000 characters long; vSphere allows at most 80. Choose a shorter name.',
    });
    expect((await lab.dispatch({ type: 'provider.addStandard', name: 's'.repeat(81), kmsNodeIds: ['kms-a'] })).ok).toBe(false);
    // Characters, not UTF-16 units: 80 emoji are 80 characters.
    await ok(lab, { type: 'provider.addNative', name: '🔑'.repeat(80), tpmOnly: true });
    expect(lab.getView().vcenter!.keyProviders.map((p) => p.name)).toContain('🔑'.repeat(80));
    lab.dispose();
  });

  it('refuses to restore a .p12 whose provider name is longer than vSphere allows', async () => {
    const { lab } = await openTestLab();
    const bytes = await exportNkpBackup(
      { kdk: await generateKdk(), providerName: 'p'.repeat(200), keyId: crypto.randomUUID(), exportedAt: 0, tpmOnly: false },
      'pw',
    );
    expect(await lab.restoreNkpFromBackup(bytes, 'pw')).toMatchObject({ ok: false, code: 'BAD_NAME' });
    expect(lab.getView().vcenter!.keyProviders.some((p) => p.name.startsWith('ppp'))).toBe(false);
    lab.dispose();
  });
});
