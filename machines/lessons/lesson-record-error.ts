// Why a lesson was not reopened: its saved lab or its progress record is missing or cannot be read. Starting over
// would throw away what is left, so the lesson asks first, as the sandbox does for its own lab (LabOpenError).
export type LessonRecordProblem = 'progressDamaged' | 'progressMissing' | 'labMissing';

const PROBLEM_TEXT: Record<LessonRecordProblem, string> = {
  progressDamaged: 'Your progress in this lesson (which steps are done, hints, predictions) is damaged and cannot be read.',
  progressMissing: 'Your progress in this lesson (which steps are done, hints, predictions) is missing: it was cleared, or the lesson was closed while it was being set up.',
  labMissing: 'The lesson’s saved lab (its vCenter, hosts and VMs) is missing.',
};

export class LessonRecordError extends Error {
  constructor(
    readonly problems: LessonRecordProblem[],
    /** What is still stored: the lab's disks, files and keys, or the progress record. */
    readonly kept: { world: boolean; lab: boolean; progress: boolean },
  ) {
    super(`${problems.map((p) => PROBLEM_TEXT[p]).join(' ')} Nothing has been changed yet.`);
    this.name = 'LessonRecordError';
  }

  /** One sentence per problem, in the learner's words. */
  get problemTexts(): string[] {
    return this.problems.map((p) => PROBLEM_TEXT[p]);
  }

  /** What is still there, in the learner's words. */
  get keptText(): string {
    const parts = [
      this.kept.lab ? 'the lesson’s saved lab' : null,
      this.kept.world && !this.kept.lab ? 'its datastore files, disks and keys' : null,
      this.kept.progress ? (this.problems.includes('progressDamaged') ? 'your progress record as it is (damaged)' : 'your progress record') : null,
    ].filter((p): p is string => p !== null);
    return parts.length ? `Still stored in this browser: ${parts.join(', ')}.` : 'Nothing else of this lesson is stored in this browser.';
  }
}
