'use client';
// The open lab for the workspace's components: LabProvider puts it in context once, and a component reads the Lab
// (useLab, to dispatch or query) and its own slice of the view (useLabSelector), re-rendering when that slice changes
// rather than being handed `lab` and the whole view through every component between it and the workspace.
import { createContext, useCallback, useContext, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { Lab, LabView } from '@/machines/lab-types';
import { selectionOf, type Selection } from './lab-selection';

const LabContext = createContext<Lab | null>(null);

export function LabProvider({ lab, children }: { lab: Lab; children: ReactNode }) {
  return <LabContext value={lab}>{children}</LabContext>;
}

/** The open lab; only under a LabProvider (the workspace). */
export function useLab(): Lab {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('useLab is used outside the lab workspace (no LabProvider above it).');
  return lab;
}

/**
 * A slice of the lab's view; the component re-renders when the slice changes (by `isEqual`, Object.is unless given;
 * sameData from lab-selection.ts for a slice built anew on each change). `(view) => view` reads the whole view.
 */
export function useLabSelector<T>(select: (view: LabView) => T, isEqual: (a: T, b: T) => boolean = Object.is): T {
  const lab = useLab();
  const last = useRef<Selection<T> | null>(null);
  const current = useCallback(() => {
    last.current = selectionOf(last.current, lab.getView(), select, isEqual);
    return last.current.value;
  }, [lab, select, isEqual]);
  return useSyncExternalStore(lab.subscribe, current, current);
}

const wholeView = (view: LabView) => view;

/** The whole view, for a page whose controls ask the commands' preconditions (they read any part of it). */
export function useWholeLabView(): LabView {
  return useLabSelector(wholeView);
}

/** An object page's lab and whole view. */
export function usePageLab(): { lab: Lab; view: LabView } {
  return { lab: useLab(), view: useWholeLabView() };
}
