// The benchmark's timed phases, one function each: a ceiling (raw AES-GCM, raw IndexedDB, a plain loop) or the
// storage layer's own operation on the same records. Each phase reports its progress from 0 to 1.
import { SECTOR_SIZE, openSectors, sealSectors } from '@/lib/crypto/sector-cipher';
import { diskWorkerPort } from '../disk-worker/port';
import type { VirtualDisk } from '../virtual-disk';
import { SMALL_WRITES, SMALL_WRITE_BYTES, type BenchUnit } from './figures';
import { SECTORS, WHOLE, getAll, putAll, type SectorRecord, type WholeRecord } from './raw-idb';
import { BENCH_DISK, KEY_TAGS, randomBytes, type BenchRig } from './rig';

const RAW_CRYPTO_CALL = 64 * 1024;

/** What one round carries from phase to phase: the open disk, the key it is under and the small writes made. */
export interface Round {
  disk: VirtualDisk;
  diskKey: 0 | 1;
  smallWrites: number[];
  /** Reproducible offsets for the small writes (the same places every round). */
  random(below: number): number;
}

type Report = (fraction: number) => void;

export interface Phase {
  /** The figure it measures. */
  id: string;
  /** Its name in the progress line. */
  name: string;
  unit: BenchUnit;
  /** For 'ms' figures: how many operations the phase times. */
  operations?: number;
  run(rig: BenchRig, round: Round, report: Report): Promise<void>;
}

/** In the order they run each round: the ceilings beside the operation they bound. */
export const PHASES: readonly Phase[] = [
  { id: 'aes', name: 'raw AES-GCM', unit: 'MB/s', run: rawAes },
  { id: 'sector-cipher', name: 'sector cipher', unit: 'MB/s', run: sectorCipher },
  { id: 'idb-write', name: 'raw IndexedDB write', unit: 'MB/s', run: rawWrite },
  { id: 'write', name: 'encrypted write', unit: 'MB/s', run: encryptedWrite },
  { id: 'idb-read', name: 'raw IndexedDB read', unit: 'MB/s', run: rawRead },
  { id: 'read', name: 'encrypted read', unit: 'MB/s', run: encryptedRead },
  { id: 'small-write', name: 'small guest writes', unit: 'ms', operations: SMALL_WRITES, run: smallWrites },
  { id: 'loop-whole', name: 'plain loop, whole records', unit: 'MB/s', run: loopWhole },
  { id: 'loop-sectors', name: 'plain loop, sector by sector', unit: 'MB/s', run: loopSectors },
  { id: 'reencrypt', name: 'deep re-encryption', unit: 'MB/s', run: deepReencrypt },
];

async function rawAes(rig: BenchRig, _round: Round, report: Report): Promise<void> {
  const block = randomBytes(RAW_CRYPTO_CALL);
  const iv = new Uint8Array(12);
  for (let done = 0; done < rig.diskBytes; done += RAW_CRYPTO_CALL) {
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, rig.keys[0], block);
    if (done % rig.chunkBytes === 0) report(done / rig.diskBytes);
  }
}

async function sectorCipher(rig: BenchRig, _round: Round, report: Report): Promise<void> {
  const { diskBytes, chunkBytes } = rig;
  for (let done = 0; done < diskBytes; done += chunkBytes) {
    await sealSectors(rig.keys[0], 'bench', done / SECTOR_SIZE, rig.plaintext.subarray(0, Math.min(chunkBytes, diskBytes - done)));
    report(done / diskBytes);
  }
}

function rawWrite(rig: BenchRig, _round: Round, report: Report): Promise<void> {
  return inQueue(rig.chunkCount, rig.queueDepth, async (chunk) => {
    const { first, last } = rig.chunkRange(chunk);
    const rows: WholeRecord[] = [];
    for (let k = first; k < last; k++) rows.push(rig.wholeRecord(k));
    await putAll(rig.raw, WHOLE, rows);
    report(last / rig.records);
  });
}

