// The messages between the page and a disk worker. Keys travel as CryptoKeys (structured clone keeps a
// non-extractable key non-extractable; its bytes never reach script on either side); byte buffers are transferred.
import type { SerializedError } from './error-transport';

export type DiskJob =
  /** Seals whole plaintext sectors as sectors firstSector.. of a disk (sealSectors). */
  | { op: 'seal'; key: CryptoKey; diskId: string; firstSector: number; bytes: Uint8Array<ArrayBuffer> }
  /** Opens sealed sectors (openSectors). */
  | { op: 'open'; key: CryptoKey; diskId: string; firstSector: number; bytes: Uint8Array<ArrayBuffer> }
  /** A whole journaled re-encryption (reencryptDisk) on the worker's own connection to database dbName. */
  | {
      op: 'reencrypt';
      dbName: string;
      diskId: string;
      from: CryptoKey | null;
      to: CryptoKey | null;
      toKeyTag: string | null;
      batchExtents?: number;
    };

export type ToWorker = { id: number; job: DiskJob } | { id: number; abort: true };

export type FromWorker =
  /** Sent once when the worker has loaded: until then (or if it never loads) the page does the work itself. */
  | { ready: true }
  | { id: number; progress: [done: number, total: number] }
  /** `stampedWrites`: writes to stamped tables the job's connection issued (world-stamp.ts). */
  | { id: number; ok: true; value: Uint8Array<ArrayBuffer> | null; stampedWrites: number }
  | { id: number; ok: false; error: SerializedError; stampedWrites: number };
