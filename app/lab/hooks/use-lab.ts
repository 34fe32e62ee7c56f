'use client';
// A thin hook over the headless lab: re-renders on every change of its view (useSyncExternalStore).
import { useCallback, useSyncExternalStore } from 'react';
import type { Lab, LabView } from '@/machines/lab-types';

/** The lab's current view; lab.getView() returns the same object until the next change, as the store contract asks. */
export function useLabView(lab: Lab): LabView {
  return useSyncExternalStore(lab.subscribe, lab.getView, lab.getView);
}

/** A re-render every `ms` while mounted (the lab clock and countdowns). */
export function useTicker(ms: number): number {
  const subscribe = useCallback(
    (listener: () => void) => {
      const id = window.setInterval(listener, ms);
      return () => window.clearInterval(id);
    },
    [ms],
  );
  return useSyncExternalStore(
    subscribe,
    () => Math.floor(Date.now() / ms),
    () => 0,
  );
}
