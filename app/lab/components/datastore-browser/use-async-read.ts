// Reads something from the lab (IndexedDB behind it) for a component: loading, ready or error, keyed by what was asked.
// A new key starts a new read; the previous value stays available while it runs, so views refresh without flicker.
import { useCallback, useEffect, useEffectEvent, useState } from 'react';

export type AsyncRead<T> =
  | { status: 'loading'; previous: T | undefined }
  | { status: 'ready'; value: T }
  | { status: 'error'; message: string; previous: T | undefined };

interface Settled<T> {
  token: string;
  ok: boolean;
  value?: T;
  message?: string;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Something went wrong reading from the lab.';
}

/** `key` null = nothing to read. Returns the read's state and a function that reads again. */
export function useAsyncRead<T>(key: string | null, read: () => Promise<T>): [AsyncRead<T> | null, () => void] {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const [lastValue, setLastValue] = useState<T | undefined>(undefined);
  const token = key === null ? null : `${attempt}\u0000${key}`;
  const runRead = useEffectEvent(read);

  useEffect(() => {
    if (token === null) return;
    let live = true;
    runRead().then(
      (value) => {
        if (!live) return;
        setSettled({ token, ok: true, value });
        setLastValue(value);
      },
      (error: unknown) => {
        if (live) setSettled({ token, ok: false, message: errorMessage(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [token]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  if (token === null) return [null, retry];
  if (!settled || settled.token !== token) return [{ status: 'loading', previous: lastValue }, retry];
  if (settled.ok) return [{ status: 'ready', value: settled.value as T }, retry];
  return [{ status: 'error', message: settled.message ?? 'Read failed.', previous: lastValue }, retry];
}
