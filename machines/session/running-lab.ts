// The running lab behind the Lab API: the root actor and its runtime, the view (rebuilt once per burst of changes),
// the command queue (commands never interleave; clock and KMS faults run outside it), revival after a restore, and
// closing. Saving is the LabSaver's; queries and the NKP backup are their own modules; openLab (lab.ts) builds it.
import { createActor, type Snapshot } from 'xstate';
import type { KeylabDb } from '@/lib/storage';
import { labMachine } from '../actors/lab.machine';
import { checkCommand } from '../commands/preconditions';
import { resumeVmOperation } from '../commands/vm-encryption';
import { runCommand, type CommandOutput } from '../commands/lab-commands';
import { failureOf, LabRefusal } from '../commands/lab-refusal';
import type { LabStart } from '../actors/lab.machine';
import type { CommandResult, JournalOp, Lab, LabCommand, LabView } from '../lab-types';
import { LabSaver } from '../persistence/lab-saver';
import { SAVE_FORMAT } from '../persistence/saved-lab';
import { buildView } from '../view/lab-view';
import { EVENT } from './lab-event-ids';
import type { LabClock } from './lab-clock';
import { labNkpBackup } from './lab-nkp-backup';
import { labQueries } from './lab-queries';
import { recoveryKeyListing } from '../commands/host-config-commands';
import { LabRuntime } from './lab-runtime';

/** Queued work written into the journal: `resultOf` says how a value that is not a CommandResult counts. */
export type Journaled = <T>(op: JournalOp, work: () => Promise<T>, resultOf?: (value: T) => CommandResult) => Promise<T>;

export class RunningLab {
  readonly rt: LabRuntime;
  private readonly saver: LabSaver;
  private version = 0;
  private cached: { version: number; view: LabView } | null = null;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = false;
  /** Work queued and not yet finished (busy alone is false for a moment between two queued commands). */
  private queued = 0;
  private settleWaiters: (() => void)[] = [];
  private disposed = false;
  /** Subscriptions to children (re-armed waits): dropped on dispose. */
  private readonly subscriptions: { unsubscribe(): void }[] = [];

