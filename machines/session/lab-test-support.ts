// The one headless test harness (TestLab): a lab opened through the public API on its own fake IndexedDB database and
// a manual clock, reopened as a reloaded tab would, and closed with everything it opened; plus dispatches that must
// succeed or must be refused, and the view's VMs and hosts by id. The flow tests' helpers build on it.
import { expect } from 'vitest';
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import { createManualClock, type LabClock } from './lab-clock';
import { openLab } from '../lab';
import type { CommandResult, Lab, LabCommand } from '../lab-types';
import type { Scenario } from '@/lib/scenario';

export function newTestDb(label = 'lab'): KeylabDb {
  return new KeylabDb(uniqueDbName(label));
}

export interface TestLab {
  db: KeylabDb;
  clock: LabClock;
  lab: Lab;
  labId: string;
}

const openDbs: KeylabDb[] = [];
const openLabs: Lab[] = [];

/** A new lab (the scenario's, default the starter lab) on a fresh database named after `label`, unless one is given. */
export async function openTestLab(
  opts: { label?: string; db?: KeylabDb; labId?: string; clock?: LabClock; scenario?: Scenario; seed?: string } = {},
): Promise<TestLab> {
  const db = opts.db ?? newTestDb(opts.label);
  if (!opts.db) openDbs.push(db);
  const clock = opts.clock ?? createManualClock();
  const labId = opts.labId ?? 'test';
  const lab = await openLab({ db, labId, clock, scenario: opts.scenario, seed: opts.seed });
  openLabs.push(lab);
  return { db, clock, lab, labId };
}

/** Opens the saved lab again on the same database, as a reloaded tab would. */
export async function reopenTestLab(previous: TestLab, clock: LabClock = createManualClock(previous.clock.now())): Promise<TestLab> {
  const lab = await openLab({ db: previous.db, labId: previous.labId, clock });
  openLabs.push(lab);
  return { ...previous, clock, lab };
}

/** For afterEach: disposes every lab and closes every database the harness opened. */
export function closeTestLabs(): void {
  for (const lab of openLabs.splice(0)) {
    try {
      lab.dispose();
    } catch {
      // already disposed
    }
  }
  for (const db of openDbs.splice(0)) db.close();
}

/** Dispatches a command that must succeed; a refusal fails the test with vSphere's reason. */
export async function ok(lab: Lab, command: LabCommand): Promise<string> {
  const result = await lab.dispatch(command);
  if (!result.ok) throw new Error(`${command.type} was refused (${result.code}): ${result.reason}`);
  return result.message;
}

/** Dispatches a command that must be refused; returns the refusal. */
export async function refused(lab: Lab, command: LabCommand): Promise<Extract<CommandResult, { ok: false }>> {
  const result = await lab.dispatch(command);
  if (result.ok) throw new Error(`${command.type} should have been refused, but succeeded: ${result.message}`);
  expect(result.reason.length).toBeGreaterThan(10);
  return result;
}

export const vmOf = (lab: Lab, vmId: string) => {
  const vm = lab.getView().vms.find((v) => v.id === vmId);
  if (!vm) throw new Error(`No VM ${vmId} in the lab's view.`);
  return vm;
};

export const hostOf = (lab: Lab, hostId: string) => {
  const host = lab.getView().hosts.find((h) => h.id === hostId);
  if (!host) throw new Error(`No host ${hostId} in the lab's view.`);
  return host;
};
