'use client';
// What a session that can go back gives the workspace (the sandbox's today; a lesson's when it passes one): "Go back to
// here", Redo, and how the last going back went. Without it the workspace offers neither.
import { createContext, useContext, type ReactNode } from 'react';
import type { CommandResult, JournalView, LabView } from '@/machines/lab-types';
import type { RewindNotice } from '../session/rewind-notice';

export interface RewindControls {
  /** Rebuilds the lab up to just before journal entry `toSeq` (the session shows its progress, then a notice). */
  goBack(toSeq: number): void;
  redo(): Promise<CommandResult>;
  notice: RewindNotice | null;
  dismissNotice(): void;
}

const RewindContext = createContext<RewindControls | null>(null);

export function RewindProvider({ controls, children }: { controls: RewindControls | undefined; children: ReactNode }) {
  return <RewindContext value={controls ?? null}>{children}</RewindContext>;
}

/** The session's going back, or null where the lab cannot go back (no session gave it). */
export function useRewind(): RewindControls | null {
  return useContext(RewindContext);
}

/** The view's journal, for useLabSelector: the same while its lists are (they change only when something is done). */
export const journalOf = (view: LabView): JournalView => view.journal;
export const sameJournal = (a: JournalView, b: JournalView): boolean =>
  a.entries === b.entries && a.redo === b.redo && a.notReplayable === b.notReplayable;
