// A key provider configured in vCenter: a standard one (an ordered list of KMS nodes; vCenter keeps key IDs only) or a
// Native Key Provider (its KDK's ID, the TPM-only flag, backed up or not, the hosts that hold its KDK). It belongs to
// vCenter's database: destroying vCenter stops it with everything else in that database.
import { assign, setup } from 'xstate';
import type { ProviderRecord } from './vcenter.machine';

export type KeyProviderEvent =
  | { type: 'provider.backedUp' }
  | { type: 'provider.hostsWithKdkSet'; hostIds: string[] }
  /** A standard provider's KMS nodes in a new order (the same nodes). */
  | { type: 'provider.kmsNodesOrdered'; kmsNodeIds: string[] };

export const keyProviderMachine = setup({
  types: {} as { context: ProviderRecord; events: KeyProviderEvent; input: ProviderRecord },
  guards: {
    isStandard: ({ context }) => context.kind === 'standard',
    isBackedUp: ({ context }) => context.kind === 'native' && context.backedUp,
  },
}).createMachine({
  id: 'keyProvider',
  context: ({ input }) => input,
  initial: 'configured',
  states: {
    configured: {
      always: [{ guard: 'isStandard', target: 'standard' }, { guard: 'isBackedUp', target: 'native.backedUp' }, { target: 'native.notBackedUp' }],
    },
    /** Keys come from the KMS nodes, in order. */
    standard: {
      on: {
        'provider.kmsNodesOrdered': {
          actions: assign(({ context, event }) => (context.kind === 'standard' ? { ...context, kmsNodeIds: [...event.kmsNodeIds] } : context)),
        },
      },
    },
    native: {
      initial: 'notBackedUp',
      on: {
        'provider.hostsWithKdkSet': {
          actions: assign(({ context, event }) => (context.kind === 'native' ? { ...context, hostsWithKdk: event.hostIds } : context)),
        },
      },
      states: {
        /** "Key provider NAME requires backup.": it cannot be used yet. */
        notBackedUp: {
          on: {
            'provider.backedUp': {
              target: 'backedUp',
              actions: assign(({ context }) => (context.kind === 'native' ? { ...context, backedUp: true } : context)),
            },
          },
        },
        /** Usable; its status (Warning, Active) depends on which hosts hold the KDK. */
        backedUp: {},
      },
    },
  },
});
