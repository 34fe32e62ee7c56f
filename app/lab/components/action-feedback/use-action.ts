'use client';
// Runs one lab action for a control and keeps its outcome (running, succeeded, refused) for the control to show.
// An outcome belongs to the action just taken: it clears when the state it describes changes (`stateKey`, e.g. the
// VM's power and encryption), and a success also fades after a few seconds so the page does not fill up.
import { errorMessage } from '@/lib/error-message';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LabRefusal } from '@/machines/commands/lab-refusal';
import type { CommandResult } from '@/machines/lab-types';

export type ActionState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: CommandResult };

const SUCCESS_VISIBLE_MS = 6000;
/** Long enough for the lab's view of the action's own effect to have rendered (its listeners run in a microtask). */
const SETTLE_MS = 50;

export const errorText = errorMessage;

/** Turns a thrown error into the refusal the learner reads, so nothing ever fails silently. */
export function toResult(err: unknown): CommandResult {
  return { ok: false, code: err instanceof LabRefusal ? err.code : 'FAILED', reason: errorText(err) };
}

export interface UseAction {
  state: ActionState;
  running: boolean;
  run: (work: () => Promise<CommandResult>) => Promise<CommandResult>;
  clear: () => void;
}

/**
 * `stateKey` names the state the outcome is about (any string; undefined: the outcome never clears that way). It is
 * read once the action's own effect has shown, and a later change clears the outcome ("✓ powered on" goes once the VM
 * is powered off again).
 */
export function useAction(stateKey?: string): UseAction {
  const [state, setState] = useState<ActionState>({ status: 'idle' });
  const latestKey = useRef(stateKey);
  const keyAtOutcome = useRef<string | undefined>(undefined);
  useEffect(() => {
    latestKey.current = stateKey;
  });
  useEffect(() => {
    keyAtOutcome.current = undefined;
    if (state.status !== 'done') return;
    const id = window.setTimeout(() => {
      keyAtOutcome.current = latestKey.current;
    }, SETTLE_MS);
    return () => window.clearTimeout(id);
  }, [state]);
  useEffect(() => {
    if (state.status === 'done' && keyAtOutcome.current !== undefined && stateKey !== keyAtOutcome.current) setState({ status: 'idle' });
  }, [stateKey, state]);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  useEffect(() => {
    if (state.status !== 'done' || !state.result.ok) return;
    const id = window.setTimeout(() => setState({ status: 'idle' }), SUCCESS_VISIBLE_MS);
    return () => window.clearTimeout(id);
  }, [state]);

  const run = useCallback(async (work: () => Promise<CommandResult>) => {
    setState({ status: 'running' });
    let result: CommandResult;
    try {
      result = await work();
    } catch (err) {
      result = toResult(err);
    }
    if (live.current) setState({ status: 'done', result });
    return result;
  }, []);

  const clear = useCallback(() => setState({ status: 'idle' }), []);
  return { state, running: state.status === 'running', run, clear };
}
