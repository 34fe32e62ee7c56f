'use client';
// React's view of a scenario's session: open while its page is shown, closed (saved, lock let go) when it is left.
import { useEffect, useSyncExternalStore } from 'react';
import { getScenarioSession, type ScenarioOpening, type ScenarioSessionState } from './scenario-session';

const idle: ScenarioSessionState = { status: 'idle' };
const noop = () => () => undefined;

export function useScenarioSession(opening: ScenarioOpening): ScenarioSessionState {
  const session = typeof window === 'undefined' ? null : getScenarioSession(opening);
  const state = useSyncExternalStore(session ? session.subscribe : noop, session ? session.getState : () => idle, () => idle);
  useEffect(() => {
    const session = getScenarioSession(opening);
    session.start();
    return () => session.close();
  }, [opening]);
  return state;
}
