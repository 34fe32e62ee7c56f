// A datastore: shared storage that outlives vCenter and the hosts. Its files live in IndexedDB; this actor names it.
import { setup } from 'xstate';

export interface DatastoreContext {
  id: string;
  name: string;
  capacityBytes: number;
}

export const datastoreMachine = setup({
  types: {} as { context: DatastoreContext; input: DatastoreContext },
}).createMachine({
  id: 'datastore',
  context: ({ input }) => input,
  initial: 'mounted',
  states: { mounted: {} },
});
