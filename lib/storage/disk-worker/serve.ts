// The worker's side of the protocol, as a plain class so Node tests can drive it without a Worker: each job runs on
// this thread's own code (inProcessPort), re-encryptions on this thread's own connection to the database.
import { openSectors, sealSectors } from '@/lib/crypto/sector-cipher';
import { openKeylabDb, type KeylabDb } from '../db';
import { reencryptDisk } from '../reencrypt';
import { connectionStampedWrites } from '../world-stamp';
import { serializeError } from './error-transport';
import type { DiskJob, FromWorker, ToWorker } from './protocol';

type Post = (message: FromWorker, transfer: Transferable[]) => void;

export class DiskJobServer {
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly post: Post,
    /** Opens this thread's connection to a database (a test hands in its fake-indexeddb one). */
    private readonly openDb: (name: string) => KeylabDb = openKeylabDb,
  ) {
    post({ ready: true }, []);
  }

  handle(message: ToWorker): void {
    if ('abort' in message) {
      this.running.get(message.id)?.abort();
      return;
    }
    const controller = new AbortController();
    this.running.set(message.id, controller);
    void this.run(message.id, message.job, controller.signal).finally(() => this.running.delete(message.id));
  }

  private async run(id: number, job: DiskJob, signal: AbortSignal): Promise<void> {
    let db: KeylabDb | null = null;
    try {
      let value: Uint8Array<ArrayBuffer> | null = null;
      if (job.op === 'seal') value = await sealSectors(job.key, job.diskId, job.firstSector, job.bytes);
      else if (job.op === 'open') value = await openSectors(job.key, job.diskId, job.firstSector, job.bytes);
      else {
        db = this.openDb(job.dbName);
        await reencryptDisk(db, job.diskId, {
          from: job.from,
          to: job.to,
          toKeyTag: job.toKeyTag,
          batchExtents: job.batchExtents,
          signal,
          onProgress: (done, total) => this.post({ id, progress: [done, total] }, []),
        });
      }
      this.post({ id, ok: true, value, stampedWrites: db ? connectionStampedWrites(db) : 0 }, value ? [value.buffer] : []);
    } catch (error) {
      this.post({ id, ok: false, error: serializeError(error), stampedWrites: db ? connectionStampedWrites(db) : 0 }, []);
    } finally {
      // Closed after each job: an open connection here would hold up the page deleting or upgrading the database.
      db?.close();
    }
  }
}
