'use client';
// Whether the window is wide enough for the side-by-side workspace (tree | page, event console below). Below it the
// tree becomes a drawer and the event console a sheet, so a phone or a tablet keeps the whole width for the page.
import { useSyncExternalStore } from 'react';

/** Tailwind's lg: the same edge the CSS uses for the side-by-side layout. */
export const WIDE_QUERY = '(min-width: 1024px)';

/** Tailwind's sm: below it a table's rows become cards. */
export const TABLE_QUERY = '(min-width: 640px)';

function subscribeTo(query: string) {
  return (onChange: () => void) => {
    const mql = window.matchMedia(query);
    mql.addEventListener('change', onChange);
    return () => mql.removeEventListener('change', onChange);
  };
}

const subscribers = new Map<string, (onChange: () => void) => () => void>();

export function useMediaQuery(query: string): boolean {
  let subscribe = subscribers.get(query);
  if (!subscribe) subscribers.set(query, (subscribe = subscribeTo(query)));
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => true,
  );
}

export function useWideLayout(): boolean {
  return useMediaQuery(WIDE_QUERY);
}
