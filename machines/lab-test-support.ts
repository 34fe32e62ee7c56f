// Helpers for the control plane's tests: a fresh database, a lab on a manual clock, and a dispatch that must succeed.
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import { createManualClock, type LabClock } from './lab-clock';
import { openLab } from './lab';
import type { Lab, LabCommand } from './lab-types';
import type { Scenario } from '@/lib/scenario';

export function newTestDb(label = 'lab'): KeylabDb {
  return new KeylabDb(uniqueDbName(label));
}

export async function openTestLab(opts: { db?: KeylabDb; labId?: string; clock?: LabClock; scenario?: Scenario } = {}) {
  const db = opts.db ?? newTestDb();
  const clock = opts.clock ?? createManualClock();
  const lab = await openLab({ db, labId: opts.labId ?? 'test', clock, scenario: opts.scenario });
  return { db, clock, lab };
}

export async function ok(lab: Lab, command: LabCommand): Promise<string> {
  const result = await lab.dispatch(command);
  if (!result.ok) throw new Error(`${command.type} refused: ${result.code}: ${result.reason}`);
  return result.message;
}

export const vmOf = (lab: Lab, vmId: string) => {
  const vm = lab.getView().vms.find((v) => v.id === vmId);
  if (!vm) throw new Error(`no VM ${vmId}`);
  return vm;
};

export const hostOf = (lab: Lab, hostId: string) => {
  const host = lab.getView().hosts.find((h) => h.id === hostId);
  if (!host) throw new Error(`no host ${hostId}`);
  return host;
};
