// The runner, headless: prelude and baseline, steps ticking in order, misconceptions named, hints, predictions,
// "show me" through dispatch, skip, score, progress saved and reloaded, restart, and both kinds of proof.
import { afterEach, describe, expect, it } from 'vitest';
import type { Lesson } from '@/lib/lessons/lesson-types';
import { parseScenario } from '@/lib/scenario';
import { createManualClock } from '../session/lab-clock';
import { flowScenario } from '../flows/flow-support';
import { evaluate } from './evaluate';
import { deleteKeylabDb, deleteLessonProgress, KeylabDb, saveLessonProgress } from '@/lib/storage';
import { LessonRecordError } from './lesson-record-error';
import { exportLessonData, lessonDbName, lessonLabId, loadProgress, openLesson, peekLesson, peekLessonProgress, resetLesson, saveProgress } from './open-lesson';
import { runProof } from './proof';
import { lessonStatus, score } from './score';
import { closeLessonLabs, proofOf, settle, startLessonForTest } from './test-support';

afterEach(closeLessonLabs);

const PASSWORD = 'Lab-backup-2024!';

/** A small lesson over the flow world: an NKP-encrypted db-01, vCenter lost, a new one, the NKP restored. */
function testLesson(): Lesson {
  return {
    id: 'runner-test',
    order: 99,
    title: 'Runner test',
    goal: 'Exercise the runner.',
    estimatedMinutes: 1,
    scenario: () => parseScenario(flowScenario()),
    prelude: [
      { kind: 'command', command: { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true } },
      { kind: 'backupNkp', providerName: 'NKP-1', password: PASSWORD, handout: true },
      { kind: 'command', command: { type: 'provider.setDefault', providerId: 'NKP-1' } },
      { kind: 'command', command: { type: 'vm.rekeyShallow', vmId: 'db-01', providerId: 'NKP-1' } },
      { kind: 'command', command: { type: 'guest.writeFile', vmId: 'db-01', name: 'prelude.txt', text: 'written by the prelude ✓\n' } },
    ],
    handoutNote: 'The backup from last week.',
    steps: [
      {
        id: 'destroy',
        title: 'Lose vCenter',
        instructions: 'Destroy vCenter.',
        hints: ['Use Destroy vCenter…'],
        why: 'Hosts keep running their VMs.',
        check: (view) =>
          view.vcenterStatus === 'destroyed' || (view.vcenter?.generation ?? 1) > 1
            ? { status: 'done' }
            : view.vcenterStatus === 'stopped'
              ? { status: 'misconception', id: 'stopped-is-not-lost', message: 'A stopped vCenter keeps its database.' }
              : { status: 'notYet' },
        showMe: () => [{ kind: 'command', command: { type: 'vcenter.destroy' } }],
        predict: {
          question: 'Which VMs keep running?',
          choices: [
            { id: 'runs', label: 'Keeps running' },
            { id: 'stops', label: 'Stops' },
          ],
          subjects: (view) => view.vms.filter((v) => v.power === 'on').map((v) => ({ id: v.id, label: v.name })),
          observe: (view, id) => {
            const on = view.vms.find((v) => v.id === id)?.power === 'on';
            return { choice: on ? 'runs' : 'stops', reason: on ? 'Its host holds its key in memory.' : 'It stopped.' };
          },
        },
      },
      {
        id: 'deploy',
        title: 'Deploy a new vCenter',
        instructions: 'Deploy vCenter.',
        hints: ['First hint.', 'Second hint.'],
        why: 'A new vCenter is empty.',
        check: (view) => ((view.vcenter?.generation ?? 0) >= 2 ? { status: 'done' } : { status: 'notYet', missing: 'No new vCenter yet.' }),
        showMe: () => [{ kind: 'command', command: { type: 'vcenter.deploy' } }],
      },
      {
        id: 'restore',
        title: 'Restore the NKP',
        instructions: 'Add > Restore from backup.',
        hints: ['Use the .p12.'],
        why: 'The backup holds the KDK.',
        check: (view, baseline) => {
          const p = view.vcenter?.keyProviders.find((k) => k.name === 'NKP-1');
          if (!p || p.kind !== 'native' || view.vcenter!.generation < 2) return { status: 'notYet' };
          if (p.keyId !== baseline.providers['NKP-1']?.keyId) return { status: 'misconception', id: 'new-nkp-same-name', message: 'A new NKP has a new KDK.' };
          return { status: 'done' };
        },
        showMe: () => [{ kind: 'restoreHandout' }],
      },
    ],
    proof: { kind: 'readBack' },
    summary: ['The backup is the NKP.'],
  };
}

