// Plain IndexedDB for the benchmark's ceilings: the same records the disk stores, written and read without Dexie or
// the disk's layer, so what the storage layer costs above the browser itself can be measured.

export const RAW_DB = 'keylab-bench-raw';
/** Records sealed whole (one AES-GCM call each): the raw IndexedDB ceilings and the whole-record loop use them. */
export const WHOLE = 'whole';
/** Records in the disk's own format (sealed sector by sector): the sector-by-sector loop uses them. */
export const SECTORS = 'sectors';

export interface WholeRecord {
  k: number;
  keyIndex: number;
  iv: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

export interface SectorRecord {
  k: number;
  keyIndex: number;
  /** The disk id and first sector the record was sealed as (the untimed fill puts pool records everywhere). */
  sealedAs: string;
  sealedAt: number;
  data: Uint8Array;
}

export function openRaw(): Promise<IDBDatabase> {
  const req = indexedDB.open(RAW_DB, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(WHOLE, { keyPath: 'k' });
    req.result.createObjectStore(SECTORS, { keyPath: 'k' });
  };
  return request(req);
}

/** Puts the rows in one transaction and waits for it to commit. */
export function putAll(db: IDBDatabase, store: string, rows: Iterable<unknown>): Promise<void> {
  const tx = db.transaction(store, 'readwrite');
  for (const row of rows) tx.objectStore(store).put(row);
  return transactionDone(tx);
}

/** The records with keys first (included) to last (excluded). */
export function getAll(db: IDBDatabase, store: string, first: number, last: number): Promise<unknown[]> {
  const tx = db.transaction(store, 'readonly');
  return request(tx.objectStore(store).getAll(IDBKeyRange.bound(first, last, false, true)));
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}
