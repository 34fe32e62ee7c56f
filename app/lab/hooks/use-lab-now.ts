'use client';
// The lab's current time between view changes. A view carries the lab time of its last change only, so the header
// clock and the countdowns run on from it with real time (lab time follows real time except for fast-forwards, and
// a fast-forward produces a new view).
import { useCallback, useSyncExternalStore } from 'react';
import type { ClockView } from '@/machines/lab-types';

/** When each clock snapshot was first seen, in real time. */
const seenAt = new WeakMap<ClockView, number>();

export function labNowFrom(clock: ClockView, realNow: number): number {
  let anchor = seenAt.get(clock);
  if (anchor === undefined) {
    anchor = realNow;
    seenAt.set(clock, anchor);
  }
  return clock.now + Math.max(0, realNow - anchor);
}

/** Lab time in ms, rounded down to `stepMs`, re-rendering every `stepMs`. */
export function useLabNow(clock: ClockView, stepMs = 500): number {
  const subscribe = useCallback(
    (listener: () => void) => {
      const id = window.setInterval(listener, stepMs);
      return () => window.clearInterval(id);
    },
    [stepMs],
  );
  const snapshot = () => Math.floor(labNowFrom(clock, Date.now()) / stepMs) * stepMs;
  return useSyncExternalStore(subscribe, snapshot, () => clock.now);
}