describe('starting a lesson', () => {
  it('runs the prelude through dispatch, hands out the real .p12 and records the baseline', async () => {
    const t = await startLessonForTest(testLesson());
    const view = t.lab.getView();
    const nkp = view.vcenter!.keyProviders.find((p) => p.name === 'NKP-1');
    expect(nkp).toMatchObject({ kind: 'native', backedUp: true, isDefault: true });
    expect(t.progress.handout).toMatchObject({ providerName: 'NKP-1', password: PASSWORD });
    expect(t.progress.handout!.fileName).toMatch(/\.p12$/);
    expect(t.progress.handout!.bytes[0]).toBe(0x30); // a DER SEQUENCE: a real PKCS#12 file
    expect(t.baseline.providers['NKP-1']).toEqual({ id: 'NKP-1', kind: 'native', keyId: nkp!.kind === 'native' ? nkp!.keyId : null });
    expect(t.baseline.vms['db-01']).toMatchObject({ providerName: 'NKP-1', power: 'on', keyId: view.vms.find((v) => v.id === 'db-01')!.encryption!.keyId });
    expect(t.baseline.guestFiles).toContainEqual({ vmId: 'db-01', name: 'prelude.txt', text: 'written by the prelude ✓\n' });
    expect(t.baseline.guestFiles).toContainEqual(expect.objectContaining({ vmId: 'db-01', name: 'customers.csv' }));
    const ev = evaluate(t.lesson, view, t.progress);
    expect(ev.currentStepId).toBe('destroy');
    expect(ev.steps.map((s) => s.state)).toEqual(['current', 'pending', 'pending']);
  });

  it('a refused prelude action stops the start with the lab’s reason', async () => {
    const lesson = testLesson();
    lesson.prelude = [{ kind: 'command', command: { type: 'provider.setDefault', providerId: 'NO-SUCH' } }];
    await expect(startLessonForTest(lesson)).rejects.toThrow(/could not set up its starting lab: There is no key provider NO-SUCH/);
  });
});

