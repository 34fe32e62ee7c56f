// Restoring an NKP from its .p12 while the lab keeps working: the file's password work happens before the restore's
// turn in the command queue, reports progress, and can be cancelled without changing anything.
import { describe, expect, it } from 'vitest';
import type { Lab } from '../lab-types';
import { ok, openTestLab } from './lab-test-support';

/** The starter lab after vCenter was lost and a new one deployed (no providers yet), and the old NKP-01's .p12. */
async function newVcenterWithBackup(): Promise<{ lab: Lab; bytes: Uint8Array }> {
  const { lab } = await openTestLab();
  await ok(lab, { type: 'provider.addNative', name: 'NKP-01', tpmOnly: false });
  const { bytes } = await lab.exportNkpBackup('NKP-01', 'S3cret!');
  await ok(lab, { type: 'vcenter.destroy' });
  await ok(lab, { type: 'vcenter.deploy' });
  return { lab, bytes };
}

describe('NKP restore and the command queue', () => {
  it('opens the file before its turn: a command sent after the restore finishes first; progress reaches the total', async () => {
    const { lab, bytes } = await newVcenterWithBackup();

    const finished: string[] = [];
    const progress: number[] = [];
    const restoring = lab
      .restoreNkpFromBackup(bytes, 'S3cret!', { onProgress: (done, total) => progress.push(done / total) })
      .then((r) => (finished.push('restore'), r));
    const other = lab.dispatch({ type: 'host.add', hostId: 'esx-01' }).then((r) => (finished.push('host add'), r));
    expect(await other).toMatchObject({ ok: true });
    expect((await restoring).ok).toBe(true);
    expect(finished).toEqual(['host add', 'restore']);
    expect(progress.at(-1)).toBe(1);
    expect(lab.getView().vcenter!.keyProviders.map((p) => p.id)).toEqual(['NKP-01']);
    lab.dispose();
  });

  it('a cancelled restore says so and changes nothing', async () => {
    const { lab, bytes } = await newVcenterWithBackup();
    const controller = new AbortController();
    const result = await lab.restoreNkpFromBackup(bytes, 'S3cret!', {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/cancelled; nothing was changed/);
    expect(lab.getView().vcenter!.keyProviders).toEqual([]);
    // And the same file restores when not cancelled.
    expect((await lab.restoreNkpFromBackup(bytes, 'S3cret!')).ok).toBe(true);
    lab.dispose();
  });
});
