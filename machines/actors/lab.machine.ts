// The root lab actor: spawns one child per simulated thing (systemId `vcenter`, `kms:<id>`, `host:<id>`, `vm:<id>`,
// `datastore:<id>`, `wait:<n>`) and keeps the lab's own event console, which outlives any one vCenter.
import { assign, enqueueActions, setup, stopChild } from 'xstate';
import { datastoreMachine, type DatastoreContext } from './datastore.machine';
import { hostMachine, type HostInput } from './host.machine';
import { kmsNodeMachine, type KmsNodeInput } from './kms-node.machine';
import { keyProviderMachine } from './key-provider.machine';
import { kmsWaitMachine, type KmsWaitContext } from './kms-wait.machine';
import type { LabEvent } from '../lab-types';
import { vcenterMachine, type ProviderRecord, type VcenterInput } from './vcenter.machine';
import { vmMachine, type VmInput } from './vm.machine';

/** The lab's console keeps the most recent events; older ones scroll away as in the vSphere Client. */
export const MAX_EVENTS = 1000;

export type SpawnRequest =
  | { src: 'vcenter'; input: VcenterInput }
  | { src: 'kmsNode'; input: KmsNodeInput }
  | { src: 'host'; input: HostInput }
  | { src: 'datastore'; input: DatastoreContext }
  | { src: 'vm'; input: VmInput }
  | { src: 'kmsWait'; input: KmsWaitContext }
  | { src: 'keyProvider'; input: ProviderRecord };

/** An NKP backup file the learner downloaded: it lives outside vCenter, so it survives vCenter's loss. */
export interface BackupFileRecord {
  providerId: string;
  keyId: string;
  fileName: string;
  fingerprint: string;
  exportedAt: number;
}

export interface LabContext {
  labId: string;
  backups: BackupFileRecord[];
  title: string;
  events: LabEvent[];
  nextEventId: number;
  nextWaitId: number;
}

export type LabRootEvent =
  | { type: 'lab.spawn'; requests: SpawnRequest[] }
  | { type: 'lab.stopChild'; systemId: string }
  | { type: 'lab.log'; events: Omit<LabEvent, 'id'>[] }
  | { type: 'lab.waitIdTaken' }
  | { type: 'lab.backupRecorded'; backup: BackupFileRecord };

export function systemIdOf(request: SpawnRequest): string {
  switch (request.src) {
    case 'vcenter':
      return 'vcenter';
    case 'kmsNode':
      return `kms:${request.input.id}`;
    case 'host':
      return `host:${request.input.id}`;
    case 'datastore':
      return `datastore:${request.input.id}`;
    case 'vm':
      return `vm:${request.input.id}`;
    case 'kmsWait':
      return `wait:${request.input.id}`;
    case 'keyProvider':
      return `provider:${request.input.id}`;
  }
}

export const labMachine = setup({
  types: {} as { context: LabContext; events: LabRootEvent; input: { labId: string; title: string } },
  // Children are referenced by `src` name so the persisted snapshot can restore them.
  actors: {
    vcenter: vcenterMachine,
    keyProvider: keyProviderMachine,
    kmsNode: kmsNodeMachine,
    host: hostMachine,
    datastore: datastoreMachine,
    vm: vmMachine,
    kmsWait: kmsWaitMachine,
  },
}).createMachine({
  id: 'lab',
  context: ({ input }) => ({ labId: input.labId, title: input.title, backups: [], events: [], nextEventId: 1, nextWaitId: 1 }),
  on: {
    'lab.spawn': {
      actions: enqueueActions(({ enqueue, event }) => {
        for (const request of event.requests) {
          const systemId = systemIdOf(request);
          // The switch keeps each src paired with its own input type.
          switch (request.src) {
            case 'vcenter':
              enqueue.spawnChild('vcenter', { id: systemId, systemId, input: request.input });
              break;
            case 'kmsNode':
              enqueue.spawnChild('kmsNode', { id: systemId, systemId, input: request.input });
              break;
            case 'host':
              enqueue.spawnChild('host', { id: systemId, systemId, input: request.input });
              break;
            case 'datastore':
              enqueue.spawnChild('datastore', { id: systemId, systemId, input: request.input });
              break;
            case 'vm':
              enqueue.spawnChild('vm', { id: systemId, systemId, input: request.input });
              break;
            case 'kmsWait':
              enqueue.spawnChild('kmsWait', { id: systemId, systemId, input: request.input });
              break;
            case 'keyProvider':
              enqueue.spawnChild('keyProvider', { id: systemId, systemId, input: request.input });
              break;
          }
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
