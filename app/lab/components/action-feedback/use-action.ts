'use client';
// Runs one lab action for a control and keeps its outcome (running, succeeded, refused) for the control to show.
// A refusal stays until the learner acts again; a success fades after a few seconds so the page does not fill up.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandResult } from '@/machines/lab-types';

export type ActionState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: CommandResult };

const SUCCESS_VISIBLE_MS = 6000;

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  return 'The action failed for an unknown reason.';
}

/** Turns a thrown error into the refusal the learner reads, so nothing ever fails silently. */
export function toResult(err: unknown): CommandResult {
  const code = err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : 'ERROR';
  return { ok: false, code, reason: errorText(err) };
}

export interface UseAction {
  state: ActionState;
  running: boolean;
  run: (work: () => Promise<CommandResult>) => Promise<CommandResult>;
  clear: () => void;
}

export function useAction(): UseAction {
  const [state, setState] = useState<ActionState>({ status: 'idle' });
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
