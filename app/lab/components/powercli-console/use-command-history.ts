'use client';
// The console's command history: up and down walk it, and it is remembered in this browser per lab
// (command-history-store.ts: capped, cleared by Reset lab), so a reload keeps it with the lab.
import { useCallback, useRef, useState } from 'react';
import { HISTORY_MAX_LINES, loadHistory, saveHistory } from './command-history-store';

export function useCommandHistory(labId: string) {
  const [entries, setEntries] = useState<string[]>(() => loadHistory(labId));
  // Where up/down are in the history: entries.length means "the line being typed".
  const cursor = useRef(entries.length);
  const draft = useRef('');

  const push = useCallback(
    (line: string) => {
      setEntries((old) => {
        const next = (old[old.length - 1] === line ? old : [...old, line]).slice(-HISTORY_MAX_LINES);
        saveHistory(labId, next);
        cursor.current = next.length;
        return next;
      });
      draft.current = '';
    },
    [labId],
  );

  /** The entry one step older (-1) or newer (+1) than the current, or null at either end. */
  const step = useCallback(
    (direction: -1 | 1, current: string): string | null => {
      if (cursor.current === entries.length) draft.current = current;
      const next = cursor.current + direction;
      if (next < 0 || next > entries.length) return null;
      cursor.current = next;
      return next === entries.length ? draft.current : entries[next]!;
    },
    [entries],
  );

  return { entries, push, step };
}
