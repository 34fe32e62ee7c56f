'use client';
// /lab?lesson=<id> naming no lesson (a typo, an old link, a hostile id): says so plainly and lists the lessons there
// are. Nothing is opened, so no lab or database is made for an id that names nothing.
import Link from 'next/link';
import { availableLessons } from '@/lib/lessons';
import { buttonClass } from '../components/ui/button';

/** At most this much of the id is echoed back: enough to recognise a typo, never a page of junk. */
const SHOWN_ID_CHARS = 40;

function shownId(id: string): string {
  // Control characters (a %00 in the link) are shown by their code, not written into the page.
  const visible = [...id].map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
  return visible.length > SHOWN_ID_CHARS ? `${visible.slice(0, SHOWN_ID_CHARS)}…` : visible;
}

export function NoSuchLesson({ lessonId }: { lessonId: string }) {
  const lessons = availableLessons();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-lg rounded-lg border border-slate-300 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <p className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">keylab</p>
        <h1 className="mb-3 text-xl font-semibold">There is no such lesson</h1>
        <p role="alert" className="rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100">
          The link asks for a lesson called “<span className="font-mono break-all">{shownId(lessonId)}</span>”, and keylab has no lesson by that
          name. Nothing was opened or changed. Choose one of these:
        </p>
        <ol aria-label="Lessons" className="mt-3 flex flex-col gap-1 text-sm" data-testid="lesson-links">
          {lessons.map((l) => (
            <li key={l.id}>
              <a className="text-blue-800 underline underline-offset-2 dark:text-sky-300" href={`/lab?lesson=${l.id}`}>
                Lesson {l.order}: {l.title}
              </a>
            </li>
          ))}
        </ol>
        <div className="mt-4 flex flex-wrap gap-2">
          <Link className={buttonClass('primary', 'md')} href="/">
            All lessons
          </Link>
          <a className={buttonClass('secondary', 'md')} href="/lab">
            Open the sandbox
          </a>
        </div>
      </div>
    </main>
  );
}
