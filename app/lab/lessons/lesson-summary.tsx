'use client';
// The end of a lesson: time taken, the score (with the previous and best attempts), what was learned, the proof (the
// guest data read back through the learner's key chain, or that no key opens the disk), and the next lesson.
import Link from 'next/link';
import { availableLessons } from '@/lib/lessons';
import type { Lesson } from '@/lib/lessons/lesson-types';
import { finishedAttempt, sameAttempt, withAttempt, type LessonAttempts } from '@/machines/lessons/attempts';
import type { LessonRun, LessonRunState } from '@/machines/lessons/lesson-run';
import { lessonAfter } from '../../catalogue/next-lesson';
import { attemptDate, scoreText } from '../../catalogue/score-text';
import { Button, buttonClass } from '../components/ui/button';
import { DefinitionList } from '../components/ui/definition-list';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

function Proof({ state, run }: { state: LessonRunState; run: LessonRun }) {
  const proof = state.progress.proof;
  if (!proof) return <p className="text-sm text-slate-700 dark:text-slate-300" role="status">Running the proof…</p>;
  return (
    <div data-testid="proof" data-ok={proof.ok}>
      <p className={`text-sm font-semibold ${proof.ok ? 'text-green-800 dark:text-green-300' : 'text-red-800 dark:text-red-300'}`}>
        {proof.kind === 'readBack'
          ? proof.ok
            ? 'Proof: every guest file reads back, byte for byte, through the keys the lab holds now.'
            : 'Proof failed: not every guest file reads back as it was written.'
          : proof.ok
            ? 'Proof: no key the lab holds opens these disks any more.'
            : 'Proof failed: a key the lab holds still opens a disk.'}
      </p>
      <ul className="mt-1 flex flex-col gap-0.5 text-sm">
        {proof.kind === 'readBack'
          ? proof.files.map((f) => (
              <li key={`${f.vmId}/${f.name}`} className="text-slate-800 dark:text-slate-200">
                <span aria-hidden="true">{f.ok ? '✓ ' : '✗ '}</span>
                <span className="font-mono text-xs">
                  {f.vmName}/{f.name}
                </span>
                : {f.detail}
              </li>
            ))
          : proof.vms.map((v) => (
              <li key={v.vmId} className="text-slate-800 dark:text-slate-200">
                <span aria-hidden="true">{v.opened ? '✗ ' : '✓ '}</span>
                {v.vmName}: {v.detail}
              </li>
            ))}
      </ul>
      <div className="mt-1">
        <Button size="sm" variant="ghost" onClick={() => void run.prove()} disabledReason={state.busy ? 'Working…' : null} reasonHidden>
          Run the proof again
        </Button>
      </div>
    </div>
  );
}

/** Where to go from the end of a lesson: the next one in the catalogue, or all lessons after the last. */
function NextLesson({ lesson }: { lesson: Lesson }) {
  const next = lessonAfter(availableLessons(), lesson.id);
  // A full page load: the next lesson opens in its own lab as any lesson link does, this one saved and let go.
  return next ? (
    <a className={buttonClass('primary', 'md')} href={`/lab?lesson=${next.id}`} data-testid="next-lesson">
      Next lesson: {next.order}. {next.title}
    </a>
  ) : (
    <Link className={buttonClass('primary', 'md')} href="/" data-testid="next-lesson">
      That was the last lesson: all lessons
    </Link>
  );
}

/** This attempt beside the kept ones: the previous finished attempt and the best of all (when it is another). */
function attemptRows(state: LessonRunState, kept: LessonAttempts): [string, string][] {
  const now = finishedAttempt(state.progress, state.score);
  const all = withAttempt(kept, now);
  const rows: [string, string][] = [];
  if (kept.last) rows.push(['Previous attempt', `${scoreText(kept.last.score)} (${attemptDate(kept.last.finishedWallMs)})`]);
  if (all.best && now && !sameAttempt(now, all.best)) rows.push(['Best attempt', `${scoreText(all.best.score)} (${attemptDate(all.best.finishedWallMs)})`]);
  else if (kept.last && now) rows.push(['Best attempt', 'this one']);
  return rows;
}

export function LessonSummary({ lesson, state, run, attempts }: { lesson: Lesson; state: LessonRunState; run: LessonRun; attempts: LessonAttempts }) {
  const { progress, score } = state;
  const taken = (progress.finishedWallMs ?? progress.startedWallMs) - progress.startedWallMs;
  const predictions = score.predictionsTotal
    ? `${score.predictionsRight} of ${score.predictionsTotal}${score.predictionsUnanswered ? ` (${score.predictionsUnanswered} not answered)` : ''}`
    : score.predictionsUnanswered
      ? `none answered (${score.predictionsUnanswered} asked)`
      : 'none asked';
  const items: [string, string][] = [
    ['Time taken', formatDuration(taken)],
    ['Steps done unaided', `${score.unaided} of ${score.steps}`],
    ['Hints used', `${score.hintsUsed}`],
    ['Steps shown', `${score.shown}`],
    ['Steps skipped', `${score.skipped}`],
    ['Predictions right', predictions],
    ...attemptRows(state, attempts),
  ];
  return (
    <section aria-labelledby="lesson-summary-title" data-testid="lesson-summary" className="rounded border border-green-600 bg-green-50 p-2 dark:border-green-500 dark:bg-slate-900">
      <h3 id="lesson-summary-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
        Lesson complete
      </h3>
      <DefinitionList
        items={items}
        className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm"
        termClassName="text-slate-700 dark:text-slate-300"
        valueClassName="font-medium text-slate-900 dark:text-slate-100"
        testId="lesson-score"
      />
      <h4 className="mt-2 text-sm font-semibold text-slate-900 dark:text-slate-100">What you learned</h4>
      <ul className="list-disc pl-5 text-sm text-slate-800 dark:text-slate-200">
        {lesson.summary.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      {lesson.proof ? (
        <div className="mt-2">
          <Proof state={state} run={run} />
        </div>
      ) : null}
      <div className="mt-3">
        <NextLesson lesson={lesson} />
      </div>
    </section>
  );
}
