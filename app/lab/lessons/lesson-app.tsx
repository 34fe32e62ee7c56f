'use client';
// /lab?lesson=<id>: the lesson's own lab in the workspace, with the lesson panel docked beside it, or the lesson's
// error screen when it cannot be opened or drawn. The workspace and the lesson engine load after the page has painted,
// so neither is part of the first load.
import Link from 'next/link';
import dynamic from 'next/dynamic';
import { lessonEntry } from '@/lib/lessons';
import { buttonClass } from '../components/ui/button';
import { LabErrorBoundary } from '../workspace/lab-error-boundary';
import { ElsewhereScreen, ErrorScreen, OpeningScreen } from '../workspace/session-screens';
import { getLessonSession } from './lesson-session';
import { RestartLesson } from './restart-lesson';
import { useLessonSession } from './use-lesson';

const Workspace = dynamic(() => import('../workspace/workspace'), { ssr: false, loading: () => <OpeningScreen message="Loading the workspace…" /> });
const LessonDock = dynamic(() => import('./lesson-dock').then((m) => m.LessonDock), { ssr: false });

/** What the learner can do when the lesson is not usable: Try again is the error screen's own; these come after it. */
const LESSON_ERROR_ADVICE =
  'Your place in this lesson is still saved in this browser, as it was. Try again first; restart the lesson only if it keeps failing (its lab and your progress in it start over). The sandbox and your other lessons are not touched.';

function LessonErrorActions({ onRestart }: { onRestart: () => void }) {
  return (
    <>
      <RestartLesson onRestart={onRestart} variant="secondary" size="md" />
      <Link className={buttonClass('secondary', 'md')} href="/">
        Back to lessons
      </Link>
    </>
  );
}

export function LessonApp({ lessonId }: { lessonId: string }) {
  const state = useLessonSession(lessonId);

  const entry = lessonEntry(lessonId);
  const session = () => getLessonSession(lessonId);
  switch (state.status) {
    case 'open':
      return (
        <LabErrorBoundary key={state.openedAt} onError={(error) => session().workspaceFailed(error)} fallback={<OpeningScreen message="Closing the lesson safely…" />}>
          <Workspace
            lab={state.lab}
            title={`Lesson ${state.lesson.order}: ${state.lesson.title}`}
            dock={(navigate) => <LessonDock run={state.run} lesson={state.lesson} navigate={navigate} onRestart={() => void session().restart()} />}
          />
        </LabErrorBoundary>
      );
    case 'elsewhere':
    case 'handedOver':
      return <ElsewhereScreen handedOver={state.status === 'handedOver'} onTakeOver={() => session().takeOver()} />;
    case 'error':
      return (
        <ErrorScreen
          {...state}
          advice={LESSON_ERROR_ADVICE}
          onRetry={() => session().retry()}
          actions={<LessonErrorActions onRestart={() => void session().restart()} />}
        />
      );
    case 'opening':
      return <OpeningScreen message={state.message} />;
    default:
      return <OpeningScreen message={entry ? `Opening “${entry.title}”…` : 'Opening the lesson…'} />;
  }
}