  constructor(
    db: KeylabDb,
    private readonly labId: string,
    private readonly clock: LabClock,
    snapshot: Snapshot<unknown> | undefined,
    title: string,
    /** A new lab's scenario and seed, kept so it can be built again (a rewind); absent when restoring a saved one. */
    start?: LabStart,
  ) {
    this.saver = new LabSaver(
      db,
      labId,
      () => ({ format: SAVE_FORMAT, now: this.clock.now(), root: this.rt.root.getPersistedSnapshot() as Snapshot<unknown> }),
      () => {
        if (!this.disposed) this.notify();
      },
      // Every write to files or keys runs in a queued command (or the open's catch-up), which applies what it wrote
      // to the actors before it ends: with none running, the snapshot holds every write made so far.
      () => !this.busy,
    );
    const root = createActor(labMachine, {
      input: { labId, title, ...(start ? { start } : {}) },
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
    this.saver.schedule(this.busy);
  }

  private settled(): void {
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once no command is running or queued, or the running one is blocked on a visible wait. */
  readonly untilSettled = async (): Promise<void> => {
    while (this.queued > 0 && this.rt.waiting === 0) await new Promise<void>((resolve) => this.settleWaiters.push(resolve));
  };

  /**
   * Writes what is about to be done into the journal, at the lab time it starts (a command that waits for a hung KMS
   * node comes before the fast-forward that ends its wait); the function returned records how it ended.
   */
  private journalBegin(op: JournalOp): (result: CommandResult) => void {
    const ctx = this.rt.root.getSnapshot().context;
    if (!ctx.journal) return () => {}; // begun before the journal was kept: it cannot be replayed anyway
    const seq = (ctx.journal.at(-1)?.seq ?? 0) + 1;
    this.rt.root.send({ type: 'lab.journaled', entry: { seq, at: this.clock.now(), op, outcome: 'pending', firstEventId: ctx.nextEventId } });
    return (result) => this.journalEnd(seq, result);
  }

  private journalEnd(seq: number, result: CommandResult): void {
    if (this.disposed) return;
    this.rt.root.send({ type: 'lab.journalOutcome', seq, outcome: result.ok ? 'ok' : result.code, ...(result.ok ? {} : { reason: result.reason }) });
  }

  /** The journal entry of a command a closed tab left waiting, which a reopened lab runs again. */
  private pendingEntryOf(command: LabCommand): number | null {
    const text = JSON.stringify(command);
    const entry = (this.rt.root.getSnapshot().context.journal ?? [])
      .findLast((e) => e.outcome === 'pending' && e.op.kind === 'command' && JSON.stringify(e.op.command) === text);
    return entry?.seq ?? null;
  }

  /** Runs journaled work in the queue: the entry is written when its turn comes, its outcome when it ends. */
  private readonly journaled: Journaled = (op, work, resultOf = (value) => value as CommandResult) =>
    this.enqueue(async () => {
      const end = this.journalBegin(op);
      try {
        const value = await work();
        end(resultOf(value));
        return value;
      } catch (error) {
        end(failureOf(error));
        throw error;
      }
    });

  readonly getView = (): LabView => {
    if (!this.cached || this.cached.version !== this.version) {
      this.cached = { version: this.version, view: { ...buildView(this.rt, this.labId), saveProblem: this.saver.problem } };
    }
    return this.cached.view;
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Runs work after every command queued before it (commands never interleave). */
  readonly enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    this.queued++;
    const run = this.queue.then(async () => {
      this.busy = true;
      try {
        return await work();
      } finally {
        this.busy = false;
        this.queued--;
        this.rt.currentCommand = null;
        this.rt.skipKmsIds = [];
        this.settled();
      }
    });
    this.queue = run.catch(() => {});
    return run;
  };

  private async execute(command: LabCommand, skipKmsIds: string[] = []): Promise<CommandResult> {
    this.rt.currentCommand = command;
    this.rt.skipKmsIds = skipKmsIds;
    try {
      const output = await this.run(command);
      return typeof output === 'string' ? { ok: true, message: output } : { ok: true, ...output };
    } catch (error) {
      if (this.disposed) return { ok: false, code: 'LAB_CLOSED', reason: 'The lab was closed before the command finished; it resumes when the lab is opened again.' };
      const result = failureOf(error);
      this.rt.log({ eventTypeId: EVENT.taskFailed, severity: 'warning', message: `${command.type} failed: ${result.reason}` });
      if (result.code === 'FAILED') console.error(error);
      return result;
    }
  }

  /** The command's precondition (on the view as it is when the command's turn comes), then its handler. */
  private run(command: LabCommand): Promise<CommandOutput> {
    const refusal = checkCommand(this.getView(), command);
    if (refusal) throw new LabRefusal(refusal.code, refusal.reason);
    return runCommand(this.rt, command);
  }

  readonly dispatch = (command: LabCommand): Promise<CommandResult> => {
    if (command.type === 'clock.advance') return this.advance(command.ms);
    // A KMS node failing or coming back is the world, not a vCenter task: it happens even while vCenter is busy waiting.
    if (command.type === 'kms.down' || command.type === 'kms.hang' || command.type === 'kms.restore' || command.type === 'kms.lose') return this.outsideQueue(command);
    return this.journaled({ kind: 'command', command }, () => this.execute(command));
  };

  private async outsideQueue(command: LabCommand): Promise<CommandResult> {
    const end = this.journalBegin({ kind: 'command', command });
    let result: CommandResult;
    try {
      const output = await this.run(command);
      result = typeof output === 'string' ? { ok: true, message: output } : { ok: true, ...output };
    } catch (error) {
      result = failureOf(error);
    }
    end(result);
    return result;
  }

  private async advance(ms: number): Promise<CommandResult> {
    const refusal = checkCommand(this.getView(), { type: 'clock.advance', ms });
    if (refusal) return { ok: false, ...refusal };
    await this.untilSettled();
    const end = this.journalBegin({ kind: 'command', command: { type: 'clock.advance', ms } });
    this.clock.advance(ms);
    this.changed();
    const result: CommandResult = { ok: true, message: `Lab time moved on by ${Math.round(ms / 1000)} s.` };
    end(result);
    return result;
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
        // The command that was waiting died with the old tab: run it again, going on from the next KMS node; its
        // journal entry (still pending) gets the outcome.
        if (command && s.value === 'expired') {
          const seq = this.pendingEntryOf(command);
          void this.enqueue(async () => {
            const result = await this.execute(command, skipKmsIds);
            if (seq !== null) this.journalEnd(seq, result);
            return result;
          });
        }
      });
      this.subscriptions.push(sub);
    }
    for (const ref of this.rt.vmRefs()) {
      const op = ref.getSnapshot().context.operation;
      if (op && !op.interrupted) ref.send({ type: 'vm.operationProgress', operation: { ...op, interrupted: true } });
    }
  }

  readonly save = (): Promise<void> => this.saver.save();

  readonly resumeInterrupted = async (): Promise<void> => {
    // Nothing to resume (the usual open): nothing is journaled.
    if (!this.rt.vmRefs().some((ref) => ref.getSnapshot().context.operation)) return;
    await this.journaled({ kind: 'resume' }, () => this.resumeAll(), () => ({ ok: true, message: 'Interrupted operations resumed.' }));
  };

  private async resumeAll(): Promise<void> {
      for (const ref of this.rt.vmRefs()) {
        const vm = ref.getSnapshot().context;
        if (!vm.operation) continue;
        try {
          await resumeVmOperation(this.rt, vm.id);
        } catch (error) {
          this.rt.log({ eventTypeId: EVENT.rekeyFail, severity: 'error', objectId: vm.id, message: `Could not resume the ${vm.operation.kind} of VM ${vm.name}: ${failureOf(error).reason}` });
        }
      }
  }

  readonly dispose = (): void => {
    this.saver.cancel();
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
      ...labQueries(this.rt),
      ...labNkpBackup(this.rt, this.journaled),
      // Read in the queue (the configuration key is unsealed as the host does), refused by the same rule as keeping it.
      recoveryKeyListing: (hostId) => {
        const refusal = checkCommand(this.getView(), { type: 'host.keepRecoveryKey', hostId });
        if (refusal) return Promise.reject(new LabRefusal(refusal.code, refusal.reason));
        return this.enqueue(() => recoveryKeyListing(this.rt, hostId));
      },
      resumeInterrupted: this.resumeInterrupted,
      untilSettled: this.untilSettled,
      save: this.save,
      dispose: this.dispose,
    };
  }
}
