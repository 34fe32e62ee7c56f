'use client';
// The docked panel of a lesson: the lesson itself, and the recovery status of the lesson's lab. Folded (on a phone it
// starts as a sheet, and folds to a strip), it still shows the step the learner is on and a dot for news.
import { useState } from 'react';
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { LessonAttempts } from '@/machines/lessons/attempts';
import type { LessonRun } from '@/machines/lessons/lesson-run';
import type { Route } from '../navigation';
import { lessonIndicator } from './lesson-indicator';
import { LessonPanel } from './lesson-panel';
import { RecoveryPanel } from './recovery-panel';
import { SideDock } from './side-dock';
import { useLessonRun } from './use-lesson';

export function LessonDock(props: { run: LessonRun; lesson: Lesson; attempts: LessonAttempts; navigate: (r: Route) => void; onRestart: () => void }) {
  const { run, lesson, attempts, navigate, onRestart } = props;
  const [tab, setTab] = useState('lesson');
  const state = useLessonRun(run);
  return (
    <SideDock
      label="Lesson"
      selectedId={tab}
      onSelect={setTab}
      indicator={lessonIndicator(lesson, state)}
      tabs={[
        {
          id: 'lesson',
          label: 'Lesson',
          content: (
            <LessonPanel run={run} lesson={lesson} attempts={attempts} navigate={navigate} onRestart={onRestart} showRecovery={() => setTab('recovery')} />
          ),
        },
        { id: 'recovery', label: 'Recovery status', content: <RecoveryPanel lab={run.lab} /> },
      ]}
    />
  );
}
