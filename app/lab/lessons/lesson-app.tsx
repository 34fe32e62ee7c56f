'use client';
// /lab?lesson=<id>: the lesson's own lab in the workspace, with the lesson panel docked beside it. The workspace and the
// lesson engine load after the page has painted, so neither is part of the first load.
import Link from 'next/link';
import dynamic from 'next/dynamic';
import { lessonEntry } from '@/lib/lessons';
import { ElsewhereScreen, OpeningScreen } from '../workspace/session-screens';
import { getLessonSession } from './lesson-session';
import { useLessonSession } from './use-lesson';

const Workspace = dynamic(() => import('../workspace/workspace'), { ssr: false, loading: () => <OpeningScreen message="Loading the workspace…" /> });
const LessonDock = dynamic(() => import('./lesson-dock').then((m) => m.LessonDock), { ssr: false });

function LessonError({ title, message }: { title: string; message: string }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div role="alert" className="w-full max-w-lg rounded-lg border border-slate-300 bg-white p-6 dark:border-slate-700 dark:bg-slate-900">
        <h1 className="mb-3 text-xl font-semibold">{title}</h1>
        <p className="text-sm text-slate-800 dark:text-slate-200">{message}</p>
        <p className="mt-4 flex gap-4 text-sm">
          <Link className="text-blue-800 underline dark:text-sky-300" href="/">
            Choose a lesson
          </Link>
          <a className="text-blue-800 underline dark:text-sky-300" href="/lab">
            Open the sandbox
          </a>
        </p>
      </div>
    </main>
  );
}

export function LessonApp({ lessonId }: { lessonId: string }) {
  const state = useLessonSession(lessonId);

  const entry = lessonEntry(lessonId);
  const session = () => getLessonSession(lessonId);
  switch (state.status) {
    case 'open':
      return (
        <Workspace
          key={state.openedAt}
          lab={state.lab}
          title={`Lesson ${state.lesson.order}: ${state.lesson.title}`}
          onReset={() => void session().restart()}
          dock={(navigate) => <LessonDock run={state.run} lesson={state.lesson} navigate={navigate} onRestart={() => void session().restart()} />}
        />
      );
    case 'elsewhere':
    case 'handedOver':
      return <ElsewhereScreen handedOver={state.status === 'handedOver'} onTakeOver={() => session().takeOver()} />;
    case 'error':
      return <LessonError title={state.title} message={state.message} />;
    case 'opening':
      return <OpeningScreen message={state.message} />;
    default:
      return <OpeningScreen message={entry ? `Opening “${entry.title}”…` : 'Opening the lesson…'} />;
  }
}
