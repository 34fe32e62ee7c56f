// A pool of disk workers behind the DiskWorkerPort interface: each job goes to the loaded worker with the fewest in
// flight, its bytes transferred (never structured-cloned), its keys cloned as CryptoKeys. Until a worker says it has
// loaded (or when none ever does, e.g. a policy blocks it) the work runs on this thread. A worker that dies is dropped:
// its re-encryptions run again here (they resume from their journal, so nothing is lost or done twice); its sealing
// and opening fail, since their bytes went with it.
import type { KeylabDb } from '../db';
import type { ReencryptOptions } from '../reencrypt';
import { addStampedWriter } from '../world-stamp';
import { reviveError } from './error-transport';
import { inProcessPort, type DiskWorkerPort, type PortBytes } from './port';
import type { DiskJob, FromWorker, ToWorker } from './protocol';

/** What the pool needs of a Worker (a MessagePort has the same shape, which the Node tests use). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
  /** A worker whose script failed to load or threw outside a job. */
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?(): void;
  close?(): void;
}

interface Pending {
  job: DiskJob;
  dbName: string | null;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  resolve(value: Uint8Array | null): void;
  reject(error: unknown): void;
  /** Runs the job on this thread instead, if its worker is lost. */
  fallback(): Promise<Uint8Array | null>;
}

interface Member {
  worker: WorkerLike;
  ready: boolean;
  pending: Map<number, Pending>;
}

export class DiskWorkerPool implements DiskWorkerPort {
  private members: Member[];
  private nextId = 1;
  /** Stamped writes the workers' connections issued, by database name, as reported with each finished job. */
  private readonly reported = new Map<string, number>();
  private readonly unlink: () => void;

  constructor(workers: readonly WorkerLike[]) {
    this.members = workers.map((worker) => ({ worker, ready: false, pending: new Map() }));
    for (const member of this.members) this.listen(member);
    this.unlink = addStampedWriter((dbName) => this.stampedWrites(dbName));
  }

  get where(): string {
    const n = this.members.filter((member) => member.ready).length;
    return n === 0 ? 'this thread (no disk worker has loaded)' : `${n} disk worker${n === 1 ? '' : 's'}`;
  }

  seal(key: CryptoKey, diskId: string, firstSector: number, plaintext: PortBytes): Promise<Uint8Array> {
    if (!this.leastBusy()) return inProcessPort.seal(key, diskId, firstSector, plaintext);
    const bytes = owned(plaintext);
    return this.send({ op: 'seal', key, diskId, firstSector, bytes }, null, () =>
      inProcessPort.seal(key, diskId, firstSector, plaintext),
    ) as Promise<Uint8Array>;
  }

  open(key: CryptoKey, diskId: string, firstSector: number, sealed: PortBytes): Promise<Uint8Array> {
    if (!this.leastBusy()) return inProcessPort.open(key, diskId, firstSector, sealed);
    const bytes = owned(sealed);
    return this.send({ op: 'open', key, diskId, firstSector, bytes }, null, () =>
      inProcessPort.open(key, diskId, firstSector, sealed),
    ) as Promise<Uint8Array>;
  }

  async reencrypt(db: KeylabDb, diskId: string, options: ReencryptOptions): Promise<void> {
    const { from, to, toKeyTag = null, batchExtents, onProgress, signal } = options;
    signal?.throwIfAborted();
    const job: DiskJob = { op: 'reencrypt', dbName: db.name, diskId, from, to, toKeyTag, batchExtents };
    await this.send(job, db.name, () => inProcessPort.reencrypt(db, diskId, options).then(() => null), onProgress, signal);
  }

  /** Ends every worker; jobs still in flight fail. */
  close(): void {
    this.unlink();
    for (const member of this.members) this.drop(member, new Error('The disk workers were closed.'), false);
  }

  /**
   * For stampedWritesIssued: the workers' stamped writes on this database, or NaN while a job that writes to it is in
   * flight (its writes may commit before the page hears of them, so no count taken meanwhile can vouch for the world).
   */
  private stampedWrites(dbName: string): number {
    for (const member of this.members) {
      for (const pending of member.pending.values()) if (pending.dbName === dbName) return NaN;
    }
    return this.reported.get(dbName) ?? 0;
  }

  private send(
    job: DiskJob,
    dbName: string | null,
    fallback: () => Promise<Uint8Array | null>,
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Uint8Array | null> {
    const member = this.leastBusy();
    if (!member) return fallback();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { job, dbName, onProgress, signal, resolve, reject, fallback };
      member.pending.set(id, pending);
      const onAbort = () => member.worker.postMessage({ id, abort: true }, []);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      pending.resolve = (value) => (done(), resolve(value));
      pending.reject = (error) => (done(), reject(error));
      try {
        member.worker.postMessage({ id, job }, 'bytes' in job ? [job.bytes.buffer] : []);
      } catch (error) {
        member.pending.delete(id);
        pending.reject(error);
      }
    });
  }

  private leastBusy(): Member | undefined {
    let best: Member | undefined;
    for (const member of this.members) {
      if (member.ready && (!best || member.pending.size < best.pending.size)) best = member;
    }
    return best;
  }

  private listen(member: Member): void {
    member.worker.onmessage = ({ data }) => {
      if ('ready' in data) {
        member.ready = true;
        return;
      }
      const pending = member.pending.get(data.id);
      if (!pending) return;
      if ('progress' in data) {
        pending.onProgress?.(...data.progress);
        return;
      }
      member.pending.delete(data.id);
      if (pending.dbName !== null) this.reported.set(pending.dbName, (this.reported.get(pending.dbName) ?? 0) + data.stampedWrites);
      if (data.ok) pending.resolve(data.value);
      else pending.reject(this.failure(pending, reviveError(data.error)));
    };
    const lost = () => this.drop(member, new Error('A disk worker stopped.'), true);
    member.worker.onerror = lost;
    member.worker.onmessageerror = lost;
  }

  /** An abort reported by the worker is the caller's own abort reason, as when the work runs in-process. */
  private failure(pending: Pending, error: Error): unknown {
    return error.name === 'AbortError' && pending.signal?.aborted ? pending.signal.reason : error;
  }

  private drop(member: Member, reason: Error, rerun: boolean): void {
    this.members = this.members.filter((m) => m !== member);
    member.worker.onmessage = null;
    member.worker.terminate?.();
    member.worker.close?.();
    for (const pending of member.pending.values()) {
      if (rerun && pending.job.op === 'reencrypt') pending.fallback().then(pending.resolve, pending.reject);
      else pending.reject(reason);
    }
    member.pending.clear();
  }
}

/** The bytes in a buffer the pool may transfer: the caller's own when given whole, else a copy. */
function owned({ bytes, give }: PortBytes): Uint8Array<ArrayBuffer> {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return give && whole ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}
