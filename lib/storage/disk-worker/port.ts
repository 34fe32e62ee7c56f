// Where the data plane's heavy work runs. The storage layer asks diskWorkerPort() for sector crypto and whole-disk
// re-encryption; by default that is this thread (Node, the tests, the build), and in the browser the page installs a
// pool of dedicated workers (browser-pool.ts), so the page's thread keeps only the lab's state and the UI.
import { openSectors, sealSectors } from '@/lib/crypto/sector-cipher';
import type { KeylabDb } from '../db';
import { reencryptDisk, type ReencryptOptions } from '../reencrypt';

/** Bytes handed to the port: `give` lets it take the buffer (detach it) instead of copying; the caller drops it. */
export interface PortBytes {
  bytes: Uint8Array;
  give?: boolean;
}

export interface DiskWorkerPort {
  /** Where the work runs, for the diagnostics page: 'this thread' or e.g. '2 workers'. */
  readonly where: string;
  /** sealSectors: the result is in a buffer of its own. */
  seal(key: CryptoKey, diskId: string, firstSector: number, plaintext: PortBytes): Promise<Uint8Array>;
  /** openSectors: the result is in a buffer of its own. */
  open(key: CryptoKey, diskId: string, firstSector: number, sealed: PortBytes): Promise<Uint8Array>;
  /** reencryptDisk on `db`'s database (a worker opens its own connection to it). */
  reencrypt(db: KeylabDb, diskId: string, options: ReencryptOptions): Promise<void>;
}

/** The work on the calling thread: exactly what the storage layer did before there were workers. */
export const inProcessPort: DiskWorkerPort = {
  where: 'this thread',
  seal: (key, diskId, firstSector, { bytes }) => sealSectors(key, diskId, firstSector, bytes),
  open: (key, diskId, firstSector, { bytes }) => openSectors(key, diskId, firstSector, bytes),
  reencrypt: (db, diskId, options) => reencryptDisk(db, diskId, options),
};

let current: DiskWorkerPort = inProcessPort;

export function diskWorkerPort(): DiskWorkerPort {
  return current;
}

/** Routes the heavy work through `port` from now on; returns a function that puts back the one before. */
export function routeDiskWorkThrough(port: DiskWorkerPort): () => void {
  const before = current;
  current = port;
  return () => {
    current = before;
  };
}
