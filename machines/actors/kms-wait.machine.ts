// vCenter waiting for a KMS node that accepted the connection but does not answer (hung): as long as the node
// selection of its vSphere version says (60 s fixed on 6.5/6.7; the server's I/O timeout on 7.0 and later), then the
// next node.
//
// XState v5 does not restore pending `after` delays from a persisted snapshot (statelyai/xstate#5331), so the
// deadline is kept in context and the lab re-arms it on restore by sending `wait.expire` when lab time reaches it.
import { setup } from 'xstate';
import type { LabCommand } from '../lab-types';

/** vSphere 6.5/6.7: the fixed wait on a node that does not answer (not configurable, as the 2017 material says). */
export const KMS_TIMEOUT_MS = 60_000;

export interface KmsWaitContext {
  id: string;
  label: string;
  kmsId: string;
  providerId: string;
  deadline: number;
  /** How long this wait lasts; absent in waits saved before it was kept (they waited KMS_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The command that was waiting, re-run when a reloaded lab sees the wait expire (the promise died with the tab). */
  command: LabCommand | null;
  /** Nodes already found down or hung in this attempt, so the re-run goes on with the next one. */
  skipKmsIds: string[];
}

export const kmsWaitMachine = setup({
  types: {} as { context: KmsWaitContext; input: KmsWaitContext; events: { type: 'wait.expired' } | { type: 'wait.cancelled' } },
  delays: { kmsTimeout: ({ context }) => context.timeoutMs ?? KMS_TIMEOUT_MS },
}).createMachine({
  id: 'kmsWait',
  context: ({ input }) => input,
  initial: 'waiting',
  states: {
    waiting: {
      after: { kmsTimeout: 'expired' },
      on: { 'wait.expired': 'expired', 'wait.cancelled': 'cancelled' },
    },
    expired: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
