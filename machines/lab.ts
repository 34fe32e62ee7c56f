// The headless lab: openLab builds a new world from a scenario or restores a saved one, and returns the Lab API the UI,
// lessons and tests share (view, subscribe, dispatch, datastore/guest/sector queries, NKP backup and restore).
import { createActor, type Snapshot } from 'xstate';
import { defaultScenario, type Scenario } from '@/lib/scenario';
import { deleteLab, hasStoredWorld, listFolder, loadLabText, readTextFile, saveLab, type KeylabDb } from '@/lib/storage';
import { exportStoredWorld } from '@/lib/storage/world-export';
import { exportBackup, openBackupFile, restoreBackup } from './commands/nkp-backup';
import { resumeVmOperation } from './commands/vm-encryption';
import { listGuestFiles, readGuestFile, readSectorsView } from './data-plane';
import { EVENT } from './lab-event-ids';
import { createRealTimeClock, type LabClock } from './lab-clock';
import { checkCommand } from './commands/preconditions';
import { runCommand } from './lab-commands';
import { labMachine } from './lab.machine';
import { failureOf, LabRefusal } from './lab-refusal';
import { LabOpenError } from './lab-open-error';
import { reconcileWithFiles } from './reconcile';
import { upgradeLegacyNkpKeys } from './nkp-key-upgrade';
import { readSavedLab, SAVE_FORMAT } from './saved-lab';
import { LabRuntime } from './lab-runtime';
import type { CommandResult, DiskSectorsView, Lab, LabCommand, LabView, RestoreBackupOptions } from './lab-types';
import { buildView } from './lab-view';
import { heldDek, readFilesOf } from './vm-access';
import { buildWorld, type BuildOptions } from './world-builder';

export interface OpenLabOptions {
  db: KeylabDb;
  labId: string;
  /** The starting world for a new lab (ignored when a saved lab exists). Default: defaultScenario(). */
  scenario?: Scenario;
  /** Default: a real-time clock continuing from the saved lab time. A given clock behind the saved time is moved on. */
  clock?: LabClock;
  /** How a new world is built (the bench uses small disk records). */
  build?: BuildOptions;
  /**
   * With no saved lab but a world still stored (keys, files, disks), a new lab would be built over it: refused with
   * SAVED_LAB_MISSING unless the learner chose to replace it.
   */
  replaceStoredWorld?: boolean;
}

const SAVE_DEBOUNCE_MS = 150;
const SAVE_WHILE_BUSY_MS = 2000;

interface SavedLabRecord {
  format: number;
  /** Lab time when saved, so time continues from there. */
  now: number;
  root: Snapshot<unknown>;
}

/** The saved lab exactly as stored (a damaged one included), for the learner to download; undefined when none. */
export function savedLabText(db: KeylabDb, labId: string): Promise<string | undefined> {
  return loadLabText(db, labId);
}

/** Everything a lab left in this browser, as JSON text to download before starting over. */
export function exportLabData(db: KeylabDb): Promise<string> {
  return exportStoredWorld(db);
}

/** Forgets a lab: its saved state, and the world it built (keys, datastore files, disks). One lab per database. */
export async function resetLab(db: KeylabDb, labId: string): Promise<void> {
  await deleteLab(db, labId);
  await clearWorld(db);
}

async function clearWorld(db: KeylabDb): Promise<void> {
  await db.transaction('rw', [db.keyVault, db.datastoreFiles, db.disks, db.extents, db.reencryptJournals], async () => {
    await Promise.all([db.keyVault.clear(), db.datastoreFiles.clear(), db.disks.clear(), db.extents.clear(), db.reencryptJournals.clear()]);
  });
}

class LabSession {
  readonly rt: LabRuntime;
  private version = 0;
  private cached: { version: number; view: LabView } | null = null;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private saveProblem: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = false;
  private settleWaiters: (() => void)[] = [];
  private disposed = false;
  /** Subscriptions to children (re-armed waits): dropped on dispose. */
  private readonly subscriptions: { unsubscribe(): void }[] = [];

