// After a crash the datastore is the truth. For encrypt, decrypt, deep and shallow re-key, NKP backup and restore, a
// crash is injected after each of the operation's writes in turn (every write after it fails, the lab's save too), and
// separately the saves alone fail for the whole operation (a full disk, then a reload). Each time the lab is reopened
// on the same database, resumes what it must, and has to agree with its files with every byte of guest data intact.
import { MIB } from '@/lib/units';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioInput } from '@/lib/scenario';
import { KeylabDb } from '@/lib/storage';
import { uniqueDbName } from '@/lib/storage/test-support';
import { openLab } from '@/machines/lab';
import { createManualClock } from '@/machines/session/lab-clock';
import type { Lab } from '@/machines/lab-types';
import { expectConsistent, installCrashSwitch, type CrashSwitch } from './crash-support';
import { APP_FILES, BACKUP_PASSWORD, DB_FILES, must, providerOf } from './flow-support';

/** The smallest world the operations need: one KMS, one host, an encrypted VM and a plain one, both off. */
function crashScenario(): ScenarioInput {
  return {
    version: 1,
    title: 'Crash lab',
    vcenter: { name: 'vcsa-01.lab.local', datacenter: 'DC-Lab', cluster: 'Cluster-01' },
    kmsNodes: [{ id: 'kms-a', name: 'kms-a', address: 'kms-a.lab.local', port: 5696 }],
    standardProviders: [{ name: 'KMS-Cluster', kmsNodeIds: ['kms-a'], isDefault: true }],
    hosts: [{ id: 'esx-01', name: 'esx-01.lab.local', hasTpm: true }],
    datastores: [{ id: 'ds-1', name: 'ds-shared-01', capacityBytes: 64 * MIB }],
    vms: [
      { id: 'db-01', name: 'db-01', datastoreId: 'ds-1', hostId: 'esx-01', power: 'off', diskSizeBytes: MIB, encryptWith: 'KMS-Cluster', guestFiles: DB_FILES },
      { id: 'app-01', name: 'app-01', datastoreId: 'ds-1', hostId: 'esx-01', power: 'off', diskSizeBytes: MIB, encryptWith: null, guestFiles: APP_FILES },
    ],
  };
}

interface Opened {
  db: KeylabDb;
  crash: CrashSwitch;
  lab: Lab;
}

const open: { labs: Lab[]; dbs: KeylabDb[] } = { labs: [], dbs: [] };
afterEach(() => {
  for (const lab of open.labs.splice(0)) lab.dispose();
  for (const db of open.dbs.splice(0)) db.close();
});

async function openCrashLab(label: string): Promise<Opened> {
  const db = new KeylabDb(uniqueDbName(`crash-${label}`));
  const crash = installCrashSwitch(db);
  open.dbs.push(db);
  const lab = await openLab({ db, labId: 'crash', clock: createManualClock(), scenario: parseScenario(crashScenario()) });
  open.labs.push(lab);
  return { db, crash, lab };
}

/** A reloaded tab: a new connection to the same database (no crash switch on it), the saved lab opened again. */
async function reopen(previous: Opened): Promise<{ db: KeylabDb; lab: Lab }> {
  previous.lab.dispose();
  const db = new KeylabDb(previous.db.name);
  open.dbs.push(db);
  const lab = await openLab({ db, labId: 'crash', clock: createManualClock() });
  open.labs.push(lab);
  await lab.resumeInterrupted();
  return { db, lab };
}

interface Operation {
  name: string;
  /** Brings the lab to where the operation can start (not crashed). */
  setUp?(lab: Lab): Promise<Record<string, unknown>>;
  run(lab: Lab, ctx: Record<string, unknown>): Promise<unknown>;
  /** After the reopened lab is consistent: the operation (or the next one) must still be doable. */
  after(lab: Lab, ctx: Record<string, unknown>): Promise<void>;
}

const encryptedWith = (lab: Lab, vmId: string) => lab.getView().vms.find((v) => v.id === vmId)!.encryption;

