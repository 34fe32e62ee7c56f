// A lab reloaded mid-scenario continues: a pending 60 s KMS wait and an interrupted deep re-key survive the reload.
import { afterEach, describe, expect, it } from 'vitest';
import { saveLab } from '@/lib/storage';
import { createManualClock } from '../session/lab-clock';
import { openLab, resetLab } from '../lab';
import { closeTestLabs, newTestDb, ok, openTestLab, reopenTestLab, vmOf } from '../session/lab-test-support';

afterEach(closeTestLabs);

describe('save and restore', () => {
  it('keeps a pending KMS wait across a reload, with its deadline, and finishes the command after it', async () => {
    const opened = await openTestLab({ labId: 'w' });
    const { lab } = opened;
    await ok(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'clock.advance', ms: 1000 });
    void lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    await ok(lab, { type: 'clock.advance', ms: 20_000 });
    const wait = lab.getView().clock.pendingWaits[0]!;
    expect(wait.deadline).toBe(61_000);
    await lab.save();
    lab.dispose();

    const { lab: again } = await reopenTestLab(opened, createManualClock());
    expect(again.getView().clock.now).toBe(21_000);
    expect(again.getView().clock.pendingWaits).toEqual([wait]);
    await ok(again, { type: 'clock.advance', ms: 39_999 });
    expect(again.getView().clock.pendingWaits).toHaveLength(1);
    expect(vmOf(again, 'app-01').encryption).toBeNull();
    await ok(again, { type: 'clock.advance', ms: 1 });
    // The re-run goes on with kms-b (kms-a already cost its 60 s) and needs no further wait.
    await ok(again, { type: 'user.switch', userName: 'administrator@vsphere.local' });
    expect(again.getView().clock.pendingWaits).toHaveLength(0);
    expect(vmOf(again, 'app-01').encryption?.providerId).toBe('KMS-Cluster');
    await ok(again, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(await again.readGuestFile('app-01', 'notes.txt')).toBe('Application server. Not encrypted yet.\n');
  });

  it('resumes a deep re-key interrupted by closing the lab, without losing a byte', async () => {
    const opened = await openTestLab({ labId: 'd' });
    const { lab } = opened;
    await ok(lab, { type: 'vm.powerOff', vmId: 'db-01' });
    const before = vmOf(lab, 'db-01').encryption!;
    let saved: Promise<void> | null = null;
    const unsubscribe = lab.subscribe(() => {
      const op = vmOf(lab, 'db-01').operation;
      if (!saved && op && op.done > 0 && op.done < op.total) {
        saved = lab.save().then(() => lab.dispose());
      }
    });
    const result = await lab.dispatch({ type: 'vm.rekeyDeep', vmId: 'db-01' });
    unsubscribe();
    expect(result.ok).toBe(false);
    await saved;

    const { lab: again } = await reopenTestLab(opened, createManualClock());
    const op = vmOf(again, 'db-01').operation!;
    expect(op).toMatchObject({ kind: 'rekeyDeep', interrupted: true });
    expect(op.done).toBeGreaterThan(0);
    const refused = await again.dispatch({ type: 'vm.powerOn', vmId: 'db-01' });
    expect(refused).toMatchObject({ ok: false, code: 'OPERATION_PENDING' });
    await again.resumeInterrupted();
    const after = vmOf(again, 'db-01');
    expect(after.operation).toBeNull();
    expect(after.encryption!.keyId).not.toBe(before.keyId);
    expect(after.encryption!.dekFingerprint).not.toBe(before.dekFingerprint);
    await ok(again, { type: 'vm.powerOn', vmId: 'db-01' });
    expect(await again.readGuestFile('db-01', 'customers.csv')).toBe(
      'id,name,card\n1,Ada Lovelace,4111-1111-1111-1111\n2,Alan Turing,5500-0000-0000-0004\n',
    );
  });
});

describe('a saved record edited behind the lab\'s back', () => {
  it('is caught though the world stamp did not move: the files win (the VM is shown encrypted, as its disk is)', async () => {
    const opened = await openTestLab({ labId: 'edited' });
    await ok(opened.lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(opened.lab, { type: 'vm.encrypt', vmId: 'app-01' });
    const keyId = vmOf(opened.lab, 'app-01').encryption?.keyId;
    expect(keyId).toBeTruthy();
    await opened.lab.save();
    opened.lab.dispose();

    const row = (await opened.db.savedLabs.get('edited'))!;
    expect(row.vouch).toBeTruthy(); // saved with nothing running: it vouches for the world
    const saved = JSON.parse(row.snapshotJson) as { root: { children: Record<string, { snapshot: { context: Record<string, unknown> } }> } };
    saved.root.children['vm:app-01']!.snapshot.context.encryption = null;
    await opened.db.savedLabs.put({ ...row, snapshotJson: JSON.stringify(saved) });

    const { lab } = await reopenTestLab(opened);
    expect(vmOf(lab, 'app-01').encryption?.keyId).toBe(keyId);
    expect((await lab.dispatch({ type: 'vm.decrypt', vmId: 'app-01' })).ok).toBe(true);
  });
});

describe('resetLab', () => {
  it('forgets the saved lab and its world: the next open builds the scenario afresh', async () => {
    const opened = await openTestLab({ labId: 'r' });
    const { db, lab } = opened;
    await ok(lab, { type: 'vcenter.destroy' });
    await lab.save();
    lab.dispose();
    await resetLab(db, 'r');
    expect(await db.keyVault.count()).toBe(0);
    const { lab: fresh } = await reopenTestLab(opened, createManualClock());
    expect(fresh.getView().vcenterStatus).toBe('running');
    expect(fresh.getView().vms.map((vm) => vm.folder)).toEqual(['db-01', 'web-01', 'app-01']);
    expect(await fresh.readGuestFile('db-01', 'customers.csv')).toContain('Ada Lovelace');
  });
});

describe('a saved lab that cannot be read', () => {
  it('is refused with a message that says to reset, never half-opened', async () => {
    const db = newTestDb();
    await saveLab(db, 'bad', { format: 99, now: 0, root: {} });
    await expect(openLab({ db, labId: 'bad', clock: createManualClock() })).rejects.toThrow(/Reset the lab/);
  });
});
