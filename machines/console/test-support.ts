// The console tests' harness: a PowerCLI console over a headless TestLab, connected to its vCenter, that answers
// "Yes" to confirmations unless told otherwise, and helpers to run a line and read its output or its errors.
import { expect } from 'vitest';
import type { Lab } from '../lab-types';
import type { ConfirmAnswer, ConsoleHost } from './cmdlet';
import { PowerCliConsole, type RunResult } from './powercli-console';

export function consoleFor(lab: Lab, host: ConsoleHost = { confirm: async (): Promise<ConfirmAnswer> => 'yes' }): PowerCliConsole {
  return new PowerCliConsole(lab, host);
}

export async function connected(lab: Lab, host?: ConsoleHost): Promise<PowerCliConsole> {
  const c = consoleFor(lab, host);
  const r = await c.run('Connect-VIServer -Server vcsa-01.lab.local -User administrator@vsphere.local -Password x');
  expect(errorsOf(r)).toEqual([]);
  return c;
}

export const errorsOf = (r: RunResult) => r.records.filter((x) => x.stream === 'error');

/** Runs input that must not write any error. */
export async function runOk(c: PowerCliConsole, input: string): Promise<RunResult> {
  const r = await c.run(input);
  const errors = errorsOf(r);
  if (errors.length) throw new Error(`"${input}" wrote errors:\n${errors.map((e) => e.text).join('\n')}`);
  return r;
}

/** Runs input that must write exactly one error; returns it. */
export async function runFails(c: PowerCliConsole, input: string) {
  const r = await c.run(input);
  const errors = errorsOf(r);
  expect(errors, `"${input}" should write one error:\n${r.text}`).toHaveLength(1);
  const e = errors[0]!;
  if (e.stream !== 'error') throw new Error('not an error');
  return { ...e, result: r };
}
