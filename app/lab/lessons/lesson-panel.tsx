'use client';
// The lesson panel: the lesson's goal, the handed-out backup, the steps (ticked as their checks pass, the current one
// expanded), the summary at the end, and restarting the lesson.
import Link from 'next/link';
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { LessonAttempts } from '@/machines/lessons/attempts';
import type { LessonRun } from '@/machines/lessons/lesson-run';
import { useLabView } from '../hooks/use-lab';
import type { Route } from '../navigation';
import { Handout } from './handout';
import { LessonStepItem } from './lesson-step';
import { LessonSummary } from './lesson-summary';
import { RestartLesson } from './restart-lesson';
import { useLessonRun } from './use-lesson';

export function LessonPanel(props: {
  run: LessonRun;
  lesson: Lesson;
  attempts: LessonAttempts;
  navigate: (r: Route) => void;
  onRestart: () => void;
  showRecovery: () => void;
}) {
  const { run, lesson, attempts, navigate, onRestart, showRecovery } = props;
  const state = useLessonRun(run);
  const view = useLabView(run.lab);
  const { evaluation, progress } = state;
  const position = evaluation.currentStepId ? lesson.steps.findIndex((s) => s.id === evaluation.currentStepId) + 1 : lesson.steps.length;
  return (
    <section aria-labelledby="lesson-title" data-testid="lesson-panel" className="flex flex-col gap-3">
      <header>
        <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">Lesson {lesson.order}</p>
        <h2 id="lesson-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
          {lesson.title}
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{lesson.goal}</p>
        <p className="mt-1 text-sm font-medium text-slate-800 dark:text-slate-200" aria-live="polite" data-testid="lesson-position">
          {evaluation.finished ? 'All steps over.' : `Step ${position} of ${lesson.steps.length}`}
        </p>
      </header>
      {state.saveProblem ? (
        <p role="alert" className="rounded border border-red-400 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {state.saveProblem}
        </p>
      ) : null}
      {progress.handout ? <Handout handout={progress.handout} note={lesson.handoutNote} /> : null}
      <ol aria-label="Steps" className="flex flex-col gap-2">
        {lesson.steps.map((step, i) => (
          <LessonStepItem
            key={step.id}
            step={step}
            index={i}
            status={evaluation.steps[i]!}
            state={state}
            run={run}
            view={view}
            navigate={navigate}
            showRecovery={showRecovery}
          />
        ))}
      </ol>
      {evaluation.finished ? <LessonSummary lesson={lesson} state={state} run={run} attempts={attempts} /> : null}
      <footer className="flex flex-wrap items-center gap-2 border-t border-slate-300 pt-2 dark:border-slate-700">
        <RestartLesson onRestart={onRestart} />
        <Link href="/" className="text-sm text-blue-800 underline underline-offset-2 dark:text-sky-300">
          All lessons
        </Link>
        <a href="/lab" className="text-sm text-blue-800 underline underline-offset-2 dark:text-sky-300">
          Sandbox
        </a>
      </footer>
    </section>
  );
}
