// One stamp for what a saved lab's pages are built from: every write to a datastore file or to the key vault puts a
// new random stamp in the same transaction. A lab saved while nothing was running keeps the stamp it read, so on open
// an unchanged stamp proves no file or key was written after that save, and the lab need not read every VM's files
// again to catch up with a crash. A Dexie middleware does the stamping, so no writer (nor a test writing rows
// directly) can forget it.
import type { Dexie, DBCore, DBCoreMutateRequest } from 'dexie';
import { newGeneration } from './generation';

/** The tables whose writes change the stamp: what the reconcile on open reads (VM files, KMS keys). */
const STAMPED = new Set(['datastoreFiles', 'keyVault']);
export const WORLD_STAMP_TABLE = 'worldStamps';
const STAMP_ID = 'world';

export interface WorldStampRow {
  id: string;
  stamp: number;
}

/** Writes issued per database connection, counted as they are issued (before they commit). */
const issued = new WeakMap<Dexie, { count: number }>();

/** The stamped writes this one connection has issued (what a disk worker reports to the page). */
export function connectionStampedWrites(db: Dexie): number {
  return issued.get(db)?.count ?? 0;
}

/**
 * Other connections to the same databases (a disk worker's), as the page learns of them: their stamped writes by
 * database name, or NaN while one of their jobs on that database is in flight (nothing equals NaN, so no save vouches).
 */
type StampedWriter = (dbName: string) => number;
const writers = new Set<StampedWriter>();

/** Counts another connection's stamped writes into stampedWritesIssued; returns the function that stops it. */
export function addStampedWriter(writer: StampedWriter): () => void {
  writers.add(writer);
  return () => writers.delete(writer);
}

/**
 * How many stamped writes this connection, and every other one the page knows of (addStampedWriter), have issued on
 * its database: unchanged between two moments means none was issued between. NaN while another connection's job may
 * be writing.
 */
export function stampedWritesIssued(db: Dexie): number {
  let count = connectionStampedWrites(db);
  for (const writer of writers) count += writer(db.name);
  return count;
}

/** Installs the stamping on a database before it opens (its schema must declare WORLD_STAMP_TABLE). */
export function installWorldStamp(db: Dexie): void {
  const counter = { count: 0 };
  issued.set(db, counter);
  db.use({
    stack: 'dbcore',
    name: 'world-stamp',
    // Below Dexie's own middlewares, next to IndexedDB: the stamp rides in the writer's own transaction.
    level: -2,
    create(down: DBCore): Partial<DBCore> {
      return {
        transaction(stores, mode, options) {
          const stamped = mode === 'readwrite' && stores.some((name) => STAMPED.has(name)) && !stores.includes(WORLD_STAMP_TABLE);
          return down.transaction(stamped ? [...stores, WORLD_STAMP_TABLE] : stores, mode, options);
        },
        table(name) {
          const table = down.table(name);
          if (!STAMPED.has(name)) return table;
          return {
            ...table,
            mutate(req: DBCoreMutateRequest) {
              counter.count++;
              // Both requests are placed at once, so the transaction is still active; all or none of them commit.
              const stamp = down.table(WORLD_STAMP_TABLE).mutate({ trans: req.trans, type: 'put', values: [{ id: STAMP_ID, stamp: newGeneration() }] });
              return Promise.all([stamp, table.mutate(req)]).then(([, result]) => result);
            },
          };
        },
      };
    },
  });
}

/** The stamp now, or null before the first stamped write. Read inside a transaction that includes WORLD_STAMP_TABLE. */
export async function readWorldStamp(db: Dexie): Promise<number | null> {
  const row = (await db.table(WORLD_STAMP_TABLE).get(STAMP_ID)) as WorldStampRow | undefined;
  return row?.stamp ?? null;
}
