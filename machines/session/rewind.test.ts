// "Go back to here" and Redo, headless: the lab rebuilt up to an earlier step reaches the view it had then (fresh key
// bytes), Redo goes forward again step by step, and doing something new ends Redo.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabCommand, LabView } from '../lab-types';
import { createManualClock } from './lab-clock';
import { closeTestLabs, ok, openTestLab, reopenTestLab, type TestLab } from './lab-test-support';
import { redoNext, rewindLab } from './rewind';

afterEach(closeTestLabs);

const comparable = (view: LabView): unknown =>
  JSON.parse(JSON.stringify({ ...view, journal: { entries: view.journal.entries } }, (key, value: unknown) =>
    /^fingerprint$|Fingerprint$/.test(key) || key === 'saveProblem' ? undefined : value,
  ));

const STEPS: LabCommand[] = [
  { type: 'vm.powerOff', vmId: 'app-01' },
  { type: 'vm.encrypt', vmId: 'app-01' },
  { type: 'vm.powerOn', vmId: 'app-01' },
  { type: 'guest.writeFile', vmId: 'app-01', name: 'later.txt', text: 'written at step 4' },
  { type: 'host.reboot', hostId: 'esx-03' },
  { type: 'vcenter.destroy' },
];

/** Runs STEPS, keeping the view after each one (views[k] = after k steps). */
async function walk(): Promise<{ opened: TestLab; views: LabView[] }> {
  const clock = createManualClock();
  const opened = await openTestLab({ label: 'rewind', clock, seed: 'rewind-seed' });
  const views = [opened.lab.getView()];
  for (const step of STEPS) {
    clock.advance(1000);
    await ok(opened.lab, step);
    views.push(opened.lab.getView());
  }
  await opened.lab.save();
  opened.lab.dispose();
  return { opened, views };
}

describe('going back in a lab', () => {
  it('rebuilds the lab just before step 4, with the data and keys of that moment, and Redo goes forward again', async () => {
    const { opened, views } = await walk();
    await rewindLab(opened.db, opened.labId, 4);
    const back = await reopenTestLab(opened, createManualClock(0));
    const view = back.lab.getView();
    expect(comparable({ ...view, clock: views[3]!.clock })).toEqual(comparable(views[3]!));
    expect(view.clock.now).toBe(4000); // the moment step 4 was done
    expect(view.journal.redo.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(view.vms.find((vm) => vm.id === 'app-01')?.encryption?.providerId).toBe('KMS-Cluster');
    await expect(back.lab.readGuestFile('app-01', 'later.txt')).rejects.toThrow();

    expect(await redoNext(back.lab, back.clock)).toEqual({ ok: true, message: 'Redone: step 4.' });
    expect(await back.lab.readGuestFile('app-01', 'later.txt')).toBe('written at step 4');
    expect(back.lab.getView().journal.redo.map((e) => e.seq)).toEqual([5, 6]);
  });

  it('ends Redo when something new is done, and says so when asked to redo', async () => {
    const { opened } = await walk();
    await rewindLab(opened.db, opened.labId, 2);
    const back = await reopenTestLab(opened, createManualClock(0));
    await ok(back.lab, { type: 'vm.powerOn', vmId: 'app-01' });
    expect(back.lab.getView().journal.redo).toEqual([]);
    expect(await redoNext(back.lab, back.clock)).toMatchObject({ ok: false, code: 'NOTHING_TO_REDO' });
  });

  it('goes back twice: what both took back stays to redo, in order', async () => {
    const { opened } = await walk();
    await rewindLab(opened.db, opened.labId, 4);
    await rewindLab(opened.db, opened.labId, 2);
    const back = await reopenTestLab(opened, createManualClock(0));
    expect(back.lab.getView().journal.entries.map((e) => e.seq)).toEqual([1]);
    expect(back.lab.getView().journal.redo.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);
  });

  it('refuses to go back over a restore of a backup file from outside the lab, changing nothing', async () => {
    const clock = createManualClock();
    const source = await openTestLab({ label: 'rewind-outside-source', clock, seed: 'other' });
    await ok(source.lab, { type: 'provider.addNative', name: 'NKP-9', tpmOnly: false });
    const file = await source.lab.exportNkpBackup('NKP-9', 'a long enough passphrase');
    const opened = await openTestLab({ label: 'rewind-outside', clock: createManualClock(), seed: 'mine' });
    expect((await opened.lab.restoreNkpFromBackup(file.bytes, 'a long enough passphrase')).ok).toBe(true);
    await ok(opened.lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await opened.lab.save();
    const before = await opened.db.savedLabs.get(opened.labId);
    opened.lab.dispose();
    await expect(rewindLab(opened.db, opened.labId, 2)).rejects.toMatchObject({ code: 'NOT_REPLAYABLE' });
    expect(await opened.db.savedLabs.get(opened.labId)).toEqual(before);
  });

  it('stops Redo at a restore of a file from outside, and goes on once the learner restores that file again', async () => {
    const source = await openTestLab({ label: 'rewind-redo-outside-source', clock: createManualClock(), seed: 'other' });
    await ok(source.lab, { type: 'provider.addNative', name: 'NKP-9', tpmOnly: false });
    const file = await source.lab.exportNkpBackup('NKP-9', 'a long enough passphrase');
    const opened = await openTestLab({ label: 'rewind-redo-outside', clock: createManualClock(), seed: 'mine' });
    await ok(opened.lab, { type: 'vm.powerOff', vmId: 'app-01' });
    expect((await opened.lab.restoreNkpFromBackup(file.bytes, 'a long enough passphrase')).ok).toBe(true);
    await ok(opened.lab, { type: 'vm.powerOn', vmId: 'app-01' });
    await opened.lab.save();
    opened.lab.dispose();
    await rewindLab(opened.db, opened.labId, 2);
    const back = await reopenTestLab(opened, createManualClock(0));
    expect(back.lab.getView().journal.redo.map((e) => e.seq)).toEqual([2, 3]);
    expect(await redoNext(back.lab, back.clock)).toMatchObject({ ok: false, code: 'NOT_REPLAYABLE', reason: expect.stringContaining('with the same file') });
    expect((await back.lab.restoreNkpFromBackup(file.bytes, 'a long enough passphrase')).ok).toBe(true);
    expect(back.lab.getView().journal.redo.map((e) => e.seq)).toEqual([3]);
    expect(await redoNext(back.lab, back.clock)).toMatchObject({ ok: true });
    expect(back.lab.getView().vms.find((vm) => vm.id === 'app-01')?.power).toBe('on');
  });
});
