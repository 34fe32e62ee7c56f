// The root lab actor: spawns one child per simulated thing (systemId `vcenter`, `kms:<id>`, `host:<id>`, `vm:<id>`,
// `datastore:<id>`, `wait:<n>`) and keeps the lab's own event console, which outlives any one vCenter.
import { assign, enqueueActions, setup, stopChild, type InputFrom } from 'xstate';
import { datastoreMachine } from './datastore.machine';
import { hostMachine } from './host.machine';
import { kmsNodeMachine } from './kms-node.machine';
import { keyProviderMachine } from './key-provider.machine';
import { kmsWaitMachine } from './kms-wait.machine';
import type { Scenario } from '@/lib/scenario';
import type { JournalEntry, LabEvent } from '../lab-types';
import { idStateOf, type LabIdState } from '../session/lab-ids';
import { vcenterMachine } from './vcenter.machine';
import { vmMachine } from './vm.machine';

/** The lab's console keeps the most recent events; older ones scroll away as in the vSphere Client. */
export const MAX_EVENTS = 1000;

/** The children the root spawns, by `src` name: children referenced by name can be restored from a persisted snapshot. */
const CHILD_MACHINES = {
  vcenter: vcenterMachine,
  keyProvider: keyProviderMachine,
  kmsNode: kmsNodeMachine,
  host: hostMachine,
  datastore: datastoreMachine,
  vm: vmMachine,
  kmsWait: kmsWaitMachine,
};

type ChildSrc = keyof typeof CHILD_MACHINES;

/** A child's systemId is `<prefix>:<id>`; vCenter is one and is just `vcenter`. */
const SYSTEM_ID_PREFIX: Record<ChildSrc, string | null> = {
  vcenter: null,
  keyProvider: 'provider',
  kmsNode: 'kms',
  host: 'host',
  datastore: 'datastore',
  vm: 'vm',
  kmsWait: 'wait',
};

/** A child to spawn: its `src` and that machine's own input type, read from the machine so the two cannot drift. */
export type SpawnRequest = { [S in ChildSrc]: { src: S; input: InputFrom<(typeof CHILD_MACHINES)[S]> } }[ChildSrc];

/** A backup's password as the lab rated it (lib/password): none, or zxcvbn's estimate read as weak, fair or strong. */
export type BackupPasswordStrength = 'none' | 'weak' | 'fair' | 'strong';

/** An NKP backup file the learner downloaded: it lives outside vCenter, so it survives vCenter's loss. */
export interface BackupFileRecord {
  providerId: string;
  keyId: string;
  fileName: string;
  fingerprint: string;
  exportedAt: number;
  /** How the lab rated the file's password when it was made (absent in labs saved before it did). */
  passwordStrength?: BackupPasswordStrength;
}

/** What the lab was built from: a rewind builds the same world again and replays the journal on it. */
export interface LabStart {
  scenario: Scenario;
  seed: string;
}

export interface LabContext {
  labId: string;
  backups: BackupFileRecord[];
  title: string;
  events: LabEvent[];
  nextEventId: number;
  nextWaitId: number;
  // Absent in labs saved before the journal was kept (they open, but cannot be rewound).
  start?: LabStart;
  ids?: LabIdState;
  journal?: JournalEntry[];
  redo?: JournalEntry[];
}

export type LabRootEvent =
  | { type: 'lab.spawn'; requests: SpawnRequest[] }
  | { type: 'lab.stopChild'; systemId: string }
  | { type: 'lab.log'; events: Omit<LabEvent, 'id'>[] }
  | { type: 'lab.waitIdTaken' }
  | { type: 'lab.backupRecorded'; backup: BackupFileRecord }
  | { type: 'lab.idsTaken'; count: number }
  | { type: 'lab.journaled'; entry: JournalEntry }
  | { type: 'lab.journalOutcome'; seq: number; outcome: JournalEntry['outcome']; reason?: string }
  /** A rewind's left-over entries; a new entry clears them (Redo only goes forward while nothing new was done). */
  | { type: 'lab.redoSet'; redo: JournalEntry[] };

export function systemIdOf(request: SpawnRequest): string {
  const prefix = SYSTEM_ID_PREFIX[request.src];
  return prefix === null ? 'vcenter' : `${prefix}:${request.input.id}`;
}

export const labMachine = setup({
  types: {} as { context: LabContext; events: LabRootEvent; input: { labId: string; title: string; start?: LabStart } },
  actors: CHILD_MACHINES,
}).createMachine({
  id: 'lab',
  context: ({ input }) => ({
    labId: input.labId,
    title: input.title,
    backups: [],
    events: [],
    nextEventId: 1,
    nextWaitId: 1,
    ...(input.start ? { start: input.start, ids: { seed: input.start.seed, next: 0 }, journal: [], redo: [] } : {}),
  }),
  on: {
    'lab.idsTaken': {
      actions: assign({
        ids: ({ context, event }) => {
          const ids = idStateOf(context);
          return { ...ids, next: ids.next + event.count };
        },
      }),
    },
    'lab.journaled': {
      actions: assign({
        journal: ({ context, event }) => [...(context.journal ?? []), event.entry],
        // Doing what Redo would do next (a rewind's replay, or Redo itself) keeps the rest to redo; anything else
        // is a new path, and Redo is gone.
        redo: ({ context, event }) => {
          const [next, ...rest] = context.redo ?? [];
          return next && JSON.stringify(next.op) === JSON.stringify(event.entry.op) ? rest : [];
        },
      }),
    },
    'lab.journalOutcome': {
      actions: assign({
        journal: ({ context, event }) =>
          (context.journal ?? []).map((entry) =>
            entry.seq === event.seq ? { ...entry, outcome: event.outcome, ...(event.reason ? { reason: event.reason } : {}) } : entry,
          ),
      }),
    },
    'lab.redoSet': { actions: assign({ redo: ({ event }) => event.redo }) },
    'lab.spawn': {
      actions: enqueueActions(({ enqueue, event }) => {
        for (const request of event.requests) {
          const systemId = systemIdOf(request);
          // SpawnRequest pairs each src with its own machine's input by construction; TypeScript cannot follow the
          // pairing through the union, so the arguments are handed over as the tuple spawnChild takes.
          const args = [request.src, { id: systemId, systemId, input: request.input }] as Parameters<typeof enqueue.spawnChild>;
          enqueue.spawnChild(...args);
        }
      }),
    },
    'lab.stopChild': { actions: stopChild(({ event }) => event.systemId) },
    'lab.backupRecorded': {
      actions: assign({
        backups: ({ context, event }) => [...context.backups.filter((b) => b.fileName !== event.backup.fileName), event.backup],
      }),
    },
    'lab.waitIdTaken': { actions: assign({ nextWaitId: ({ context }) => context.nextWaitId + 1 }) },
    'lab.log': {
      actions: assign(({ context, event }) => {
        const added = event.events.map((e, i) => ({ ...e, id: context.nextEventId + i }));
        const events = [...context.events, ...added];
        return {
          events: events.length > MAX_EVENTS ? events.slice(events.length - MAX_EVENTS) : events,
          nextEventId: context.nextEventId + added.length,
        };
      }),
    },
  },
});
