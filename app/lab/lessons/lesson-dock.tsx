'use client';
// The docked panel of a lesson: the lesson itself, and the recovery status of the lesson's lab.
import { useState } from 'react';
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { LessonRun } from '@/machines/lessons/lesson-run';
import type { Route } from '../navigation';
import { LessonPanel } from './lesson-panel';
import { RecoveryPanel } from './recovery-panel';
import { SideDock } from './side-dock';

export function LessonDock(props: { run: LessonRun; lesson: Lesson; navigate: (r: Route) => void; onRestart: () => void }) {
  const { run, lesson, navigate, onRestart } = props;
  const [tab, setTab] = useState('lesson');
  return (
    <SideDock
      label="Lesson"
      selectedId={tab}
      onSelect={setTab}
      tabs={[
        {
          id: 'lesson',
          label: 'Lesson',
          content: <LessonPanel run={run} lesson={lesson} navigate={navigate} onRestart={onRestart} showRecovery={() => setTab('recovery')} />,
        },
        { id: 'recovery', label: 'Recovery status', content: <RecoveryPanel lab={run.lab} /> },
      ]}
    />
  );
}
