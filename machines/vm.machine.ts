// A virtual machine as it exists on its datastore: power, where it runs, its encryption, lock, vTPM, snapshots, and
// the progress of a long disk operation (encrypt, decrypt, deep re-key).
//
// The VM's files and disk live in IndexedDB (machines/data-plane); this actor is what vCenter and the hosts know of it.
import { assign, setup } from 'xstate';
import type { UnavailableKeyReason, VmEncryptionView, VmOperationView } from './lab-types';

export interface VmContext {
  id: string;
  name: string;
  datastoreId: string;
  folder: string;
  /** The host it is registered on (and runs on when powered on). */
  hostId: string | null;
  registered: boolean;
  encryption: VmEncryptionView | null;
  locked: { reason: UnavailableKeyReason; message: string } | null;
  vtpm: boolean;
  snapshots: number;
  diskSizeBytes: number;
  operation: VmOperationView | null;
}

export type VmEvent =
  | { type: 'vm.poweredOn'; hostId: string }
  | { type: 'vm.poweredOff' }
  | { type: 'vm.encryptionChanged'; encryption: VmEncryptionView | null }
  | { type: 'vm.locked'; reason: UnavailableKeyReason; message: string }
  | { type: 'vm.unlocked' }
  | { type: 'vm.vtpmSet'; vtpm: boolean }
  | { type: 'vm.snapshotTaken' }
  | { type: 'vm.snapshotsDeleted' }
  | { type: 'vm.registered'; hostId: string }
  | { type: 'vm.unregistered' }
  | { type: 'vm.operationProgress'; operation: VmOperationView }
  | { type: 'vm.operationEnded' };

export type VmInput = VmContext;

export const vmMachine = setup({
  types: {} as { context: VmContext; events: VmEvent; input: VmInput },
}).createMachine({
  id: 'vm',
  context: ({ input }) => input,
  initial: 'off',
  on: {
    'vm.encryptionChanged': { actions: assign({ encryption: ({ event }) => event.encryption }) },
    'vm.locked': { actions: assign({ locked: ({ event }) => ({ reason: event.reason, message: event.message }) }) },
    'vm.unlocked': { actions: assign({ locked: null }) },
    'vm.vtpmSet': { actions: assign({ vtpm: ({ event }) => event.vtpm }) },
    'vm.snapshotTaken': { actions: assign({ snapshots: ({ context }) => context.snapshots + 1 }) },
    'vm.snapshotsDeleted': { actions: assign({ snapshots: 0 }) },
    'vm.registered': { actions: assign({ registered: true, hostId: ({ event }) => event.hostId }) },
    'vm.unregistered': { actions: assign({ registered: false }) },
    'vm.operationProgress': { actions: assign({ operation: ({ event }) => event.operation }) },
    'vm.operationEnded': { actions: assign({ operation: null }) },
  },
  states: {
    off: {
      on: { 'vm.poweredOn': { target: 'on', actions: assign({ hostId: ({ event }) => event.hostId }) } },
    },
    on: {
      on: { 'vm.poweredOff': 'off' },
    },
  },
});
