'use client';
// React's view of a lesson: the session (opening, open, elsewhere; open while its page is shown) and the running
// lesson's state (steps, score).
import { useEffect, useSyncExternalStore } from 'react';
import type { LessonRun, LessonRunState } from '@/machines/lessons/lesson-run';
import { getLessonSession, type LessonSessionState } from './lesson-session';

const idle: LessonSessionState = { status: 'idle' };
const noop = () => () => undefined;

export function useLessonSession(lessonId: string): LessonSessionState {
  const session = typeof window === 'undefined' ? null : getLessonSession(lessonId);
  const state = useSyncExternalStore(session ? session.subscribe : noop, session ? session.getState : () => idle, () => idle);
  useEffect(() => {
    const session = getLessonSession(lessonId);
    session.start();
    // Leaving the lesson's page (home, another lesson) closes it; coming back opens it from what was saved.
    return () => session.close();
  }, [lessonId]);
  return state;
}

export function useLessonRun(run: LessonRun): LessonRunState {
  return useSyncExternalStore(run.subscribe, run.getState, run.getState);
}
