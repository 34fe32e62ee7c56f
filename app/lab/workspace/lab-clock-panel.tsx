'use client';
// The lab clock in the header: lab time, every visible wait counting down ("vCenter waits for kms-a: 42 s"), and a
// fast-forward that jumps to the end of the next wait (or a minute on, e.g. to let KMS replication catch up).
// `compact` (a phone's one-row header): the button reads "⏩ 1 min" (its name still "Fast-forward 1 min"), and the
// waits and a refusal take a line of their own under the row, only while there are any.
import type { CommandResult, LabView } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';
import { ActionResult } from '../components/action-feedback/action-result';
import { useAction } from '../components/action-feedback/use-action';
import { buttonClass } from '../components/ui/button';
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

/**
 * The phone's fast-forward: a word shorter, and its "✓ Lab time moved on" read out but not shown, since the clock
 * itself visibly jumps and a line under the one-row header would shift the page; a refusal does show, on its own line.
 */
function CompactFastForward({ label, title, run }: { label: string; title: string; run: () => Promise<CommandResult> }) {
  const action = useAction();
  const refused = action.state.status === 'done' && !action.state.result.ok;
  return (
    <>
      <button
        type="button"
        title={title}
        aria-busy={action.running || undefined}
        className={`${buttonClass('secondary', 'sm')} min-h-8 shrink-0`}
        onClick={() => {
          if (!action.running) void action.run(run);
        }}
      >
        <FastForwardIcon /> <span className="sr-only">Fast-forward </span>
        {label}
      </button>
      <div className={refused ? 'order-last basis-full' : 'sr-only'}>
        <ActionResult state={action.state} compact />
      </div>
    </>
  );
}

/** Re-renders for the lab's clock and waits only (and its own ticker), not for every change of the lab. */
export function LabClockPanel({ compact = false }: { compact?: boolean }) {
  const lab = useLab();
  const clock = useLabSelector(clockOf, sameData);
  const now = useLabNow(clock, 250);
  const waits = [...clock.pendingWaits].sort((a, b) => a.deadline - b.deadline);
  const next = waits[0];
  // Jump to the deadline itself (rounded up to whole seconds so the wait is surely over).
  const skipMs = next ? Math.max(1000, Math.ceil((next.deadline - now) / 1000) * 1000) : ONE_MINUTE;
  const run = () => lab.dispatch({ type: 'clock.advance', ms: skipMs });
  const title = next ? `Move lab time on to the end of “${next.label}”` : 'Move lab time on by one minute';
  const span = next ? `${Math.round(skipMs / 1000)} s` : '1 min';
  const time = (
    // On the phone's row it is the first of the right-hand group.
    <div className={`flex flex-col leading-tight ${compact ? 'ml-auto' : ''}`}>
      <span className="text-[11px] text-slate-600 dark:text-slate-400">Lab time</span>
      <span role="timer" aria-label="Lab time" className="font-mono text-sm tabular-nums" data-testid="lab-time">
        {formatLabTime(now)}
      </span>
    </div>
  );
  const waitList =
    waits.length > 0 ? (
      <ul aria-label="Waits in progress" className={`flex min-w-0 flex-col gap-0.5 ${compact ? 'order-last basis-full' : ''}`}>
        {waits.map((w) => (
          <li
            key={w.id}
            data-testid="pending-wait"
            title={w.label}
            className={`flex ${compact ? 'max-w-full' : 'max-w-[16rem]'} items-center gap-1.5 rounded border border-amber-400 bg-amber-50 px-1.5 text-xs text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100`}
          >
            {/* The label may be long; it gives way, the seconds never do. */}
            <span className="truncate">{w.label}</span>
            <span role="timer" className="shrink-0 font-mono font-semibold tabular-nums" aria-label={`${w.label}: ${secondsLeft(w.deadline, now)} seconds left`}>
              {secondsLeft(w.deadline, now)} s
            </span>
          </li>
        ))}
      </ul>
    ) : null;
  if (compact) {
    // Its parts are the header row's own items (display: contents), so the waits can wrap to a full-width line.
    return (
      <div className="contents">
        {time}
        {waitList}
        <CompactFastForward label={span} title={title} run={run} />
      </div>
    );
  }
  return (
    <div className="flex min-w-0 items-center gap-3">
      {time}
      {waitList}
      <ActionButton size="sm" title={title} run={run}>
        <FastForwardIcon /> Fast-forward {span}
      </ActionButton>
    </div>
  );
}
