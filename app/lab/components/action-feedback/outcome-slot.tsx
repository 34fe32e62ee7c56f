'use client';
// A row of action buttons shows the outcome of the button just used on one line beneath the whole row, so a message
// never widens its button's column and pushes the other buttons sideways, and only the latest action's outcome shows.
// Buttons outside a row (a table cell, a dialog) keep showing their outcome beneath themselves.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ActionResult } from './action-result';
import type { ActionState } from './use-action';

type Report = (owner: string, state: ActionState) => void;

const SlotContext = createContext<Report | null>(null);

const IDLE: ActionState = { status: 'idle' };

/** Wraps the buttons of a row; renders the latest outcome after them. */
export function OutcomeSlot({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<{ owner: string; state: ActionState } | null>(null);
  const report = useCallback<Report>((owner, state) => {
    setShown((prev) => {
      // An older action going quiet does not clear the outcome of a newer one.
      if (state.status === 'idle') return prev?.owner === owner ? null : prev;
      return { owner, state };
    });
  }, []);
  return (
    <SlotContext.Provider value={report}>
      {children}
      <ActionResult state={shown?.state ?? IDLE} compact />
    </SlotContext.Provider>
  );
}

/** Sends a button's outcome to its row's slot; returns false when there is no row (the button shows it itself). */
export function useOutcomeSlot(owner: string, state: ActionState): boolean {
  const report = useContext(SlotContext);
  useEffect(() => {
    report?.(owner, state);
  }, [report, owner, state]);
  useEffect(() => () => report?.(owner, IDLE), [report, owner]);
  return report !== null;
}