describe('following the learner', () => {
  it('ticks steps in order, names a misconception, counts hints, predictions and show me, then proves the data', async () => {
    let wall = 1_000;
    const t = await startLessonForTest(testLesson(), { wallNow: () => wall });
    const run = t.run();
    // A prediction made before the step: both running VMs keep running (db-01 right), one wrong on purpose.
    run.predict('destroy', { 'db-01': 'runs', 'web-01': 'stops', 'edge-01': 'runs' });
    expect(run.getState().progress.predictions['destroy']!.answers).toEqual({ 'db-01': 'runs', 'web-01': 'stops', 'edge-01': 'runs' });

    // Stopping vCenter is not losing it: the step stays open and says why.
    await t.must({ type: 'vcenter.stop' });
    await settle();
    const current = run.getState().evaluation.steps[0]!;
    expect(current).toEqual({ stepId: 'destroy', state: 'current', check: expect.objectContaining({ status: 'misconception', id: 'stopped-is-not-lost' }) });
    expect(run.getState().progress.steps['destroy']!.misconceptions).toEqual(['stopped-is-not-lost']);
    await t.must({ type: 'vcenter.start' });

    await t.must({ type: 'vcenter.destroy' });
    await settle();
    expect(run.getState().evaluation.currentStepId).toBe('deploy');
    const observed = run.getState().progress.predictions['destroy']!.observed!;
    expect(observed['db-01']).toEqual({ choice: 'runs', reason: 'Its host holds its key in memory.' });
    expect(observed['web-01']!.choice).toBe('runs');
    // A prediction after the fact is hindsight: refused.
    run.predict('destroy', { 'web-01': 'runs' });
    expect(run.getState().progress.predictions['destroy']!.answers['web-01']).toBe('stops');

    run.revealHint('deploy');
    run.revealHint('deploy');
    run.revealHint('deploy'); // only two hints
    expect(run.getState().progress.steps['deploy']!.hintsUsed).toBe(2);
    await t.must({ type: 'vcenter.deploy' });
    await settle();
    expect(run.getState().evaluation.currentStepId).toBe('restore');

    // A new NKP under the old name is not the backup.
    await t.must({ type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
    await settle();
    const wrong = run.getState().evaluation.steps[2]!;
    expect(wrong.state === 'current' && wrong.check.status === 'misconception' && wrong.check.id).toBe('new-nkp-same-name');
    expect(run.getState().progress.steps['restore']!.outcome).toBeNull();
    await t.must({ type: 'provider.remove', providerId: 'NKP-1' });

    wall = 61_000;
    const shown = await run.showMe();
    expect(shown.ok).toBe(true);
    expect(shown.messages.join(' ')).toMatch(/NKP-1/);
    await settle();
    await run.flush();
    const end = run.getState();
    expect(end.evaluation.finished).toBe(true);
    expect(end.progress.steps['restore']).toMatchObject({ outcome: 'shown', shown: true });
    expect(end.progress.finishedWallMs).toBe(61_000);
    expect(end.score).toEqual({ steps: 3, unaided: 1, hintsUsed: 2, shown: 1, skipped: 0, predictionsRight: 2, predictionsTotal: 3, predictionsUnanswered: 0 });

    // The proof runs by itself at the end: every baseline file read back through the rebuilt key chain.
    const proof = await proofOf(run);
    expect(proof).toMatchObject({ kind: 'readBack', ok: true });
    if (proof.kind !== 'readBack') throw new Error('readBack expected');
    expect(proof.files.map((f) => `${f.vmId}/${f.name}`)).toEqual(expect.arrayContaining(['db-01/prelude.txt', 'db-01/customers.csv', 'web-01/index.html']));
    await run.flush();
    expect(lessonStatus(await loadProgress(t.db, 'runner-test'))).toMatchObject({ state: 'done', score: { unaided: 1, shown: 1 } });
  });

  it('skip ends a step without counting it done; skipping the last finishes the lesson', async () => {
    const t = await startLessonForTest(testLesson());
    const run = t.run();
    run.skip();
    run.skip();
    expect(run.getState().evaluation.steps.map((s) => s.state)).toEqual(['skipped', 'skipped', 'current']);
    expect(run.getState().progress.predictions['destroy']).toBeUndefined();
    run.skip();
    expect(run.getState().evaluation.finished).toBe(true);
    expect(score(run.getState().progress)).toMatchObject({ unaided: 0, skipped: 3, shown: 0 });
  });

  it('a step already satisfied ticks as soon as it becomes current', async () => {
    const t = await startLessonForTest(testLesson());
    await t.must({ type: 'vcenter.destroy' });
    await t.must({ type: 'vcenter.deploy' });
    const run = t.run();
    expect(run.getState().evaluation.steps.map((s) => s.state)).toEqual(['done', 'done', 'current']);
  });
});

describe('saving, reloading and restarting', () => {
  it('progress is saved with the lesson’s lab and comes back on reload', async () => {
    const t = await startLessonForTest(testLesson());
    const run = t.run();
    run.revealHint('destroy');
    await t.must({ type: 'vcenter.destroy' });
    await settle();
    await run.flush();
    await t.lab.save();
    run.dispose();
    t.lab.dispose();

    const again = await openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock(t.clock.now()) });
    expect(again.progress.steps['destroy']).toMatchObject({ outcome: 'done', hintsUsed: 1 });
    expect(again.progress.handout!.bytes).toEqual(t.progress.handout!.bytes);
    expect(again.progress.baseline).toEqual(t.baseline);
    expect(again.lab.getView().vcenterStatus).toBe('destroyed'); // the lab itself, not a new one
    expect(lessonStatus(again.progress)).toEqual({ state: 'inProgress', done: 1, steps: 3, attempts: { best: null, last: null } });
    again.lab.dispose();
  });

  it('restart throws the lesson’s lab and progress away and runs the prelude again', async () => {
    const t = await startLessonForTest(testLesson());
    await t.must({ type: 'vcenter.destroy' });
    const run = t.run();
    await settle();
    await run.flush();
    run.dispose();
    t.lab.dispose();
    await resetLesson(t.db, 'runner-test');
    expect(await loadProgress(t.db, 'runner-test')).toBeUndefined();
    const fresh = await openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock() });
    expect(fresh.lab.getView().vcenterStatus).toBe('running');
    expect(fresh.progress.steps).toEqual({});
    const nkp = fresh.lab.getView().vcenter!.keyProviders.find((p) => p.name === 'NKP-1');
    // A new prelude makes a new NKP: a new KDK, and a new handout to match it.
    expect(nkp?.kind === 'native' && nkp.keyId).toBe(fresh.progress.baseline.providers['NKP-1']!.keyId);
    expect(fresh.progress.baseline.providers['NKP-1']!.keyId).not.toBe(t.baseline.providers['NKP-1']!.keyId);
    fresh.lab.dispose();
  });
  it('a damaged lesson lab is refused in the lab’s own words and left as it was, progress and all', async () => {
    const t = await startLessonForTest(testLesson());
    await t.lab.save();
    t.lab.dispose();
    const row = (await t.db.savedLabs.get(lessonLabId('runner-test')))!;
    const cut = row.snapshotJson.slice(0, row.snapshotJson.length / 2);
    await t.db.savedLabs.put({ ...row, snapshotJson: cut });
    await expect(openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock() })).rejects.toMatchObject({
      name: 'LabOpenError',
      code: 'SAVED_LAB_DAMAGED',
    });
    expect((await t.db.savedLabs.get(lessonLabId('runner-test')))!.snapshotJson).toBe(cut);
    expect(await loadProgress(t.db, 'runner-test')).toMatchObject({ lessonId: 'runner-test' });
  });
});

