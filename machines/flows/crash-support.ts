// Crash injection for the flow tests: a Dexie middleware that lets the first N writes of an operation land and fails
// every write after them (the tab died there; what was committed stays, nothing later is written, not even the lab's
// save), and the consistency check a reopened lab must pass: pages match files, data reads back, nothing left pending.
import { expect } from 'vitest';
import type { KeylabDb } from '@/lib/storage';
import { readVmFiles } from '@/machines/data-plane';
import type { Lab } from '@/machines/lab-types';
import { FILES_OF } from './flow-support';

export interface CrashSwitch {
  /** Writes counted since arm() (the lab's own saves not included: they are what the crash must beat). */
  writes: number;
  /** Writes allowed after arm() before the crash; Infinity: count only. */
  allowed: number;
  /** When true, every save of the lab fails too (a full disk for the save, or a tab already dead). */
  savesFail: boolean;
  armed: boolean;
  crashed: boolean;
  arm(allowed: number, savesFail?: boolean): void;
  disarm(): void;
}

export class TabCrashed extends Error {
  constructor() {
    super('The tab crashed (injected).');
    this.name = 'TabCrashed';
  }
}

/** Installs the crash switch on a database that has not been opened yet. */
export function installCrashSwitch(db: KeylabDb): CrashSwitch {
  const state: CrashSwitch = {
    writes: 0,
    allowed: Infinity,
    savesFail: false,
    armed: false,
    crashed: false,
    arm(allowed, savesFail = false) {
      Object.assign(state, { writes: 0, allowed, savesFail, armed: true, crashed: false });
    },
    disarm() {
      Object.assign(state, { armed: false, crashed: false, savesFail: false });
    },
  };
  db.use({
    stack: 'dbcore',
    name: 'crash-switch',
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name);
          return {
            ...table,
            mutate(req) {
              if (state.armed) {
                const isSave = name === 'savedLabs';
                if (state.crashed || (isSave && state.savesFail)) return Promise.reject(new TabCrashed());
                if (!isSave) {
                  if (state.writes >= state.allowed) {
                    state.crashed = true;
                    return Promise.reject(new TabCrashed());
                  }
                  state.writes++;
                }
              }
              return table.mutate(req);
            },
          };
        },
      };
    },
  });
  return state;
}

/**
 * The reopened lab agrees with its datastore: every VM's page shows the encryption, vTPM and (no) operation its files
 * have, no pending record or journal is left, vCenter knows each registered encrypted VM's key, and each VM's guest
 * files read back byte for byte (an encrypted one after powering on, so its key must be obtainable).
 */
export async function expectConsistent(lab: Lab, db: KeylabDb, files = FILES_OF): Promise<void> {
  const view = lab.getView();
  for (const vm of view.vms) {
    const onDisk = await readVmFiles(db, vm.datastoreId, vm.folder);
    expect(onDisk.pending, `${vm.id}: pending record left`).toBeNull();
    expect(vm.operation, `${vm.id}: operation shown`).toBeNull();
    expect(vm.vtpm, `${vm.id}: vTPM`).toBe(onDisk.vtpm);
    expect(
      vm.encryption && { keyId: vm.encryption.keyId, providerId: vm.encryption.providerId, dek: vm.encryption.dekFingerprint },
      `${vm.id}: encryption shown`,
    ).toEqual(onDisk.encryption && { keyId: onDisk.encryption.keyId, providerId: onDisk.encryption.providerId, dek: onDisk.encryption.dekFingerprint });
    if (onDisk.encryption && view.vcenter && vm.registered) {
      expect(view.vcenter.keyDatabase.map((e) => e.keyId), `${vm.id}: key in vCenter`).toContain(onDisk.encryption.keyId);
    }
  }
  expect(await db.reencryptJournals.count(), 'journals left').toBe(0);
  for (const vm of view.vms) {
    const expected = files[vm.id];
    if (!expected) continue;
    const wasOff = vm.power === 'off';
    if (vm.encryption && wasOff) {
      const on = await lab.dispatch({ type: 'vm.powerOn', vmId: vm.id });
      expect(on, `${vm.id}: power on`).toMatchObject({ ok: true });
    }
    for (const file of expected) expect(await lab.readGuestFile(vm.id, file.name), `${vm.id}/${file.name}`).toBe(file.text);
    if (vm.encryption && wasOff) expect(await lab.dispatch({ type: 'vm.powerOff', vmId: vm.id })).toMatchObject({ ok: true });
  }
}
