'use client';
// The lab clock in the header: lab time, every visible wait counting down ("vCenter waits for kms-a: 42 s"), and a
// fast-forward that jumps to the end of the next wait (or a minute on, e.g. to let KMS replication catch up).
import type { LabView } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';
import { formatLabTime } from '../format';
import { useLab, useLabSelector } from '../hooks/lab-context';
import { sameData } from '../hooks/lab-selection';
import { useLabNow } from '../hooks/use-lab-now';

const ONE_MINUTE = 60_000;

const clockOf = (view: LabView) => view.clock;

/** Whole seconds left, rounded: lab time here is quantised to 250 ms, so rounding up would read 61 s at first. */
function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.round((deadline - now) / 1000));
}

function FastForwardIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5 fill-current">
      <path d="M1 3l6.5 5L1 13z M8 3l6.5 5L8 13z" />
    </svg>
  );
}

/** Re-renders for the lab's clock and waits only (and its own ticker), not for every change of the lab. */
export function LabClockPanel() {
  const lab = useLab();
  const clock = useLabSelector(clockOf, sameData);
  const now = useLabNow(clock, 250);
  const waits = [...clock.pendingWaits].sort((a, b) => a.deadline - b.deadline);
  const next = waits[0];
  // Jump to the deadline itself (rounded up to whole seconds so the wait is surely over).
  const skipMs = next ? Math.max(1000, Math.ceil((next.deadline - now) / 1000) * 1000) : ONE_MINUTE;
  return (
    <div className="flex min-w-0 items-center gap-3">
      <div className="flex flex-col leading-tight">
        <span className="text-[11px] text-slate-600 dark:text-slate-400">Lab time</span>
        <span role="timer" aria-label="Lab time" className="font-mono text-sm tabular-nums" data-testid="lab-time">
          {formatLabTime(now)}
        </span>
      </div>
      {waits.length > 0 ? (
        <ul aria-label="Waits in progress" className="flex min-w-0 flex-col gap-0.5">
          {waits.map((w) => (
            <li
              key={w.id}
              data-testid="pending-wait"
              title={w.label}
              className="flex max-w-[16rem] items-center gap-1.5 rounded border border-amber-400 bg-amber-50 px-1.5 text-xs text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100"
            >
              {/* The label may be long; it gives way, the seconds never do. */}
              <span className="truncate">{w.label}</span>
              <span role="timer" className="shrink-0 font-mono font-semibold tabular-nums" aria-label={`${w.label}: ${secondsLeft(w.deadline, now)} seconds left`}>
                {secondsLeft(w.deadline, now)} s
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <ActionButton
        size="sm"
        title={next ? `Move lab time on to the end of “${next.label}”` : 'Move lab time on by one minute'}
        run={() => lab.dispatch({ type: 'clock.advance', ms: skipMs })}
      >
        <FastForwardIcon /> {next ? `Fast-forward ${Math.round(skipMs / 1000)} s` : 'Fast-forward 1 min'}
      </ActionButton>
    </div>
  );
}
