'use client';
// /lab?lesson=<id>: the lesson's own lab in the workspace, with the lesson panel docked beside it, or the lesson's
// error screen when it cannot be opened or drawn. The workspace and the lesson engine load after the page has painted,
// so neither is part of the first load.
import Link from 'next/link';
import dynamic from 'next/dynamic';
import { lessonEntry } from '@/lib/lessons';
import { buttonClass } from '../components/ui/button';
import { downloadBytes } from '../pages/providers/download';
import type { LabErrorKind } from '../session/tab-lab-session';
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

/** When part of the lesson's saved state is lost: nothing happens until the learner chooses. */
const LESSON_LOST_ADVICE =
  'Nothing has been changed. Download what is there first if you want to keep it; starting the lesson again builds a new lab for it from its first step. The sandbox and your other lessons are not touched.';

function LessonErrorActions({ onRestart, kind }: { onRestart: () => void; kind: LabErrorKind }) {
  return (
    <>
      <RestartLesson onRestart={onRestart} variant="secondary" size="md" label={kind === 'missing' ? 'Start the lesson again…' : 'Restart lesson…'} />
      <Link className={buttonClass('secondary', 'md')} href="/">
        Back to lessons
      </Link>
    </>
  );
}

/** What the lesson left in this browser, as a file the learner keeps (offered whenever the lesson will not open). */
async function downloadLesson(lessonId: string): Promise<void> {
  const file = await getLessonSession(lessonId).download();
  downloadBytes(new TextEncoder().encode(file.text), file.fileName, 'application/json');
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
            dock={(navigate) => (
              <LessonDock run={state.run} lesson={state.lesson} attempts={state.attempts} navigate={navigate} onRestart={() => void session().restart()} />
            )}
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
          advice={state.kind === 'missing' ? LESSON_LOST_ADVICE : LESSON_ERROR_ADVICE}
          onRetry={() => session().retry()}
          onDownload={state.kind === 'failed' ? undefined : () => downloadLesson(lessonId)}
          actions={<LessonErrorActions kind={state.kind} onRestart={() => void session().restart()} />}
        />
      );
    case 'opening':
      return <OpeningScreen message={state.message} />;
    default:
      return <OpeningScreen message={entry ? `Opening “${entry.title}”…` : 'Opening the lesson…'} />;
  }
}
