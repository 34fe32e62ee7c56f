// The headless lab: openLab builds a new world from a scenario or restores a saved one, and returns the Lab API the UI,
// lessons and tests share (view, subscribe, dispatch, datastore/guest/sector queries, NKP backup and restore).
// The running lab is session/running-lab.ts; what this browser stores of a lab, persistence/stored-lab.ts.
import { defaultScenario, type Scenario } from '@/lib/scenario';
import { hasStoredWorld, loadLabRecord, type KeylabDb } from '@/lib/storage';
import type { LabStart } from './actors/lab.machine';
import type { Lab } from './lab-types';
import type { SavedLabRecord } from './persistence/lab-saver';
import { LabOpenError } from './persistence/lab-open-error';
import { hostsNeedConfiguration, upgradeHostConfigurations } from './persistence/host-config-upgrade';
import { upgradeLegacyNkpKeys } from './persistence/nkp-key-upgrade';
import { reconcileWithFiles } from './persistence/reconcile';
import { readSavedLab } from './persistence/saved-lab';
import { clearWorld } from './persistence/stored-lab';
import { createRealTimeClock, type LabClock } from './session/lab-clock';
import { ID_SKIP_AFTER_INTERRUPTION, newLabSeed } from './session/lab-ids';
import { RunningLab } from './session/running-lab';
import { buildWorld, type BuildOptions } from './session/world-builder';

export { exportLabData, resetLab, savedLabText } from './persistence/stored-lab';

export interface OpenLabOptions {
  db: KeylabDb;
  labId: string;
  /** The starting world for a new lab (ignored when a saved lab exists). Default: defaultScenario(). */
  scenario?: Scenario;
  /** Default: a real-time clock continuing from the saved lab time. A given clock behind the saved time is moved on. */
  clock?: LabClock;
  /** How a new world is built (the bench uses small disk records). */
  build?: BuildOptions;
  /** A new lab's id seed (default: random): the same scenario and seed name every key the same (a replay, a variant). */
  seed?: string;
  /**
   * With no saved lab but a world still stored (keys, files, disks), a new lab would be built over it: refused with
   * SAVED_LAB_MISSING unless the learner chose to replace it.
   */
  replaceStoredWorld?: boolean;
}

export async function openLab(options: OpenLabOptions): Promise<Lab> {
  const { db, labId } = options;
  const record = await loadLabRecord(db, labId);
  const saved = record === undefined ? undefined : (readSavedLab(record.text) as unknown as SavedLabRecord);
  const clock = options.clock ?? createRealTimeClock(saved?.now ?? 0);
  if (saved && clock.now() < saved.now) clock.advance(saved.now - clock.now());
  if (saved) {
    let session: RunningLab;
    try {
      session = new RunningLab(db, labId, clock, saved.root, '');
      session.reviveAfterRestore();
      // Every page is built from the view: a record that passed the schema but cannot make one is damaged too.
      session.getView();
    } catch (cause) {
      console.error('keylab: the saved lab could not be restored', cause);
      throw new LabOpenError('SAVED_LAB_DAMAGED', ['Its parts do not fit together, so the datacenter cannot be rebuilt from it.']);
    }
    // Saved with nothing running and no file or key written since (world-stamp.ts): the pages are the files' already,
    // and the lab was brought up to date when it was opened before that save, so there is nothing to catch up with.
    // Hosts saved before they kept an encrypted configuration get one (host-config-upgrade.ts): first, while any old
    // extractable KDK copy is still there to be read, and even over an unchanged world (its save has no configuration).
    if (hostsNeedConfiguration(session.rt)) await session.enqueue(() => upgradeHostConfigurations(session.rt));
    if (record?.worldUnchanged) return session.api();
    // The run that was cut short may have used ids past the saved count: none is given out twice.
    session.rt.skipIds(ID_SKIP_AFTER_INTERRUPTION);
    // A lab saved before NKP keys were derived gets derived keys from the KDKs it holds (nkp-key-upgrade.ts).
    await session.enqueue(() => upgradeLegacyNkpKeys(session.rt));
    // The datastore is the truth: a tab that died between a disk commit and its save left the pages behind the files.
    await session.enqueue(() => reconcileWithFiles(session.rt));
    return session.api();
  }
  if (!options.replaceStoredWorld && (await hasStoredWorld(db))) throw new LabOpenError('SAVED_LAB_MISSING');
  const session = await buildNewLab(db, labId, clock, { scenario: options.scenario ?? defaultScenario(), seed: options.seed ?? newLabSeed() }, options.build);
  return session.api();
}

/** A new lab over an empty world: the scenario built with the seed's ids, saved, its journal empty. */
export async function buildNewLab(db: KeylabDb, labId: string, clock: LabClock, start: LabStart, build?: BuildOptions): Promise<RunningLab> {
  await clearWorld(db);
  const session = new RunningLab(db, labId, clock, undefined, start.scenario.title, start);
  await session.enqueue(() => buildWorld(session.rt, start.scenario, build));
  await session.save();
  return session;
}
