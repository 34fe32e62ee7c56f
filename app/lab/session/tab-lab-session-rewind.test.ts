// "Go back to here" and Redo in the sandbox's session, headless with the real engine (fake-IndexedDB): the lab is
// rebuilt up to the step chosen with progress shown, Redo goes forward again (also after a reload), and a lab that
// cannot be rebuilt, or whose rebuild does not match its journal, says so and is open again, nothing lost.
import { describe, expect, it, vi } from 'vitest';
import { openKeylabDb } from '@/lib/storage/db';
import type { LabCommand } from '@/machines/lab-types';
import { openedIn, sandboxSessionInThisTab } from './session-test-kit';
import type { LabSessionState } from './tab-lab-session';

type Open = Extract<LabSessionState, { status: 'open' }>;
const getLabSession = sandboxSessionInThisTab();

const STEPS: LabCommand[] = [
  { type: 'vm.powerOff', vmId: 'app-01' },
  { type: 'vm.encrypt', vmId: 'app-01' },
  { type: 'vm.powerOn', vmId: 'app-01' },
  { type: 'guest.writeFile', vmId: 'app-01', name: 'before-the-fall.txt', text: 'still here' },
  { type: 'vcenter.destroy' },
];

/** A fresh sandbox lab with STEPS done (vCenter destroyed last). */
async function walked(): Promise<Open> {
  const session = getLabSession();
  session.start();
  await openedIn(session);
  await session.reset();
  const { lab } = await openedIn(session);
  for (const step of STEPS) expect(await lab.dispatch(step), step.type).toMatchObject({ ok: true });
  return openedIn(session);
}

/** The opening screen's messages while `work` runs. */
async function messagesDuring(work: () => Promise<void>): Promise<string[]> {
  const session = getLabSession();
  const seen: string[] = [];
  const stop = session.subscribe(() => {
    const s = session.getState();
    if (s.status === 'opening') seen.push(s.message);
  });
  await work();
  stop();
  return seen;
}

/** Closes the sandbox's lab, changes its saved record as `edit` says, and opens it again. */
async function editSaved(edit: (context: Record<string, unknown>) => void): Promise<Open> {
  const session = getLabSession();
  session.close();
  await vi.waitFor(() => expect(session.getState().status).toBe('idle'));
  const db = openKeylabDb();
  const row = (await db.savedLabs.get('default'))!;
  const saved = JSON.parse(row.snapshotJson) as { root: { context: Record<string, unknown> } };
  edit(saved.root.context);
  await db.savedLabs.put({ ...row, snapshotJson: JSON.stringify(saved) });
  db.close();
  session.start();
  return openedIn(session);
}

describe('going back in the sandbox’s lab', () => {
  it('rebuilds the lab up to the step before the destroy, showing progress, and Redo destroys vCenter again', async () => {
    const before = await walked();
    expect(before.lab.getView().vcenter).toBeNull();
    const session = getLabSession();
    const seen = await messagesDuring(() => session.rewind(5));
    expect(seen).toContain('Rebuilding the lab up to step 4… 1 of 4');
    expect(seen).toContain('Rebuilding the lab up to step 4… 4 of 4');

    const back = await openedIn(session);
    expect(back.lab).not.toBe(before.lab);
    expect(back.notice).toEqual({ tone: 'done', text: expect.stringContaining('The lab is back as it was after step 4.') });
    const view = back.lab.getView();
    expect(view.vcenter).not.toBeNull();
    expect(view.vms.find((vm) => vm.id === 'app-01')?.encryption?.providerId).toBe('KMS-Cluster');
    expect(await back.lab.readGuestFile('app-01', 'before-the-fall.txt')).toBe('still here');
    expect(view.journal.redo.map((e) => e.seq)).toEqual([5]);

    expect(await session.redo()).toMatchObject({ ok: true });
    expect(back.lab.getView().vcenter).toBeNull();
    expect(back.lab.getView().journal.redo).toEqual([]);
    expect(await session.redo()).toMatchObject({ ok: false, code: 'NOTHING_TO_REDO' });
  });

  it('keeps Redo over a reload, and a new action ends it', async () => {
    await walked();
    const session = getLabSession();
    await session.rewind(3);
    expect((await openedIn(session)).lab.getView().journal.redo.map((e) => e.seq)).toEqual([3, 4, 5]);
    session.close();
    await vi.waitFor(() => expect(session.getState().status).toBe('idle'));
    session.start();
    const reloaded = await openedIn(session);
    expect(reloaded.notice).toBeUndefined();
    expect(reloaded.lab.getView().journal.redo.map((e) => e.seq)).toEqual([3, 4, 5]);

    expect(await session.redo()).toMatchObject({ ok: true }); // step 3: app-01 powered on again
    expect(reloaded.lab.getView().vms.find((vm) => vm.id === 'app-01')?.power).toBe('on');
    expect(await reloaded.lab.dispatch({ type: 'host.reboot', hostId: 'esx-03' })).toMatchObject({ ok: true });
    expect(reloaded.lab.getView().journal.redo).toEqual([]);
  });

  it('a lab begun before the journal says it cannot go back, and is open again as it was', async () => {
    await walked();
    const legacy = await editSaved((context) => {
      delete context.start;
    });
    expect(legacy.lab.getView().journal.notReplayable).not.toBeNull();
    const session = getLabSession();
    await session.rewind(2);
    const after = await openedIn(session);
    expect(after.notice?.tone).toBe('problem');
    expect(after.notice?.text).toMatch(/^The lab could not go back: This lab was begun before keylab kept a journal/);
    expect(after.lab.getView().vcenter).toBeNull();
    expect(after.lab.getView().journal.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    session.dismissNotice();
    expect((session.getState() as Open).notice).toBeUndefined();
  });

  it('a journal the rebuild does not match (edited by hand) says what differs, and the lab is open', async () => {
    await walked();
    await editSaved((context) => {
      const journal = context.journal as { seq: number; outcome: string }[];
      journal[0]!.outcome = 'ALREADY_OFF';
    });
    const session = getLabSession();
    await session.rewind(3);
    const after = await openedIn(session);
    expect(after.notice?.tone).toBe('problem');
    expect(after.notice?.text).toMatch(/did not come out as the journal says: Entry 1 came out ok, not ALREADY_OFF/);
    expect(after.lab.getView().vms.find((vm) => vm.id === 'app-01')?.encryption?.providerId).toBe('KMS-Cluster');
    expect(after.lab.getView().journal.redo.map((e) => e.seq)).toEqual([3, 4, 5]);
  });
});