  constructor(
    private readonly db: KeylabDb,
    private readonly labId: string,
    private readonly clock: LabClock,
    snapshot: Snapshot<unknown> | undefined,
    title: string,
  ) {
    const root = createActor(labMachine, {
      input: { labId, title },
      clock,
      ...(snapshot ? { snapshot: snapshot as never } : {}),
      inspect: (event) => {
        if (event.type === '@xstate.snapshot') this.changed();
      },
    });
    this.rt = new LabRuntime(db, clock, root);
    this.rt.onWaitingChanged = () => this.settled();
    this.rt.bump = () => this.changed();
    this.rt.saveNow = () => void this.save().catch(() => {});
    root.start();
  }

  /** The view is stale: listeners hear of it once, after the current burst of changes. */
  private notify(): void {
    this.version++;
    if (!this.notifyScheduled) {
      this.notifyScheduled = true;
      queueMicrotask(() => {
        this.notifyScheduled = false;
        for (const listener of [...this.listeners]) listener();
      });
    }
  }

  private changed(): void {
    if (this.disposed) return;
    this.notify();
    if (this.saveTimer === null) {
      // While a command runs, its many small changes are saved less often: a save serialises every actor and would
      // compete with the command's own IndexedDB writes. A disk job asks for a save of its own as it starts.
      this.saveTimer = setTimeout(
        () => {
          this.saveTimer = null;
          void this.save().catch(() => {});
        },
        this.busy ? SAVE_WHILE_BUSY_MS : SAVE_DEBOUNCE_MS,
      );
    }
  }

  /** Shows (or clears) a save failure in the view without scheduling another save for it. */
  private setSaveProblem(problem: string | null): void {
    if (problem === this.saveProblem || this.disposed) return;
    this.saveProblem = problem;
    this.notify();
  }