describe('the catalogue’s view and an interrupted start', () => {
  it('peekLessonProgress reads a lesson’s status from its own database, without creating one for unstarted lessons', async () => {
    expect(await peekLessonProgress('never-started-lesson')).toBeUndefined();
    expect(await KeylabDb.exists(lessonDbName('never-started-lesson'))).toBe(false);
    const db = new KeylabDb(lessonDbName('runner-test'));
    const t = await startLessonForTest(testLesson(), { db });
    await saveProgress(t.db, { ...t.progress, steps: { destroy: { outcome: 'done', completedAt: 1, hintsUsed: 0, shown: false, misconceptions: [] } } });
    expect(lessonStatus(await peekLessonProgress('runner-test'))).toEqual({ state: 'inProgress', done: 1, steps: 3, attempts: { best: null, last: null } });
  });

  it('a lab left without its progress record is not thrown away unasked; starting over, once chosen, gives a fresh lesson', async () => {
    const t = await startLessonForTest(testLesson());
    await t.must({ type: 'vcenter.destroy' });
    await t.lab.save();
    t.lab.dispose();
    const labBefore = (await t.db.savedLabs.get(lessonLabId('runner-test')))!.snapshotJson;
    await deleteLessonProgress(t.db, 'runner-test');
    const refused = openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock() });
    await expect(refused).rejects.toBeInstanceOf(LessonRecordError);
    await expect(refused).rejects.toMatchObject({ problems: ['progressMissing'], kept: { lab: true, world: true, progress: false } });
    // Nothing was touched: the lab is as it was, and what is left can be downloaded.
    expect((await t.db.savedLabs.get(lessonLabId('runner-test')))!.snapshotJson).toBe(labBefore);
    const download = JSON.parse(await exportLessonData(t.db, 'runner-test')) as { savedLabs: { snapshotJson: string }[]; lessonProgress: unknown };
    expect(download.savedLabs[0]!.snapshotJson).toBe(labBefore);
    expect(download.lessonProgress).toBeNull();

    const again = await openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock(), startOver: true });
    expect(again.lab.getView().vcenterStatus).toBe('running');
    expect(again.progress.handout).not.toBeNull();
    expect(await loadProgress(t.db, 'runner-test')).toMatchObject({ lessonId: 'runner-test', steps: {} });
    again.lab.dispose();
  });

  it('a damaged progress record, or a lab record gone while the progress is there, is refused saying what was lost', async () => {
    const t = await startLessonForTest(testLesson());
    await t.lab.save();
    t.lab.dispose();
    await saveLessonProgress(t.db, 'runner-test', { format: 1, lessonId: 'runner-test', steps: 'cut sho' });
    await expect(openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock() })).rejects.toMatchObject({
      name: 'LessonRecordError',
      problems: ['progressDamaged'],
      kept: { lab: true, progress: true },
    });
    const damaged = JSON.parse(await exportLessonData(t.db, 'runner-test')) as { lessonProgress: unknown };
    expect(damaged.lessonProgress).toEqual({ format: 1, lessonId: 'runner-test', steps: 'cut sho' });

    await saveProgress(t.db, t.progress);
    await t.db.savedLabs.delete(lessonLabId('runner-test'));
    const refused = openLesson({ db: t.db, lesson: t.lesson, clock: createManualClock() });
    await expect(refused).rejects.toMatchObject({ problems: ['labMissing'], kept: { lab: false, world: true, progress: true } });
    await expect(refused).rejects.toThrow(/saved lab .* is missing.*Nothing has been changed/);
    expect(await loadProgress(t.db, 'runner-test')).toMatchObject({ lessonId: 'runner-test' });
    expect(await t.db.disks.count()).toBeGreaterThan(0);
  });
});

