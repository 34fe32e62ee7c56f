// What the runner remembers of a lesson: the baseline, each step's outcome, hints, predictions, the handout and the
// proof. Plain data (plus the handout's bytes), saved through lib/storage beside the lesson's lab.
import type { LessonBaseline } from '@/lib/lessons/lesson-types';

export const PROGRESS_FORMAT = 1;

export interface StepProgress {
  /** How the step ended: the learner's own work, "show me", or skipped. null while it is not over. */
  outcome: 'done' | 'shown' | 'skipped' | null;
  /** Lab time when it ended. */
  completedAt: number | null;
  /** How many of its hints the learner has opened. */
  hintsUsed: number;
  /** "Show me" was used on it (even if its check passed only later). */
  shown: boolean;
  /** Misconceptions met on this step (ids, in the order first met). */
  misconceptions: string[];
}

export interface PredictionRecord {
  /** The subjects as they were when the question was asked (e.g. the VMs). */
  subjects: { id: string; label: string }[];
  /** subject id → choice id; empty when the learner did not predict before the step was done. */
  answers: Record<string, string>;
  /** Lab time of the answer, or null. */
  answeredAt: number | null;
  /** Filled once the step passes: what really happened to each subject, and why. */
  observed: Record<string, { choice: string; reason: string }> | null;
}

export interface LessonHandout {
  providerName: string;
  fileName: string;
  /** Empty when the password is lost (`passwordLost`): the learner never had it. */
  password: string;
  /** The file comes without its password: nobody wrote it down. */
  passwordLost?: boolean;
  bytes: Uint8Array;
}

export type ProofResult =
  | { kind: 'readBack'; ok: boolean; files: { vmId: string; vmName: string; name: string; ok: boolean; detail: string }[] }
  | { kind: 'unrecoverable'; ok: boolean; vms: { vmId: string; vmName: string; opened: boolean; detail: string }[] };

export interface LessonProgress {
  format: number;
  lessonId: string;
  /** The lesson's steps when it started, so a status or score can be read without loading the lesson's content. */
  stepIds: string[];
  baseline: LessonBaseline;
  steps: Record<string, StepProgress>;
  predictions: Record<string, PredictionRecord>;
  handout: LessonHandout | null;
  /** Wall-clock ms (Date.now) when the lesson started and ended: "time taken" is real time, not lab time. */
  startedWallMs: number;
  finishedWallMs: number | null;
  proof: ProofResult | null;
}

export function emptyStepProgress(): StepProgress {
  return { outcome: null, completedAt: null, hintsUsed: 0, shown: false, misconceptions: [] };
}

export function stepProgress(progress: LessonProgress, stepId: string): StepProgress {
  return progress.steps[stepId] ?? emptyStepProgress();
}

/** A saved record this version can read, or undefined (another version, or damaged: the lesson starts again). */
export function asLessonProgress(data: unknown, lessonId: string): LessonProgress | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const p = data as LessonProgress;
  if (p.format !== PROGRESS_FORMAT || p.lessonId !== lessonId || typeof p.baseline !== 'object' || typeof p.steps !== 'object' || !Array.isArray(p.stepIds)) return undefined;
  return p;
}
