'use client';
// The console's command history: up and down walk it, and it is remembered in this browser per lab (localStorage,
// keyed by the lab's id), so a reload keeps it with the lab.
import { useCallback, useRef, useState } from 'react';

const MAX = 200;

function load(key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(-MAX) : [];
  } catch {
    return [];
  }
}

export function useCommandHistory(labId: string) {
  const key = `keylab-powercli-history-${labId}`;
  const [entries, setEntries] = useState<string[]>(() => load(key));
  // Where up/down are in the history: entries.length means "the line being typed".
  const cursor = useRef(entries.length);
  const draft = useRef('');

  const push = useCallback(
    (line: string) => {
      setEntries((old) => {
        const next = (old[old.length - 1] === line ? old : [...old, line]).slice(-MAX);
        try {
          localStorage.setItem(key, JSON.stringify(next));
        } catch {
          // Storage full or disabled: the history still works for this visit.
        }
        cursor.current = next.length;
        return next;
      });
      draft.current = '';
    },
    [key],
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
