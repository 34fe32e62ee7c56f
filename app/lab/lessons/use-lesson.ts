'use client';
// React's view of a lesson: the session (opening, open, elsewhere) and the running lesson's state (steps, score).
import { useEffect, useSyncExternalStore } from 'react';
import type { LessonRun, LessonRunState } from '@/machines/lessons/lesson-run';
import { getLessonSession, type LessonSessionState } from './lesson-session';

const idle: LessonSessionState = { status: 'idle' };
const noop = () => () => undefined;

export function useLessonSession(lessonId: string): LessonSessionState {
  const session = typeof window === 'undefined' ? null : getLessonSession(lessonId);
  const state = useSyncExternalStore(session ? session.subscribe : noop, session ? session.getState : () => idle, () => idle);
  useEffect(() => {
    getLessonSession(lessonId).start();
  }, [lessonId]);
  return state;
}

export function useLessonRun(run: LessonRun): LessonRunState {
  return useSyncExternalStore(run.subscribe, run.getState, run.getState);
}
