'use client';
// The strip under the header after a "Go back to here": how it went, and "Redo: <step>" (also Ctrl+Shift+Z, or
// ⌘+Shift+Z) while the steps taken back wait, disabled with the reason when Redo cannot do the next one itself.
import { useEffect, useRef, useState } from 'react';
import type { JournalEntry } from '@/machines/lab-types';
import { redoBlocker } from '@/machines/session/rewind-points';
import { describeJournalOp } from '@/machines/view/journal-words';
import { Button } from '../components/ui/button';
import { useLabSelector } from '../hooks/lab-context';
import { sameData } from '../hooks/lab-selection';
import { journalOf, sameJournal, useRewind } from './rewind-context';
import { objectDirectory } from './object-directory';

interface Outcome {
  ok: boolean;
  text: string;
}

/** Typing in a field keeps the browser's own undo and redo. */
function inField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function outcomeText(next: JournalEntry, words: string, result: { ok: boolean; reason?: string }): Outcome {
  if (result.ok) return { ok: true, text: `Redone: ${words}.` };
  // A step that was refused the first time is redone faithfully when it is refused again.
  if (next.outcome !== 'ok' && next.outcome !== 'pending') return { ok: true, text: `Redone: ${words}, refused again as it was then: ${result.reason}` };
  return { ok: false, text: result.reason ?? `${words} could not be done again.` };
}

export function RewindBar() {
  const rewind = useRewind();
  const journal = useLabSelector(journalOf, sameJournal);
  const directory = useLabSelector(objectDirectory, sameData);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const next = journal.redo[0];
  const words = next ? describeJournalOp(next.op, (id) => directory.get(id)?.name) : '';
  const blocked = next ? redoBlocker(next) : null;
  const disabledReason = running ? 'Redoing…' : blocked;

  const redo = async () => {
    if (!rewind || !next || disabledReason) return;
    setRunning(true);
    setOutcome(null);
    try {
      setOutcome(outcomeText(next, words, await rewind.redo()));
    } finally {
      setRunning(false);
    }
  };
  const redoRef = useRef(redo);
  useEffect(() => {
    redoRef.current = redo;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.key.toLowerCase() !== 'z' || inField(e.target)) return;
      e.preventDefault();
      void redoRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  // The workspace was rebuilt under the learner: they land on what happened.
  const hasNotice = Boolean(rewind?.notice);
  useEffect(() => {
    if (hasNotice) noticeRef.current?.focus();
  }, [hasNotice]);

  if (!rewind || (!next && !rewind.notice && !outcome)) return null;
  const problem = rewind.notice?.tone === 'problem';
  return (
    <div
      role="region"
      aria-label="Going back and Redo"
      data-testid="rewind-bar"
      className={`flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b px-3 py-1.5 text-sm ${
        problem
          ? 'border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50'
          : 'border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-50'
      }`}
    >
      {rewind.notice ? (
        <p ref={noticeRef} tabIndex={-1} role={problem ? 'alert' : 'status'} className="min-w-0 flex-1 basis-72 outline-none">
          {rewind.notice.text}
        </p>
      ) : null}
      {next ? (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Button
            size="sm"
            variant="primary"
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
            disabledReason={disabledReason}
            onClick={() => void redo()}
            data-testid="redo"
          >
            Redo: {words}
          </Button>
          <span className="text-xs text-slate-700 dark:text-slate-300">
            <kbd className="hidden font-sans sm:inline">Ctrl+Shift+Z</kbd>
            {journal.redo.length > 1 ? ` · ${journal.redo.length - 1} more after it` : ''}
          </span>
        </div>
      ) : null}
      {outcome ? (
        <p data-result={outcome.ok ? 'ok' : 'refused'} aria-live="polite" className={outcome.ok ? '' : 'font-medium text-red-800 dark:text-red-200'}>
          {outcome.text}
        </p>
      ) : null}
      {rewind.notice || outcome ? (
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto"
          onClick={() => {
            setOutcome(null);
            rewind.dismissNotice();
          }}
        >
          Dismiss
        </Button>
      ) : null}
    </div>
  );
}