  private settled(): void {
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once no command is running, or the running one is blocked on a visible wait. */
  private async untilSettled(): Promise<void> {
    while (this.busy && this.rt.waiting === 0) await new Promise<void>((resolve) => this.settleWaiters.push(resolve));
  }

  readonly getView = (): LabView => {
    if (!this.cached || this.cached.version !== this.version) {
      this.cached = { version: this.version, view: { ...buildView(this.rt, this.labId), saveProblem: this.saveProblem } };
    }
    return this.cached.view;
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Runs work after every command queued before it (commands never interleave). */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.busy = true;
      try {
        return await work();
      } finally {
        this.busy = false;
        this.rt.currentCommand = null;
        this.rt.skipKmsIds = [];
        this.settled();
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async execute(command: LabCommand, skipKmsIds: string[] = []): Promise<CommandResult> {
    this.rt.currentCommand = command;
    this.rt.skipKmsIds = skipKmsIds;
    try {
      const message = await this.run(command);
      return { ok: true, message };
    } catch (error) {
      if (this.disposed) return { ok: false, code: 'LAB_CLOSED', reason: 'The lab was closed before the command finished; it resumes when the lab is opened again.' };
      const result = failureOf(error);
      this.rt.log({ eventTypeId: EVENT.taskFailed, severity: 'warning', message: `${command.type} failed: ${result.reason}` });
      if (result.code === 'FAILED') console.error(error);
      return result;
    }
  }

  /** The command's precondition (on the view as it is when the command's turn comes), then its handler. */
  private run(command: LabCommand): Promise<string> {
    const refusal = checkCommand(this.getView(), command);
    if (refusal) throw new LabRefusal(refusal.code, refusal.reason);
    return runCommand(this.rt, command);
  }

  readonly dispatch = (command: LabCommand): Promise<CommandResult> => {
    if (command.type === 'clock.advance') return this.advance(command.ms);
    // A KMS node failing or coming back is the world, not a vCenter task: it happens even while vCenter is busy waiting.
    if (command.type === 'kms.down' || command.type === 'kms.hang' || command.type === 'kms.restore') return this.outsideQueue(command);
    return this.enqueue(() => this.execute(command));
  };

  private async outsideQueue(command: LabCommand): Promise<CommandResult> {
    try {
      return { ok: true, message: await this.run(command) };
    } catch (error) {
      return failureOf(error);
    }
  }

  private async advance(ms: number): Promise<CommandResult> {
    const refusal = checkCommand(this.getView(), { type: 'clock.advance', ms });
    if (refusal) return { ok: false, ...refusal };
    await this.untilSettled();
    this.clock.advance(ms);
    this.changed();
    return { ok: true, message: `Lab time moved on by ${Math.round(ms / 1000)} s.` };
  }

  /** After a restore: waits re-armed (XState does not restore `after` delays), interrupted operations marked. */
  reviveAfterRestore(): void {
    const now = this.clock.now();
    for (const ref of this.rt.waitRefs()) {
      const snap = ref.getSnapshot();
      if (snap.value !== 'waiting') {
        this.rt.root.send({ type: 'lab.stopChild', systemId: `wait:${snap.context.id}` });
        continue;
      }
      const { id, deadline, command, skipKmsIds } = snap.context;
      this.rt.later(() => ref.send({ type: 'wait.expired' }), Math.max(0, deadline - now));
      const sub = ref.subscribe((s) => {
        if (s.status !== 'done' || this.disposed) return;
        sub.unsubscribe();
        this.rt.root.send({ type: 'lab.stopChild', systemId: `wait:${id}` });
        // The command that was waiting died with the old tab: run it again, going on from the next KMS node.
        if (command && s.value === 'expired') void this.enqueue(() => this.execute(command, skipKmsIds));
      });
      this.subscriptions.push(sub);
    }
    for (const ref of this.rt.vmRefs()) {
      const op = ref.getSnapshot().context.operation;
      if (op && !op.interrupted) ref.send({ type: 'vm.operationProgress', operation: { ...op, interrupted: true } });
    }
  }

  readonly save = (): Promise<void> => {
    if (this.saveTimer !== null) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const saved: SavedLabRecord = { format: SAVE_FORMAT, now: this.clock.now(), root: this.rt.root.getPersistedSnapshot() as Snapshot<unknown> };
    // A failed save must not stop the ones after it; the learner is told, and the next change tries again.
    this.saving = this.saving
      .catch(() => {})
      .then(() => saveLab(this.db, this.labId, saved))
      .then(
        () => this.setSaveProblem(null),
        (error: unknown) => {
          this.setSaveProblem(`The lab could not be saved. ${failureOf(error).reason} Until it saves again, what you do now would be lost on a reload.`);
          throw error;
        },
      );
    return this.saving;
  };

  readonly resumeInterrupted = (): Promise<void> =>
    this.enqueue(async () => {
      for (const ref of this.rt.vmRefs()) {
        const vm = ref.getSnapshot().context;
        if (!vm.operation) continue;
        try {
          await resumeVmOperation(this.rt, vm.id);
        } catch (error) {
          this.rt.log({ eventTypeId: EVENT.rekeyFail, severity: 'error', objectId: vm.id, message: `Could not resume the ${vm.operation.kind} of VM ${vm.name}: ${failureOf(error).reason}` });
        }
      }
    });

  private async vmDisk(vmId: string) {
    const vm = this.rt.vm(vmId);
    const files = await readFilesOf(this.rt, vm);
    return { vm, files, ...(await heldDek(this.rt, vm, files)) };
  }

  readonly listGuestFiles = async (vmId: string) => {
    const { files, dek, reason } = await this.vmDisk(vmId);
    if (files.encryption && !dek) throw new Error(reason ?? 'The key of this VM is not available.');
    return listGuestFiles(this.db, files, dek);
  };

  readonly readGuestFile = async (vmId: string, name: string) => {
    const { files, dek, reason } = await this.vmDisk(vmId);
    if (files.encryption && !dek) throw new Error(reason ?? 'The key of this VM is not available.');
    return readGuestFile(this.db, files, dek, name);
  };

  readonly listDatastoreFiles = async (datastoreId: string, folder: string) => {
    const entries = await listFolder(this.db, datastoreId, folder);
    return entries.map((e) => ({
      path: e.path,
      size: e.sizeBytes,
      kind: (e.name.endsWith('.vmx') ? 'vmx' : e.name.endsWith('.vmdk') ? 'vmdk' : e.name.endsWith('.nvram') ? 'nvram' : e.name.endsWith('.log') ? 'log' : 'other') as
        | 'vmx'
        | 'vmdk'
        | 'nvram'
        | 'log'
        | 'other',
    }));
  };

  readonly readDatastoreFile = async (datastoreId: string, path: string) => {
    const text = await readTextFile(this.db, datastoreId, path);
    if (text === undefined) throw new Error(`[${datastoreId}] ${path} is not a text file (a virtual disk's sectors are shown in the sector view).`);
    return text;
  };

  readonly readDiskSectors = async (vmId: string, firstSector: number, count: number): Promise<DiskSectorsView> => {
    const { files, dek, reason } = await this.vmDisk(vmId);
    const view = await readSectorsView(this.db, files, firstSector, count, dek);
    return dek || !files.encryption ? view : { ...view, plaintext: null, plaintextUnavailableReason: view.plaintextUnavailableReason ?? reason };
  };

  readonly exportNkpBackup = (providerId: string, password: string) =>
    this.enqueue(async () => {
      this.rt.currentCommand = null;
      return exportBackup(this.rt, providerId, password);
    });

  readonly restoreNkpFromBackup = async (p12: Uint8Array, password: string, options?: RestoreBackupOptions): Promise<CommandResult> => {
    // The file is opened (the password work: seconds for a file made with many iterations) before the restore takes
    // its turn in the queue, so other commands do not wait behind it.
    const opened = await openBackupFile(this.rt, p12, password, options);
    return this.enqueue(async () => {
      try {
        return { ok: true as const, message: await restoreBackup(this.rt, opened) };
      } catch (error) {
        const result = failureOf(error);
        this.rt.log({ eventTypeId: EVENT.taskFailed, severity: 'warning', message: `Restore from backup failed: ${result.reason}` });
        return result;
      }
    });
  };

  readonly dispose = (): void => {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.disposed = true;
    this.listeners.clear();
    for (const sub of this.subscriptions.splice(0)) sub.unsubscribe();
    this.rt.abort();
    this.rt.root.stop();
  };

  api(): Lab {
    return {
      getView: this.getView,
      subscribe: this.subscribe,
      dispatch: this.dispatch,
      listGuestFiles: this.listGuestFiles,
      readGuestFile: this.readGuestFile,
      listDatastoreFiles: this.listDatastoreFiles,
      readDatastoreFile: this.readDatastoreFile,
      readDiskSectors: this.readDiskSectors,
      exportNkpBackup: this.exportNkpBackup,
      restoreNkpFromBackup: this.restoreNkpFromBackup,
      resumeInterrupted: this.resumeInterrupted,
      save: this.save,
      dispose: this.dispose,
    };
  }
}

export async function openLab(options: OpenLabOptions): Promise<Lab> {
  const { db, labId } = options;
  const text = await loadLabText(db, labId);
  const saved = text === undefined ? undefined : (readSavedLab(text) as unknown as SavedLabRecord);
  const clock = options.clock ?? createRealTimeClock(saved?.now ?? 0);
  if (saved && clock.now() < saved.now) clock.advance(saved.now - clock.now());
  if (saved) {
    let session: LabSession;
    try {
      session = new LabSession(db, labId, clock, saved.root, '');
      session.reviveAfterRestore();
      // Every page is built from the view: a record that passed the schema but cannot make one is damaged too.
      session.getView();
    } catch (cause) {
      console.error('keylab: the saved lab could not be restored', cause);
      throw new LabOpenError('SAVED_LAB_DAMAGED', ['Its parts do not fit together, so the datacenter cannot be rebuilt from it.']);
    }
    // A lab saved before NKP keys were derived gets derived keys from the KDKs it holds (nkp-key-upgrade.ts).
    await session.enqueue(() => upgradeLegacyNkpKeys(session.rt));
    // The datastore is the truth: a tab that died between a disk commit and its save left the pages behind the files.
    await session.enqueue(() => reconcileWithFiles(session.rt));
    return session.api();
  }
  if (!options.replaceStoredWorld && (await hasStoredWorld(db))) throw new LabOpenError('SAVED_LAB_MISSING');
  const scenario = options.scenario ?? defaultScenario();
  await clearWorld(db);
  const session = new LabSession(db, labId, clock, undefined, scenario.title);
  await session.enqueue(() => buildWorld(session.rt, scenario, options.build));
  await session.save();
  return session.api();
}
