// A deep re-key of a large disk (256 MiB by default) run where the lab runs it (the disk workers) or, to compare, on
// the page's own thread, so a caller can watch how the page answers meanwhile (scripts/bench.mjs clicks it and counts
// long tasks). Its own database, deleted before and after; the disk is filled untimed, then re-keyed once, timed.
import { MIB } from '@/lib/units';
import { deleteKeylabDb, openKeylabDb } from '../db';
import { diskWorkerPort, inProcessPort, routeDiskWorkThrough } from '../disk-worker/port';
import { createDisk, openDisk } from '../virtual-disk';
import { randomBytes } from './rig';

export interface RekeyProbeOptions {
  diskBytes?: number;
  /** Run the re-key on the page's thread (as before there were disk workers) instead of where the lab runs it. */
  onPage?: boolean;
  /** Called once the disk is filled, right before the timed re-key starts. */
  onRekeyStart?(): void;
}

export interface RekeyProbeResult {
  diskBytes: number;
  /** Where the re-key ran: 'this thread' or e.g. '1 disk worker'. */
  where: string;
  seconds: number;
  mbPerSecond: number;
}

const PROBE_DB = 'keylab-bench-rekey-probe';
const DISK = 'probe';
const FILL_CHUNK = 4 * MIB;

export async function runRekeyProbe(options: RekeyProbeOptions = {}): Promise<RekeyProbeResult> {
  const diskBytes = options.diskBytes ?? 256 * MIB;
  const port = options.onPage ? inProcessPort : diskWorkerPort();
  await deleteKeylabDb(PROBE_DB);
  const db = openKeylabDb(PROBE_DB);
  try {
    const [k1, k2] = await Promise.all([aesKey(), aesKey()]);
    const disk = await createDisk(db, { diskId: DISK, datastoreId: 'probe', path: 'probe/probe-flat.vmdk', sizeBytes: diskBytes, dek: k1, keyTag: 'probe-1' });
    const chunk = randomBytes(FILL_CHUNK);
    for (let at = 0; at < diskBytes; at += FILL_CHUNK) await disk.write(at, chunk.subarray(0, Math.min(FILL_CHUNK, diskBytes - at)));
    options.onRekeyStart?.();
    // On the page: its sector crypto too, as before there were disk workers.
    const restore = options.onPage ? routeDiskWorkThrough(inProcessPort) : () => {};
    const start = performance.now();
    try {
      await port.reencrypt(db, DISK, { from: k1, to: k2, toKeyTag: 'probe-2' });
    } finally {
      restore();
    }
    const seconds = (performance.now() - start) / 1000;
    // A re-key that did not keep the data is no figure at all.
    const lastAt = Math.floor((diskBytes - 1) / FILL_CHUNK) * FILL_CHUNK;
    const back = await (await openDisk(db, DISK, k2)).read(lastAt, diskBytes - lastAt);
    if (!back.every((byte, i) => byte === chunk[i])) throw new Error('The re-keyed probe disk did not read back.');
    return { diskBytes, where: port.where, seconds, mbPerSecond: diskBytes / 1e6 / seconds };
  } finally {
    db.close();
    await deleteKeylabDb(PROBE_DB);
  }
}

function aesKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
}
