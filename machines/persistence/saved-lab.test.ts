// A saved lab is checked on open: a damaged one is refused with what is wrong in the learner's words (never a parser's),
// kept as it is for download, an older format is migrated, and parts added later (lesson progress) do not break it.
import { afterEach, describe, expect, it } from 'vitest';
import { saveLab } from '@/lib/storage';
import { createManualClock } from '../session/lab-clock';
import { openLab, savedLabText } from '../lab';
import { LabOpenError } from './lab-open-error';
import { newTestDb, openTestLab } from '../session/lab-test-support';
import type { Lab } from '../lab-types';
import { readSavedLab, SAVE_FORMAT } from './saved-lab';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const labs: Lab[] = [];
afterEach(() => {
  for (const lab of labs.splice(0)) lab.dispose();
});

async function savedWorld() {
  const opened = await openTestLab({ labId: 'saved' });
  labs.push(opened.lab);
  await opened.lab.save();
  const view = opened.lab.getView();
  opened.lab.dispose();
  const text = (await savedLabText(opened.db, 'saved'))!;
  return { ...opened, view, text, json: JSON.parse(text) as Json };
}

function problemsOf(text: string): LabOpenError {
  try {
    readSavedLab(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LabOpenError);
    return error as LabOpenError;
  }
  throw new Error('the saved lab was accepted');
}

/** No message the learner sees may be a runtime's or parser's words. */
function expectPlainWords(error: LabOpenError) {
  expect(error.message).not.toMatch(/Cannot read properties|undefined|JSON|position \d|Invalid input|expected \w+, received/);
}

describe('reading a saved lab', () => {
  it('reads back what a lab saved, in the current format', async () => {
    const { text } = await savedWorld();
    const lab = readSavedLab(text);
    expect(lab.format).toBe(SAVE_FORMAT);
    expect(Object.keys(lab.root.children)).toContain('vcenter');
  });

  it('names the missing vCenter, an emptied set of parts, and a VM that lost a field', async () => {
    const { json } = await savedWorld();
    const noVcenter = structuredClone(json);
    delete noVcenter.root.children.vcenter;
    const missingVc = problemsOf(JSON.stringify(noVcenter));
    expect(missingVc.code).toBe('SAVED_LAB_DAMAGED');
    expect(missingVc.problems).toContain('The vCenter Server is missing from the lab record.');
    expectPlainWords(missingVc);

    const empty = structuredClone(json);
    empty.root.children = {};
    const emptied = problemsOf(JSON.stringify(empty));
    expect(emptied.problems.join(' ')).toMatch(/none of the datacenter’s parts/);
    expectPlainWords(emptied);

    const vmId = Object.keys(json.root.children).find((id) => id.startsWith('vm:'))!;
    const noHost = structuredClone(json);
    delete noHost.root.children[vmId].snapshot.context.hostId;
    const vmProblem = problemsOf(JSON.stringify(noHost));
    expect(vmProblem.problems).toContain(`VM ${vmId.slice(3)}: its “hostId” is missing.`);
    expectPlainWords(vmProblem);
  });

  it('says when parts disagree: a VM on a host the record does not have', async () => {
    const { json } = await savedWorld();
    const vmId = Object.keys(json.root.children).find((id) => id.startsWith('vm:'))!;
    const hostId = json.root.children[vmId].snapshot.context.hostId as string;
    delete json.root.children[`host:${hostId}`];
    const error = problemsOf(JSON.stringify(json));
    expect(error.problems.join(' ')).toContain(`is on host ${hostId}, which is missing from the lab record.`);
  });

  it('refuses a record cut short, or from a newer keylab, without a parser’s words', () => {
    const cut = problemsOf('{"format":2,"now":12,"root":{"status":"act');
    expect(cut.problems[0]).toMatch(/cut short/);
    expectPlainWords(cut);
    const newer = problemsOf(JSON.stringify({ format: SAVE_FORMAT + 1, now: 0, root: {} }));
    expect(newer.code).toBe('SAVED_LAB_NEWER');
    expect(newer.message).toMatch(/another version of keylab/);
  });

  it('opens a lab with parts it does not know yet (lesson progress saved with it)', async () => {
    const { db, json } = await savedWorld();
    json.lessons = { 'nkp-basics': { step: 3 } };
    json.root.context.lessonProgress = { current: 'nkp-basics' };
    await db.savedLabs.put({ labId: 'saved', snapshotJson: JSON.stringify(json), savedAt: Date.now() });
    const lab = await openLab({ db, labId: 'saved', clock: createManualClock() });
    labs.push(lab);
    expect(lab.getView().vms.length).toBeGreaterThan(0);
  });

  it('migrates format 1 as saved before key providers were actors of their own', async () => {
    const { db, json, view } = await savedWorld();
    const providersBefore = view.vcenter!.keyProviders.map((p) => [p.name, p.kind, p.isDefault]);
    expect(providersBefore.length).toBeGreaterThan(0);
    // The old shape: providers inside vCenter's context, no provider:<id> children, format 1.
    const old = structuredClone(json);
    old.format = 1;
    const vc = old.root.children.vcenter.snapshot.context;
    vc.providers = vc.providerIds.map((id: string) => old.root.children[`provider:${id}`].snapshot.context);
    delete vc.providerIds;
    for (const id of Object.keys(old.root.children)) if (id.startsWith('provider:')) delete old.root.children[id];
    await db.savedLabs.put({ labId: 'saved', snapshotJson: JSON.stringify(old), savedAt: Date.now() });

    const lab = await openLab({ db, labId: 'saved', clock: createManualClock() });
    labs.push(lab);
    expect(lab.getView().vcenter!.keyProviders.map((p) => [p.name, p.kind, p.isDefault])).toEqual(providersBefore);
    await lab.save();
    expect(JSON.parse((await savedLabText(db, 'saved'))!).format).toBe(SAVE_FORMAT);
  });

  it('keeps a damaged record untouched when it refuses to open it, so it can be downloaded', async () => {
    const db = newTestDb('damaged');
    const damaged = JSON.stringify({ format: SAVE_FORMAT, now: 5, root: { status: 'active', context: {}, children: {} } });
    await db.savedLabs.put({ labId: 'x', snapshotJson: damaged, savedAt: 1 });
    await expect(openLab({ db, labId: 'x', clock: createManualClock() })).rejects.toBeInstanceOf(LabOpenError);
    expect(await savedLabText(db, 'x')).toBe(damaged);
  });

  it('asks first when the saved record is gone but the world it built is still stored', async () => {
    const { db } = await savedWorld();
    await db.savedLabs.delete('saved');
    const error = await openLab({ db, labId: 'saved', clock: createManualClock() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabOpenError);
    expect((error as LabOpenError).code).toBe('SAVED_LAB_MISSING');
    expect(await db.disks.count()).toBeGreaterThan(0);
    const fresh = await openLab({ db, labId: 'saved', clock: createManualClock(), replaceStoredWorld: true });
    labs.push(fresh);
    expect(fresh.getView().vms.length).toBeGreaterThan(0);
  });

  it('a record of the old check (saveLab with any object) of another format is still refused', async () => {
    const db = newTestDb('other');
    await saveLab(db, 'bad', { format: 99, now: 0, root: {} });
    await expect(openLab({ db, labId: 'bad', clock: createManualClock() })).rejects.toThrow(/Reset the lab/);
  });
});