const OPERATIONS: Operation[] = [
  {
    name: 'encrypt',
    run: (lab) => lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' }),
    // Whichever side of the crash it landed on, the page allows the next step: decrypt if encrypted, else encrypt.
    after: async (lab) => {
      await must(lab, encryptedWith(lab, 'app-01') ? { type: 'vm.decrypt', vmId: 'app-01' } : { type: 'vm.encrypt', vmId: 'app-01' });
    },
  },
  {
    name: 'decrypt',
    run: (lab) => lab.dispatch({ type: 'vm.decrypt', vmId: 'db-01' }),
    after: async (lab) => {
      await must(lab, encryptedWith(lab, 'db-01') ? { type: 'vm.decrypt', vmId: 'db-01' } : { type: 'vm.encrypt', vmId: 'db-01' });
    },
  },
  {
    name: 'deep re-key',
    run: (lab) => lab.dispatch({ type: 'vm.rekeyDeep', vmId: 'db-01' }),
    after: async (lab) => {
      await must(lab, { type: 'vm.rekeyDeep', vmId: 'db-01' });
    },
  },
  {
    name: 'shallow re-key',
    run: (lab) => lab.dispatch({ type: 'vm.rekeyShallow', vmId: 'db-01' }),
    after: async (lab) => {
      await must(lab, { type: 'vm.rekeyShallow', vmId: 'db-01' });
    },
  },
  {
    name: 'NKP backup',
    setUp: async (lab) => {
      await must(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
      return { providerId: providerOf(lab.getView(), 'NKP-1')!.id };
    },
    run: (lab, ctx) => lab.exportNkpBackup(ctx.providerId as string, BACKUP_PASSWORD),
    after: async (lab, ctx) => {
      const { bytes } = await lab.exportNkpBackup(ctx.providerId as string, BACKUP_PASSWORD);
      expect(bytes.length).toBeGreaterThan(100);
      await must(lab, { type: 'provider.setDefault', providerId: ctx.providerId as string });
      await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    },
  },
  {
    name: 'NKP restore',
    setUp: async (lab) => {
      await must(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: true });
      const providerId = providerOf(lab.getView(), 'NKP-1')!.id;
      const { bytes } = await lab.exportNkpBackup(providerId, BACKUP_PASSWORD);
      await must(lab, { type: 'provider.remove', providerId });
      return { p12: bytes };
    },
    run: (lab, ctx) => lab.restoreNkpFromBackup(ctx.p12 as Uint8Array, BACKUP_PASSWORD),
    after: async (lab, ctx) => {
      if (!providerOf(lab.getView(), 'NKP-1')) expect(await lab.restoreNkpFromBackup(ctx.p12 as Uint8Array, BACKUP_PASSWORD)).toMatchObject({ ok: true });
      const nkp = providerOf(lab.getView(), 'NKP-1')!;
      await must(lab, { type: 'provider.setDefault', providerId: nkp.id });
      await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    },
  },
];

/** Runs the operation with the crash switch armed; returns how many writes it made before it ended or crashed. */
async function runArmed(opened: Opened, op: Operation, ctx: Record<string, unknown>, allowed: number, savesFail: boolean) {
  await opened.lab.save();
  opened.crash.arm(allowed, savesFail);
  await op.run(opened.lab, ctx).catch(() => undefined);
  // Let the lab's own debounced save try (and fail) too, as it would before the tab died.
  await opened.lab.save().catch(() => undefined);
  // The switch stays as it is: the dead tab's connection never writes again; the reopened lab has a new one.
  return opened.crash.writes;
}

async function crashAndCheck(op: Operation, label: string, allowed: number, savesFail: boolean): Promise<number> {
  const opened = await openCrashLab(label);
  const ctx = (await op.setUp?.(opened.lab)) ?? {};
  const writes = await runArmed(opened, op, ctx, allowed, savesFail);
  const reopened = await reopen(opened);
  await expectConsistent(reopened.lab, reopened.db);
  await op.after(reopened.lab, ctx);
  await expectConsistent(reopened.lab, reopened.db);
  return writes;
}

describe('after a crash, the datastore is the truth', () => {
  for (const op of OPERATIONS) {
    it(`${op.name}: a crash after each of its writes, and a save that fails throughout, leave a lab that agrees with its files`, async () => {
      // A dry run counts the operation's writes (with every save failing, so the reopened lab is from before it).
      const total = await crashAndCheck(op, `${op.name}-saves`, Infinity, true);
      expect(total).toBeGreaterThan(0);
      const points: number[] = [];
      for (let allowed = 0; allowed < total; allowed++) points.push(allowed);
      for (const allowed of points) await crashAndCheck(op, `${op.name}-${allowed}`, allowed, false);
    }, 240_000);
  }
});
