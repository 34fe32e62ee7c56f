// Where a scenario runs: a database of its own, named after the scenario and the learner's seed (so the sandbox, the
// lessons and every other scenario or variant keep their own world), its lab built from the learner's concrete
// scenario with that seed's ids, its prelude run through the lab's dispatch (an NKP backup it hands out kept for the
// learner), and a record of what it was opened from beside it, so a reload opens the same lab with no link.
import { concreteScenario, variantKey, worldScenario, type ScenarioV2 } from '@/lib/scenario';
import { KeylabDb, databaseExists, deleteLessonProgress, loadLabText, loadLessonProgress, saveLessonProgress } from '@/lib/storage';
import { openLab, resetLab } from '../lab';
import type { Lab } from '../lab-types';
import { runActions } from '../lessons/actions';
import type { LessonHandout } from '../lessons/progress';
import type { LabClock } from '../session/lab-clock';

export const SCENARIO_LAB_ID = 'scenario';
/** The row of the database's progress table that holds the scenario record (the table lessons keep progress in). */
const RECORD_ID = 'scenario';
const RECORD_FORMAT = 1;

export const scenarioDbName = (key: string) => `keylab-scenario-${key}`;

/** The lab a scenario and learner seed open in: the same pair always names the same database. */
export const scenarioLabKey = (scenario: ScenarioV2, learnerSeed: string | null) => variantKey(scenario, learnerSeed);

export interface ScenarioRecord {
  format: number;
  key: string;
  /** As the link or file gave it (with its variation), so it can be exported again as it came. */
  scenario: ScenarioV2;
  learnerSeed: string | null;
  /** The backup the prelude made and handed out (its .p12 bytes and password), or null. */
  handout: LessonHandout | null;
  /** Wall-clock ms when it was first opened here. */
  startedWallMs: number;
}

export class ScenarioPreludeError extends Error {
  constructor(title: string, reason: string) {
    super(`The scenario “${title}” could not set up its starting lab: ${reason} Start it over to try again; if it fails again, the scenario asks for something the lab does not allow.`);
    this.name = 'ScenarioPreludeError';
  }
}

/** The stored lab for this key is gone (cleared by the browser, or never opened here): only its link opens it again. */
export class ScenarioLabMissingError extends Error {
  constructor() {
    super('This scenario’s lab is not in this browser any more. Open the scenario’s link (or its file) again to start it.');
    this.name = 'ScenarioLabMissingError';
  }
}

function asRecord(data: unknown): ScenarioRecord | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const r = data as ScenarioRecord;
  return r.format === RECORD_FORMAT && typeof r.key === 'string' && typeof r.scenario === 'object' ? r : undefined;
}

export async function loadScenarioRecord(db: KeylabDb): Promise<ScenarioRecord | undefined> {
  return asRecord(await loadLessonProgress(db, RECORD_ID));
}

/** Whether this scenario's lab was begun in this browser (without creating its database), and when. */
export async function peekScenarioLab(key: string): Promise<{ startedWallMs: number; title: string } | null> {
  const name = scenarioDbName(key);
  if (!(await databaseExists(name))) return null;
  const db = new KeylabDb(name);
  try {
    const record = await loadScenarioRecord(db);
    const lab = await loadLabText(db, SCENARIO_LAB_ID);
    return record && lab !== undefined ? { startedWallMs: record.startedWallMs, title: record.scenario.title } : null;
  } finally {
    db.close();
  }
}

/** Forgets the scenario's lab and record (its database stays, empty). */
export async function resetScenarioLab(db: KeylabDb): Promise<void> {
  await deleteLessonProgress(db, RECORD_ID);
  await resetLab(db, SCENARIO_LAB_ID);
}

export interface OpenScenarioOptions {
  db: KeylabDb;
  /** What to start when nothing is stored yet; without it, only a stored lab opens (a reload). */
  start?: { scenario: ScenarioV2; learnerSeed: string | null };
  clock?: LabClock;
  /** Wraps the opened lab before the prelude runs (the UI's save-after-each-command lab). */
  wrap?: (lab: Lab) => Lab;
  wallNow?: () => number;
}

export interface OpenedScenario {
  lab: Lab;
  record: ScenarioRecord;
  /** The world this learner got (names, faults, guest data of their own). */
  concrete: ScenarioV2;
}

/**
 * Opens the scenario's lab where the learner left it, or starts it: its world built with the learner's seed, the
 * prelude, the record, saved. A lab without its record (a tab closed during the prelude) is started again.
 */
export async function openScenarioLab(options: OpenScenarioOptions): Promise<OpenedScenario> {
  const { db } = options;
  const wrap = options.wrap ?? ((lab: Lab) => lab);
  const stored = await loadScenarioRecord(db);
  const savedLab = await loadLabText(db, SCENARIO_LAB_ID);
  if (stored && savedLab !== undefined) {
    const lab = wrap(await openLab({ db, labId: SCENARIO_LAB_ID, clock: options.clock }));
    return { lab, record: stored, concrete: concreteScenario(stored.scenario, stored.learnerSeed) };
  }
  if (!options.start) throw new ScenarioLabMissingError();
  const { scenario, learnerSeed } = options.start;
  await resetScenarioLab(db);
  const concrete = concreteScenario(scenario, learnerSeed);
  const lab = wrap(await openLab({ db, labId: SCENARIO_LAB_ID, scenario: worldScenario(concrete), seed: concrete.seed, clock: options.clock }));
  try {
    const outcome = await runActions(lab, concrete.prelude, null);
    if (!outcome.ok) throw new ScenarioPreludeError(scenario.title, outcome.messages.at(-1) ?? 'a step was refused.');
    await lab.untilSettled();
    const record: ScenarioRecord = {
      format: RECORD_FORMAT,
      key: scenarioLabKey(scenario, learnerSeed),
      scenario,
      learnerSeed,
      handout: outcome.handout,
      startedWallMs: options.wallNow?.() ?? Date.now(),
    };
    await lab.save();
    await saveLessonProgress(db, RECORD_ID, record);
    return { lab, record, concrete };
  } catch (error) {
    lab.dispose();
    throw error;
  }
}
