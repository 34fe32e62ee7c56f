'use client';
// React's view of this tab's lab session (lock, opening, open, handed over; open while /lab is shown).
import { useEffect, useSyncExternalStore } from 'react';
import { getLabSession, type LabSessionState } from '../session/tab-lab-session';

const idle: LabSessionState = { status: 'idle' };

export function useLabSession(): LabSessionState {
  const session = typeof window === 'undefined' ? null : getLabSession();
  const state = useSyncExternalStore(
    session ? session.subscribe : noopSubscribe,
    session ? session.getState : () => idle,
    () => idle,
  );
  useEffect(() => {
    const session = getLabSession();
    session.start();
    // Leaving /lab (home, a lesson) closes the lab; coming back opens it from what was saved.
    return () => session.close();
  }, []);
  return state;
}

function noopSubscribe() {
  return () => undefined;
}
