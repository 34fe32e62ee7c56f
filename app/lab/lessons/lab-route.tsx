'use client';
// /lab reads its query on the client (the site is a static export): ?lesson=<id> opens that lesson in its own lab,
// no query opens the sandbox.
import { useSearchParams } from 'next/navigation';
import { LabApp } from '../workspace/lab-app';
import { LessonApp } from './lesson-app';

export function LabRoute() {
  const lessonId = useSearchParams().get('lesson');
  return lessonId ? <LessonApp key={lessonId} lessonId={lessonId} /> : <LabApp />;
}
