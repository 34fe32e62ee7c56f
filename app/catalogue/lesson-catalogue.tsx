'use client';
// The home page's lesson list: goal, time and status (not started, in progress, done with its score), each started or
// continued in one click. Statuses are read in the browser from each lesson's own saved progress.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { hasLesson, LESSONS } from '@/lib/lessons';
import type { LessonStatus } from '@/machines/lessons/score';

function statusText(status: LessonStatus | undefined): string {
  if (!status) return 'Checking…';
  if (status.state === 'notStarted') return 'Not started';
  if (status.state === 'inProgress') return `In progress: ${status.done} of ${status.steps} steps`;
  const s = status.score;
  return `Done: ${s.unaided} of ${s.steps} steps unaided, ${s.hintsUsed} hint${s.hintsUsed === 1 ? '' : 's'}${
    s.predictionsTotal ? `, ${s.predictionsRight} of ${s.predictionsTotal} predictions right` : ''
  }`;
}

function useLessonStatuses(): Record<string, LessonStatus> {
  const [statuses, setStatuses] = useState<Record<string, LessonStatus>>({});
  useEffect(() => {
    let live = true;
    void (async () => {
      const [{ peekLessonProgress }, { lessonStatus }] = await Promise.all([import('@/machines/lessons/open-lesson'), import('@/machines/lessons/score')]);
      const entries = await Promise.all(
        LESSONS.map(async (l) => [l.id, lessonStatus(await peekLessonProgress(l.id).catch(() => undefined))] as const),
      );
      if (live) setStatuses(Object.fromEntries(entries));
    })();
    return () => {
      live = false;
    };
  }, []);
  return statuses;
}

export function LessonCatalogue() {
  const statuses = useLessonStatuses();
  return (
    <ol className="mt-4 flex flex-col gap-3" aria-label="Lessons" data-testid="catalogue">
      {LESSONS.map((l) => {
        const status = statuses[l.id];
        const available = hasLesson(l.id);
        const titleId = `lesson-${l.id}-title`;
        return (
          <li
            key={l.id}
            aria-labelledby={titleId}
            data-lesson={l.id}
            data-status={status?.state ?? 'loading'}
            className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
          >
            <div className="min-w-0 flex-1">
              <h3 id={titleId} className="font-semibold">
                {l.order}. {l.title}
              </h3>
              <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{l.goal}</p>
              <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
                About {l.estimatedMinutes} min ·{' '}
                <span className="font-medium text-slate-900 dark:text-slate-100" data-testid="lesson-status">
                  {available ? statusText(status) : 'Coming soon'}
                </span>
              </p>
            </div>
            {available ? (
              <Link
                href={`/lab?lesson=${l.id}`}
                aria-label={`${status?.state === 'inProgress' ? 'Continue' : status?.state === 'done' ? 'Review' : 'Start'} lesson ${l.order}: ${l.title}`}
                className="shrink-0 rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-700"
              >
                {status?.state === 'inProgress' ? 'Continue' : status?.state === 'done' ? 'Review' : 'Start'}
              </Link>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
