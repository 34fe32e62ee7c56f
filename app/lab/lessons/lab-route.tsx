'use client';
// /lab reads its query on the client (the site is a static export): ?lesson=<id> opens that lesson in its own lab,
// an id that names no lesson gets the list of lessons (and no lab, no database), no query opens the sandbox.
import { useSearchParams } from 'next/navigation';
import { hasLesson } from '@/lib/lessons';
import { LabApp } from '../workspace/lab-app';
import { LessonApp } from './lesson-app';
import { NoSuchLesson } from './no-such-lesson';

export function LabRoute() {
  const lessonId = useSearchParams().get('lesson');
  if (lessonId === null || lessonId === '') return <LabApp />;
  return hasLesson(lessonId) ? <LessonApp key={lessonId} lessonId={lessonId} /> : <NoSuchLesson lessonId={lessonId} />;
}
