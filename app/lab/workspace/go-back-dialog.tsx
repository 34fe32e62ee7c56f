'use client';
// "Go back to here?": what going back to an event undoes (the steps after it, in words; the quiet ones that logged no
// event kept unless the learner unticks them), that the world is built again with new keys (so NKP backup files taken
// from this lab no longer fit it), and that Redo keeps the steps undone.
import { useId, useState } from 'react';
import type { JournalEntry, LabEvent } from '@/machines/lab-types';
import { stepsUndone, type GoBackPoint } from '@/machines/session/rewind-points';
import { describeJournalOp, type NameOf } from '@/machines/view/journal-words';
import { ConfirmDialog } from '../components/ui/confirm-dialog';
import { formatLabTime } from '../format';

export interface GoBackTarget {
  event: LabEvent;
  point: GoBackPoint;
}

/** Enough of a long list to recognise it; the count says the rest. */
const LISTED = 8;

export function GoBackDialog(props: {
  target: GoBackTarget | null;
  entries: readonly JournalEntry[];
  redo: readonly JournalEntry[];
  nameOf: NameOf;
  onClose: () => void;
  onConfirm: (toSeq: number) => void;
}) {
  const { target, entries, redo, nameOf } = props;
  const keepId = useId();
  // Opened for another event: its quiet steps are kept again, as the default.
  const [dropQuietFor, setDropQuietFor] = useState<GoBackTarget | null>(null);
  const point = target?.point;
  const keepQuiet = point?.keepingQuiet != null && dropQuietFor !== target;
  const toSeq = point ? (keepQuiet ? point.keepingQuiet! : point.toSeq) : 0;
  const undone = point ? stepsUndone(entries, toSeq) : [];
  const first = undone[0];
  return (
    <ConfirmDialog
      open={target !== null}
      onClose={props.onClose}
      title="Go back to here?"
      description={
        first
          ? `The lab is rebuilt as it was just before “${describeJournalOp(first.op, nameOf)}”: ${
              undone.length === 1 ? 'that step is undone' : `it and the ${undone.length - 1} ${undone.length === 2 ? 'step' : 'steps'} after it are undone`
            }.`
          : ''
      }
      confirmLabel="Go back"
      onConfirm={() => target && props.onConfirm(toSeq)}
    >
      <div className="space-y-3 text-sm text-slate-800 dark:text-slate-200">
        {target ? (
          <p className="text-slate-700 dark:text-slate-300">
            Going back to: <span className="font-mono tabular-nums">{formatLabTime(target.event.time)}</span> {target.event.message}
          </p>
        ) : null}
        {point && point.keepingQuiet !== null ? (
          <div className="flex items-start gap-2 rounded border border-slate-300 p-2 dark:border-slate-600">
            <input
              id={keepId}
              type="checkbox"
              className="mt-1"
              checked={keepQuiet}
              onChange={(e) => setDropQuietFor(e.target.checked ? null : target)}
            />
            <label htmlFor={keepId}>
              Keep what was done right after this event without an event of its own:{' '}
              {point.quiet.map((e) => describeJournalOp(e.op, nameOf)).join('; ')}
            </label>
          </div>
        ) : null}
        <div>
          <p className="font-medium">Undone:</p>
          <ol className="mt-1 list-decimal space-y-0.5 pl-6" data-testid="steps-undone">
            {undone.slice(0, LISTED).map((e) => (
              <li key={e.seq}>
                {describeJournalOp(e.op, nameOf)}
                {e.outcome !== 'ok' && e.outcome !== 'pending' ? <span className="text-slate-600 dark:text-slate-400"> (it was refused)</span> : null}
              </li>
            ))}
          </ol>
          {undone.length > LISTED ? <p className="mt-1">…and {undone.length - LISTED} more.</p> : null}
        </div>
        <p>
          The datacenter is built again and everything before this point is done again, with new keys: an NKP backup file
          you downloaded from this lab holds keys the rebuilt lab no longer has, so back the provider up again if you need
          a file.
        </p>
        <p>
          Redo does the undone steps again, one at a time, until you do something new
          {redo.length > 0 ? `; the ${redo.length} ${redo.length === 1 ? 'step' : 'steps'} already waiting to be redone stay after them` : ''}.
        </p>
      </div>
    </ConfirmDialog>
  );
}
