// A virtual machine as it exists on its datastore: power, where it runs, its encryption, lock, vTPM, snapshots, and
// a long disk operation (encrypt, decrypt, deep re-key) run by an invoked promise actor while the VM is off.
//
// The VM's files and disk live in IndexedDB (machines/data-plane); this actor is what vCenter and the hosts know of it.
import { assign, fromPromise, setup } from 'xstate';
import { runDiskJob } from './disk-jobs';
import type { DiskFormat, UnavailableKeyReason, VmEncryptionView, VmFeature, VmHomeEncryptionView, VmOperationView, VmView } from '../lab-types';

/** What the VM actor keeps: the view's VM (hostId: where it is registered, and runs when on) but its power, its state. */
export interface VmContext extends Omit<VmView, 'power' | 'homeEncryption'> {
  /** The VM home's key (absent in labs saved before a vTPM encrypted the VM home: then the disks' key, if any). */
  homeEncryption?: VmHomeEncryptionView | null;
  /** The disk job being run (see disk-jobs.ts). */
  jobId?: string | null;
}

export type VmEvent =
  | { type: 'vm.poweredOn'; hostId: string }
  | { type: 'vm.poweredOff' }
  /** `home` defaults to the disks' key: give it when only the VM home is (or stays) encrypted. */
  | { type: 'vm.encryptionChanged'; encryption: VmEncryptionView | null; home?: VmHomeEncryptionView | null }
  | { type: 'vm.locked'; reason: UnavailableKeyReason; message: string }
  | { type: 'vm.unlocked' }
  | { type: 'vm.vtpmSet'; vtpm: boolean }
  | { type: 'vm.snapshotTaken' }
  | { type: 'vm.snapshotsDeleted' }
  | { type: 'vm.registered'; hostId: string }
  /** vMotion or cold migration: the VM now runs on (or is registered on) another host. */
  | { type: 'vm.migrated'; hostId: string }
  | { type: 'vm.unregistered' }
  /** Storage vMotion: the VM's files now live in another datastore's folder. */
  | { type: 'vm.storageRelocated'; datastoreId: string; folder: string }
  | { type: 'vm.featureSet'; feature: VmFeature; enabled: boolean }
  | { type: 'vm.diskFormatSet'; format: DiskFormat }
  | { type: 'vm.diskJobStart'; jobId: string; kind: VmOperationView['kind'] }
  | { type: 'vm.operationProgress'; operation: VmOperationView }
  | { type: 'vm.operationEnded' };

export type VmInput = VmContext;

/** The VM home's key of a disk encryption: the same key. */
export function homeOf(encryption: VmEncryptionView | null): VmHomeEncryptionView | null {
  if (!encryption) return null;
  return {
    providerId: encryption.providerId,
    providerName: encryption.providerName,
    providerKind: encryption.providerKind,
    keyId: encryption.keyId,
    kdkKeyId: encryption.kdkKeyId ?? null,
  };
}

export const vmMachine = setup({
  types: {} as { context: VmContext; events: VmEvent; input: VmInput },
  actors: {
    // Input is only the job id: the work (with its keys) is registered in memory by the command.
    diskJob: fromPromise<void, { jobId: string }>(({ input }) => runDiskJob(input.jobId)),
  },
  actions: {
    startJob: assign(({ context, event }) => {
      if (event.type !== 'vm.diskJobStart') return {};
      const resumed = context.operation?.kind === event.kind ? context.operation : null;
      return {
        jobId: event.jobId,
        operation: { kind: event.kind, done: resumed?.done ?? 0, total: context.diskSizeBytes, interrupted: false },
      };
    }),
  },
}).createMachine({
  id: 'vm',
  context: ({ input }) => ({ ...input, jobId: input.jobId ?? null }),
  initial: 'off',
  on: {
    'vm.encryptionChanged': {
      actions: assign({
        encryption: ({ event }) => event.encryption,
        homeEncryption: ({ event }) => (event.home !== undefined ? event.home : homeOf(event.encryption)),
      }),
    },
    'vm.locked': { actions: assign({ locked: ({ event }) => ({ reason: event.reason, message: event.message }) }) },
    'vm.unlocked': { actions: assign({ locked: null }) },
    'vm.vtpmSet': { actions: assign({ vtpm: ({ event }) => event.vtpm }) },
    'vm.snapshotTaken': { actions: assign({ snapshots: ({ context }) => context.snapshots + 1 }) },
    'vm.snapshotsDeleted': { actions: assign({ snapshots: 0 }) },
    'vm.storageRelocated': { actions: assign(({ event }) => ({ datastoreId: event.datastoreId, folder: event.folder })) },
    'vm.featureSet': { actions: assign({ features: ({ context, event }) => ({ ...context.features, [event.feature]: event.enabled }) }) },
    'vm.diskFormatSet': { actions: assign({ diskFormat: ({ event }) => event.format }) },
    'vm.registered': { actions: assign({ registered: true, hostId: ({ event }) => event.hostId }) },
    'vm.unregistered': { actions: assign({ registered: false }) },
    'vm.migrated': { actions: assign({ hostId: ({ event }) => event.hostId }) },
    'vm.operationProgress': { actions: assign({ operation: ({ event }) => event.operation }) },
    'vm.operationEnded': { actions: assign({ operation: null, jobId: null }) },
  },
  states: {
    off: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            'vm.poweredOn': { target: '#vm.on', actions: assign({ hostId: ({ event }) => event.hostId }) },
            'vm.diskJobStart': { target: 'working', actions: 'startJob' },
          },
        },
        /** Encrypt, decrypt or deep re-key in progress: the disk belongs to the job, the VM cannot start. */
        working: {
          invoke: {
            src: 'diskJob',
            input: ({ context }) => ({ jobId: context.jobId ?? '' }),
            onDone: { target: 'idle', actions: assign({ operation: null, jobId: null }) },
            onError: {
              target: 'interrupted',
              actions: assign({ operation: ({ context }) => context.operation && { ...context.operation, interrupted: true }, jobId: null }),
            },
          },
        },
        /** Stopped halfway (closed tab, error): the journal on disk knows where; resuming starts a new job. */
        interrupted: {
          on: {
            'vm.diskJobStart': { target: 'working', actions: 'startJob' },
            'vm.operationEnded': { target: 'idle', actions: assign({ operation: null, jobId: null }) },
          },
        },
      },
    },
    on: {
      on: { 'vm.poweredOff': 'off' },
    },
  },
});
