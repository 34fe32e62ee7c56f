'use client';
// A number the learner sets in the UI (e.g. the event console's height), remembered in localStorage for next time.
import { useCallback, useState } from 'react';

function read(key: string, fallback: number): number {
  if (typeof window === 'undefined') return fallback;
  try {
    const v = Number(localStorage.getItem(key));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

export function useStoredNumber(key: string, fallback: number): [number, (value: number) => void] {
  // The workspace renders only in the browser (after the lab opens), so reading storage in the initialiser is safe.
  const [value, setValue] = useState(() => read(key, fallback));
  const set = useCallback(
    (v: number) => {
      setValue(v);
      try {
        localStorage.setItem(key, String(Math.round(v)));
      } catch {
        // Storage full or disabled: the size still applies for this visit.
      }
    },
    [key],
  );
  return [value, set];
}