describe('finished attempts', () => {
  it('a restart keeps the best and the last finished attempts, and the catalogue reads them', async () => {
    let wall = 1_000;
    await deleteKeylabDb(lessonDbName('runner-test')); // the catalogue test above left a lesson there
    const db = new KeylabDb(lessonDbName('runner-test'));
    const first = await startLessonForTest(testLesson(), { db, wallNow: () => wall });
    // First attempt: everything by "show me".
    const run = first.run();
    for (let i = 0; i < 3; i++) {
      await run.showMe();
      await settle();
    }
    await run.flush();
    expect(run.getState().evaluation.finished).toBe(true);
    run.dispose();
    first.lab.dispose();
    await resetLesson(db, 'runner-test');
    const afterOne = await peekLesson('runner-test');
    expect(afterOne.progress).toBeUndefined();
    expect(afterOne.attempts.best).toMatchObject({ score: { shown: 3, unaided: 0 } });
    expect(afterOne.attempts.last).toEqual(afterOne.attempts.best);

    // Second attempt: two steps unaided, the last skipped: the best, and the last.
    wall = 100_000;
    const second = await openLesson({ db, lesson: first.lesson, clock: createManualClock(), wallNow: () => wall });
    const lab2 = second.lab;
    await lab2.dispatch({ type: 'vcenter.destroy' });
    await lab2.dispatch({ type: 'vcenter.deploy' });
    const { LessonRun } = await import('./lesson-run');
    const run2 = new LessonRun(lab2, first.lesson, second.progress, { save: (p) => saveProgress(db, p), wallNow: () => wall, settleMs: 0 });
    run2.skip();
    await run2.flush();
    run2.dispose();
    lab2.dispose();
    await resetLesson(db, 'runner-test');

    // Third attempt, worse than the second: the last changes, the best stays.
    wall = 200_000;
    const third = await openLesson({ db, lesson: first.lesson, clock: createManualClock(), wallNow: () => wall });
    const run3 = new LessonRun(third.lab, first.lesson, third.progress, { save: (p) => saveProgress(db, p), wallNow: () => wall, settleMs: 0 });
    run3.skip();
    run3.skip();
    run3.skip();
    await run3.flush();
    run3.dispose();
    third.lab.dispose();
    const { progress, attempts } = await peekLesson('runner-test');
    const status = lessonStatus(progress, attempts);
    expect(status.state).toBe('done');
    expect(status.attempts.best).toMatchObject({ startedWallMs: 100_000, score: { unaided: 2, skipped: 1 } });
    expect(status.attempts.last).toMatchObject({ startedWallMs: 200_000, score: { unaided: 0, skipped: 3 } });
  });
});

describe('the unrecoverable proof', () => {
  it('shows that no key the lab holds opens a disk once no host has its key', async () => {
    const t = await startLessonForTest(testLesson());
    const before = await runProof(t.lab, { kind: 'unrecoverable', vmIds: ['db-01'] }, t.baseline);
    expect(before).toMatchObject({ ok: false, vms: [{ vmId: 'db-01', opened: true }] });
    await t.must({ type: 'vm.powerOff', vmId: 'db-01' });
    await t.must({ type: 'vcenter.destroy' });
    await t.must({ type: 'host.reboot', hostId: 'esx-01' });
    await t.must({ type: 'host.reboot', hostId: 'esx-02' });
    const after = await runProof(t.lab, { kind: 'unrecoverable', vmIds: ['db-01'] }, t.baseline);
    expect(after.ok).toBe(true);
    if (after.kind !== 'unrecoverable') throw new Error('unrecoverable expected');
    expect(after.vms[0]).toMatchObject({ vmId: 'db-01', vmName: 'db-01', opened: false });
    expect(after.vms[0]!.detail).toMatch(/does not hold|No host holds/);
  });
});
