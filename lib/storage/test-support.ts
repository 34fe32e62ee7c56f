// Helpers for the storage tests: throwaway databases, known data, fresh keys, and databases that fail on cue.
import type { DBCoreMutateRequest, DBCoreTable } from 'dexie';
import { afterEach } from 'vitest';
import { KeylabDb } from './db';

let counter = 0;

/** A database name no other test uses. */
export function uniqueDbName(label: string): string {
  counter += 1;
  return `keylab-test-${label}-${counter}-${crypto.randomUUID()}`;
}

/**
 * Registers, for the calling test file, an afterEach that closes every database its tests passed to the returned
 * `track`, so a test that fails half-way leaves no connection open behind it.
 */
export function closeAfterEach(): <T extends KeylabDb>(db: T) => T {
  const opened: KeylabDb[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  return (db) => {
    opened.push(db);
    return db;
  };
}

export function newDek(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
}

/** Deterministic bytes that differ at every offset and between seeds. */
export function knownBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** A small deterministic random number generator for reproducible "random" offsets. */
export function seededRandom(seed: number): (below: number) => number {
  let x = seed >>> 0 || 1;
  return (below) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % below;
  };
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export interface FailurePlan {
  /** The table whose writes fail. */
  table: string;
  /** Which writes count: 'put' (put/bulkPut), 'add', 'delete', or any. */
  type?: DBCoreMutateRequest['type'];
  /** How many matching writes succeed before every later one fails. */
  failAfter: number;
  /** What the failing write throws; a plain Error by default (a crash). */
  error?: () => unknown;
}

/**
 * A second connection to the same database whose writes to one table start failing after N calls, the way a tab
 * that crashes or runs out of quota mid-transaction would: the transaction aborts and nothing of it is kept.
 */
export function failingDb(name: string, plan: FailurePlan): KeylabDb & { failures: number } {
  const db = new KeylabDb(name) as KeylabDb & { failures: number };
  db.failures = 0;
  let calls = 0;
  db.use({
    stack: 'dbcore',
    name: 'fail-on-cue',
    create: (down) => ({
      ...down,
      table: (tableName: string): DBCoreTable => {
        const table = down.table(tableName);
        if (tableName !== plan.table) return table;
        return {
          ...table,
          mutate: (req) => {
            if (plan.type === undefined || req.type === plan.type) {
              calls += 1;
              if (calls > plan.failAfter) {
                db.failures += 1;
                return Promise.reject(plan.error ? plan.error() : new Error('simulated crash'));
              }
            }
            return table.mutate(req);
          },
        };
      },
    }),
  });
  return db;
}

export const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
