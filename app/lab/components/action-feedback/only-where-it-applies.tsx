'use client';
// Shows an action only where it applies to the object as it is now (no "Add to vCenter — Already in vCenter" on every
// host). The button stays mounted underneath: when the click that made it no longer apply has an outcome to show, it
// stays on screen with that outcome until the outcome clears, then goes.
import { createContext, useContext, type ReactNode } from 'react';

const AppliesContext = createContext(true);

export function OnlyWhereItApplies({ applies, children }: { applies: boolean; children: ReactNode }) {
  return <AppliesContext.Provider value={applies}>{children}</AppliesContext.Provider>;
}

export function useApplies(): boolean {
  return useContext(AppliesContext);
}
