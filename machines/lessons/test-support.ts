// Headless helpers for lesson tests (the runner's and every lesson's): a lesson started on its own fake IndexedDB
// database and a manual clock, through the same openLesson the UI uses, each step's check and prediction against the
// live view, and the whole lesson done by "show me" as every lesson's test ends.
import { expect } from 'vitest';
import type { CheckResult, Lesson, LessonStep } from '@/lib/lessons/lesson-types';
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import { createManualClock, type LabClock } from '../session/lab-clock';
import type { Lab, LabCommand } from '../lab-types';
import { LessonRun } from './lesson-run';
import { openLesson, saveProgress } from './open-lesson';
import type { LessonProgress, ProofResult, StepProgress } from './progress';

export interface LessonTestLab {
  db: KeylabDb;
  clock: LabClock;
  lab: Lab;
  lesson: Lesson;
  progress: LessonProgress;
  baseline: LessonProgress['baseline'];
  /** The lesson's step of that id (a typo fails the test). */
  step(stepId: string): LessonStep;
  /** The step's check against the lab's view right now (whatever step is current). */
  check(stepId: string): CheckResult;
  /** What the step's prediction observes for one subject (a VM, a host, a key) in the lab's view right now. */
  observe(stepId: string, subjectId: string): { choice: string; reason: string };
  /** A dispatch that must succeed (a refusal fails the test with vSphere's reason). */
  must(command: LabCommand): Promise<string>;
  /** A LessonRun over this lab (made on first use), saving into the same database; judges every change at once unless `settleMs` is given. */
  run(settleMs?: number): LessonRun;
}

const opened: { db: KeylabDb; lab: Lab; runs: LessonRun[] }[] = [];

export async function startLessonForTest(lesson: Lesson, opts: { db?: KeylabDb; clock?: LabClock; wallNow?: () => number } = {}): Promise<LessonTestLab> {
  const db = opts.db ?? new KeylabDb(uniqueDbName(`lesson-${lesson.id}`));
  const clock = opts.clock ?? createManualClock();
  const { lab, progress } = await openLesson({ db, lesson, clock, wallNow: opts.wallNow });
  const entry = { db, lab, runs: [] as LessonRun[] };
  opened.push(entry);
  const stepOf = (stepId: string) => {
    const step = lesson.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`The lesson ${lesson.id} has no step ${stepId}.`);
    return step;
  };
  let run: LessonRun | null = null;
  return {
    db,
    clock,
    lab,
    lesson,
    progress,
    baseline: progress.baseline,
    step: stepOf,
    check: (stepId) => stepOf(stepId).check(lab.getView(), progress.baseline),
    observe: (stepId, subjectId) => {
      const predict = stepOf(stepId).predict;
      if (!predict) throw new Error(`The step ${stepId} of ${lesson.id} asks for no prediction.`);
      return predict.observe(lab.getView(), subjectId, progress.baseline);
    },
    must: async (command) => {
      const result = await lab.dispatch(command);
      if (!result.ok) throw new Error(`${command.type} was refused (${result.code}): ${result.reason}`);
      return result.message;
    },
    run: (settleMs = 0) => {
      if (!run) {
        run = new LessonRun(lab, lesson, progress, { save: (p) => saveProgress(db, p), wallNow: opts.wallNow, settleMs });
        entry.runs.push(run);
      }
      return run;
    },
  };
}

/** For afterEach: disposes every lesson run and lab a test opened, and closes their databases. */
export function closeLessonLabs(): void {
  for (const { db, lab, runs } of opened.splice(0)) {
    for (const r of runs) r.dispose();
    try {
      lab.dispose();
    } catch {
      // already disposed
    }
    db.close();
  }
}

/** Lets the lab's subscribers and IndexedDB work settle (fake-indexeddb schedules with real timers). */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How a test walks a lesson with "show me"; every step not named here must be shown without a refusal. */
export interface ShowMeWalk {
  /** The step "show me" takes over from (the test did the ones before by hand); the first step unless given. */
  from?: string;
  /** Answers the learner predicts just before that step's "show me". */
  predictions?: Record<string, Record<string, string>>;
  /** Steps whose "show me" ends on the lab's refusal (the refusal is what the step shows), and what it must say. */
  refusals?: Record<string, RegExp>;
  /** What the test does while that step's "show me" runs (e.g. moves lab time past a hung KMS node). */
  meanwhile?: Record<string, () => Promise<void>>;
}

/**
 * Does the rest of the lesson by "show me", step by step, as a learner clicking it would: each step is the current
 * one when its turn comes, "show me" says what it did in the lab's words, and the step ends counted as shown. Then
 * the lesson is finished and its proof runs by itself; returns the run and the proof for the lesson's own checks.
 */
export async function completeWithShowMe(t: LessonTestLab, walk: ShowMeWalk = {}): Promise<{ run: LessonRun; proof: ProofResult }> {
  const run = t.run();
  const steps = t.lesson.steps.slice(walk.from ? t.lesson.steps.indexOf(t.step(walk.from)) : 0);
  const named = [walk.predictions, walk.refusals, walk.meanwhile].flatMap((table) => Object.keys(table ?? {}));
  for (const id of named) if (!steps.some((s) => s.id === id)) throw new Error(`The walk names ${id}, which is not a step "show me" does here.`);
  for (const s of steps) {
    expect(run.getState().evaluation.currentStepId).toBe(s.id);
    const answers = walk.predictions?.[s.id];
    if (answers) run.predict(s.id, answers);
    const showing = run.showMe();
    await walk.meanwhile?.[s.id]?.();
    const shown = await showing;
    expect(shown.messages, `"show me" at ${s.id} said nothing`).not.toEqual([]);
    const refusal = walk.refusals?.[s.id];
    if (refusal) {
      expect(shown.ok, `"show me" at ${s.id} should end on a refusal`).toBe(false);
      expect(shown.messages.at(-1)).toMatch(refusal);
    } else {
      expect(shown.ok, shown.messages.join(' | ')).toBe(true);
    }
    expect(await outcomeOf(run, s.id)).toBe('shown');
  }
  expect(run.getState().evaluation.finished).toBe(true);
  return { run, proof: await proofOf(run) };
}

/** How the step ended (done, shown, skipped), once the run has judged the lab's last change; null if it never ends. */
export async function outcomeOf(run: LessonRun, stepId: string): Promise<StepProgress['outcome']> {
  for (let i = 0; i < 50 && run.getState().progress.steps[stepId]!.outcome === null; i++) await settle(5);
  return run.getState().progress.steps[stepId]!.outcome;
}

/** The lesson's proof, once it has run by itself at the end (it reads files back through real crypto: give it time). */
export async function proofOf(run: LessonRun): Promise<ProofResult> {
  for (let i = 0; i < 200 && !run.getState().progress.proof; i++) await settle(10);
  const proof = run.getState().progress.proof;
  if (!proof) throw new Error('The lesson finished but its proof never ran.');
  return proof;
}
