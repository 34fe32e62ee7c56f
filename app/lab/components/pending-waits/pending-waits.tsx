'use client';
// The visible waits of the lab (vCenter waiting 60 s on a hung KMS node), counting down, with a fast-forward that
// moves lab time to the end of the wait so the learner need not sit through it.
import { useState } from 'react';
import type { Lab, LabView } from '@/machines/lab-types';
import { ActionButton } from '../action-feedback/action-button';
import { formatCountdown } from '../../format';
import { useTicker } from '../../hooks/use-lab';

const TICK_MS = 250;

/** Lab time now: the view's clock is a snapshot, and lab time runs on with real time between two views. */
export function useLabNow(view: LabView): number {
  const tick = useTicker(TICK_MS);
  const [anchor, setAnchor] = useState({ labNow: view.clock.now, tick });
  // A new view re-anchors (render-time state update: React re-renders at once, without an effect's extra frame).
  if (anchor.labNow !== view.clock.now) setAnchor({ labNow: view.clock.now, tick });
  return view.clock.now + Math.max(0, (tick - anchor.tick) * TICK_MS);
}

export function PendingWaits({ lab, view, filter }: { lab: Lab; view: LabView; filter?: (label: string) => boolean }) {
  const now = useLabNow(view);
  const waits = view.clock.pendingWaits.filter((w) => (filter ? filter(w.label) : true));
  if (waits.length === 0) return null;
  return (
    <ul aria-label="Waits in progress" className="flex flex-col gap-2">
      {waits.map((w) => {
        const left = Math.max(0, w.deadline - now);
        return (
          <li
            key={w.id}
            className="flex flex-wrap items-center gap-3 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100"
          >
            <span className="flex-1">{w.label}</span>
            <span className="font-mono text-base font-semibold" aria-label={`${Math.ceil(left / 1000)} seconds left`} data-testid="wait-countdown">
              {formatCountdown(left)}
            </span>
            <ActionButton run={() => lab.dispatch({ type: 'clock.advance', ms: Math.max(1, left) })}>Fast-forward</ActionButton>
          </li>
        );
      })}
    </ul>
  );
}
