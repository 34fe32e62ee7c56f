'use client';
// The home page's lessons: where to start (lesson 1 for a newcomer, then the lesson in progress or the next one not
// done), and the list with goal, time and status (not started, in progress, done with its score, best and last
// attempts), each started or continued in one click. Statuses are read in the browser from each lesson's own database.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { availableLessons, hasLesson, LESSONS } from '@/lib/lessons';
import { sameAttempt } from '@/machines/lessons/attempts';
import type { LessonStatus } from '@/machines/lessons/score';
import { nextLesson } from './next-lesson';
import { attemptDate, scoreText } from './score-text';

function statusText(status: LessonStatus | undefined): string {
  if (!status) return 'Checking…';
  const { best, last } = status.attempts;
  if (status.state === 'notStarted') return best ? `Best: ${scoreText(best.score)}` : 'Not started';
  if (status.state === 'inProgress') {
    const before = last ? `; last attempt: ${scoreText(last.score)}${best && !sameAttempt(last, best) ? `; best: ${scoreText(best.score)}` : ''}` : '';
    return `In progress: ${status.done} of ${status.steps} steps${before}`;
  }
  const bestElsewhere = best && last && !sameAttempt(last, best) ? `; best (${attemptDate(best.finishedWallMs)}): ${scoreText(best.score)}` : '';
  return `Done: ${scoreText(status.score)}${bestElsewhere}`;
}

function useLessonStatuses(): Record<string, LessonStatus> {
  const [statuses, setStatuses] = useState<Record<string, LessonStatus>>({});
  useEffect(() => {
    let live = true;
    void (async () => {
      const [{ peekLesson }, { lessonStatus }] = await Promise.all([import('@/machines/lessons/open-lesson'), import('@/machines/lessons/score')]);
      const entries = await Promise.all(
        LESSONS.map(async (l) => {
          const saved = await peekLesson(l.id).catch(() => undefined);
          return [l.id, lessonStatus(saved?.progress, saved?.attempts)] as const;
        }),
      );
      if (live) setStatuses(Object.fromEntries(entries));
    })();
    return () => {
      live = false;
    };
  }, []);
  return statuses;
}

const PRIMARY_LINK =
  'mt-3 inline-block rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-700';

/** Where to start: lesson 1 for a newcomer; afterwards the lesson in progress, or the next one not done yet. */
function StartHere({ statuses }: { statuses: Record<string, LessonStatus> }) {
  const next = nextLesson(availableLessons(), statuses);
  let heading: string;
  let text: string;
  let link: { href: string; label: string } | null = null;
  if (next.kind === 'allDone') {
    heading = 'Every lesson done';
    text = 'Review any lesson below (restarting one keeps your best and last attempts), or break things freely in the sandbox.';
  } else if (next.kind === 'first') {
    heading = 'New here? Start with lesson 1';
    text = 'Set up the Native Key Provider step by step: each lesson runs in a lab of its own, checks what you do, and explains why.';
    link = { href: `/lab?lesson=${next.lesson.id}`, label: 'Start lesson 1' };
  } else if (next.kind === 'continue') {
    heading = `Continue lesson ${next.lesson.order}: ${next.lesson.title}`;
    text = 'Its lab is where you left it.';
    link = { href: `/lab?lesson=${next.lesson.id}`, label: `Continue lesson ${next.lesson.order}` };
  } else {
    heading = `Next: lesson ${next.lesson.order}, ${next.lesson.title}`;
    text = `You finished lesson ${next.after.order}. ${next.lesson.goal}`;
    link = { href: `/lab?lesson=${next.lesson.id}`, label: `Start lesson ${next.lesson.order}` };
  }
  return (
    <section
      aria-labelledby="start-title"
      data-testid="start-here"
      data-next={next.kind === 'allDone' ? '' : next.lesson.id}
      className="mt-8 rounded-lg border border-blue-300 bg-blue-50 p-4 dark:border-sky-700 dark:bg-slate-900"
    >
      <h2 id="start-title" className="text-lg font-semibold">
        {heading}
      </h2>
      <p className="mt-1 text-sm text-slate-800 dark:text-slate-200">{text}</p>
      {link ? (
        <Link className={PRIMARY_LINK} href={link.href}>
          {link.label}
        </Link>
      ) : null}
    </section>
  );
}

function Catalogue({ statuses }: { statuses: Record<string, LessonStatus> }) {
  return (
    <ol className="mt-4 flex flex-col gap-3" aria-label="Lessons" data-testid="catalogue">
      {LESSONS.map((l) => {
        const status = statuses[l.id];
        const available = hasLesson(l.id);
        const titleId = `lesson-${l.id}-title`;
        const verb = status?.state === 'inProgress' ? 'Continue' : status?.state === 'done' ? 'Review' : 'Start';
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
                aria-label={`${verb} lesson ${l.order}: ${l.title}`}
                className="shrink-0 rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-700"
              >
                {verb}
              </Link>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** The home page's lesson sections: where to start, then every lesson. */
export function LessonCatalogue() {
  const statuses = useLessonStatuses();
  return (
    <>
      <StartHere statuses={statuses} />
      <section aria-labelledby="lessons-title" className="mt-8">
        <h2 id="lessons-title" className="text-xl font-semibold">
          Lessons
        </h2>
        <Catalogue statuses={statuses} />
      </section>
    </>
  );
}