function encryptedWrite(rig: BenchRig, round: Round, report: Report): Promise<void> {
  const { diskBytes, chunkBytes } = rig;
  return inQueue(rig.chunkCount, rig.queueDepth, async (chunk) => {
    const offset = chunk * chunkBytes;
    await round.disk.write(offset, rig.plaintext.subarray(0, Math.min(chunkBytes, diskBytes - offset)));
    report((offset + chunkBytes) / diskBytes);
  });
}

function rawRead(rig: BenchRig, _round: Round, report: Report): Promise<void> {
  return inQueue(rig.chunkCount, rig.queueDepth, async (chunk) => {
    const { first, last } = rig.chunkRange(chunk);
    await getAll(rig.raw, WHOLE, first, last);
    report(last / rig.records);
  });
}

function encryptedRead(rig: BenchRig, round: Round, report: Report): Promise<void> {
  const { diskBytes, chunkBytes } = rig;
  return inQueue(rig.chunkCount, rig.queueDepth, async (chunk) => {
    const offset = chunk * chunkBytes;
    await round.disk.read(offset, Math.min(chunkBytes, diskBytes - offset));
    report((offset + chunkBytes) / diskBytes);
  });
}

async function smallWrites(rig: BenchRig, round: Round, report: Report): Promise<void> {
  round.smallWrites = Array.from({ length: SMALL_WRITES }, () => round.random(rig.diskBytes - SMALL_WRITE_BYTES));
  for (const [i, offset] of round.smallWrites.entries()) {
    await round.disk.write(offset, rig.plaintext.subarray(0, SMALL_WRITE_BYTES));
    report(i / SMALL_WRITES);
  }
}

/** The plain loop with one AES-GCM call per record: the ceiling deep re-encryption is held to. */
function loopWhole(rig: BenchRig, _round: Round, report: Report): Promise<void> {
  const { keys, recordBytes } = rig;
  return resealEveryChunk<WholeRecord>(rig, WHOLE, report, async (row) => {
    if (row.data.length !== recordBytes) return row;
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv }, keys[row.keyIndex]!, row.data);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys[1 - row.keyIndex]!, plain));
    return { k: row.k, keyIndex: 1 - row.keyIndex, iv, data };
  });
}

/** The plain loop over the disk's own format (sector by sector). */
function loopSectors(rig: BenchRig, _round: Round, report: Report): Promise<void> {
  const { keys, extentSectors } = rig;
  return resealEveryChunk<SectorRecord>(rig, SECTORS, report, async (row) => {
    const at = row.k * extentSectors;
    const plain = await openSectors(keys[row.keyIndex]!, row.sealedAs, row.sealedAt, row.data);
    const data = await sealSectors(keys[1 - row.keyIndex]!, 'bench', at, plain);
    return { k: row.k, keyIndex: 1 - row.keyIndex, sealedAs: 'bench', sealedAt: at, data };
  });
}

/** A plain loop's frame: each chunk read in one transaction, every record resealed at once, written in one more. */
async function resealEveryChunk<R>(rig: BenchRig, store: string, report: Report, reseal: (row: R) => Promise<R>): Promise<void> {
  for (let chunk = 0; chunk < rig.chunkCount; chunk++) {
    const { first, last } = rig.chunkRange(chunk);
    const rows = (await getAll(rig.raw, store, first, last)) as R[];
    await putAll(rig.raw, store, await Promise.all(rows.map(reseal)));
    report(last / rig.records);
  }
}

/** The storage layer's deep re-encryption, from the round's key to the other one, where the lab runs it (a worker). */
function deepReencrypt(rig: BenchRig, round: Round, report: Report): Promise<void> {
  const from = round.diskKey;
  round.diskKey = from === 0 ? 1 : 0;
  return diskWorkerPort().reencrypt(rig.bench, BENCH_DISK, {
    from: rig.keys[from],
    to: rig.keys[round.diskKey],
    toKeyTag: KEY_TAGS[round.diskKey],
    batchExtents: rig.extentsPerChunk,
    onProgress: (done, total) => report(done / total),
  });
}

/** Runs task(0..count-1) with at most `depth` in flight, in order of start. */
async function inQueue(count: number, depth: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(depth, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}
