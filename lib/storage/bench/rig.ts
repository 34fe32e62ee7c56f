// The benchmark's test bench: its sizes worked out from the options, two keys, the two databases (keylab's own disk
// and the raw ceilings' records) and the pools of real ciphertext the raw phases write, so the loops can open them.
import { MIB } from '@/lib/units';
import { SEALED_SECTOR_SIZE, SECTOR_SIZE, sealSectors } from '@/lib/crypto/sector-cipher';
import { openKeylabDb, type KeylabDb } from '../db';
import { DEFAULT_EXTENT_SECTORS, extentCount, extentSpan, type DiskGeometry } from '../layout';
import { createDisk } from '../virtual-disk';
import type { BenchOptions } from './figures';
import { RAW_DB, SECTORS, deleteDatabase, openRaw, putAll, type SectorRecord, type WholeRecord } from './raw-idb';

export const BENCH_DB = 'keylab-bench';
/** The benchmark disk's id in BENCH_DB. */
export const BENCH_DISK = 'bench';
export const KEY_TAGS = ['bench-1', 'bench-2'] as const;
const POOL_RECORDS = 8;

export interface BenchSizes {
  diskBytes: number;
  extentSectors: number;
  extentsPerChunk: number;
  /** Bytes per read()/write() call and per raw transaction: whole extents. */
  chunkBytes: number;
  queueDepth: number;
  rounds: number;
  geometry: DiskGeometry;
  /** Extent records on the disk. */
  records: number;
  chunkCount: number;
  /** Bytes of one stored (sealed) extent record. */
  recordBytes: number;
  /** The disk's size in megabytes (10^6 bytes), which every MB/s figure divides. */
  mb: number;
}

export interface BenchRig extends BenchSizes {
  keys: readonly [CryptoKey, CryptoKey];
  /** One chunk of random guest data, written everywhere. */
  plaintext: Uint8Array<ArrayBuffer>;
  raw: IDBDatabase;
  bench: KeylabDb;
  /** Extent records first (included) to last (excluded) of a chunk. */
  chunkRange(chunk: number): { first: number; last: number };
  /** A whole-sealed record for place k, taken from the pool. */
  wholeRecord(k: number): WholeRecord;
}

export function benchSizes(options: BenchOptions): BenchSizes {
  const diskBytes = options.diskBytes ?? 64 * MIB;
  const extentSectors = options.extentSectors ?? DEFAULT_EXTENT_SECTORS;
  const extentBytes = extentSectors * SECTOR_SIZE;
  const extentsPerChunk = Math.max(1, Math.floor((options.chunkBytes ?? 4 * MIB) / extentBytes));
  const geometry: DiskGeometry = { sizeBytes: diskBytes, extentSectors };
  const records = extentCount(geometry);
  return {
    diskBytes,
    extentSectors,
    extentsPerChunk,
    chunkBytes: extentsPerChunk * extentBytes,
    queueDepth: options.queueDepth ?? 2,
    rounds: Math.max(1, options.rounds ?? 3),
    geometry,
    records,
    chunkCount: Math.ceil(records / extentsPerChunk),
    recordBytes: extentSectors * SEALED_SECTOR_SIZE,
    mb: diskBytes / 1e6,
  };
}

/** Sets the bench up from nothing (left-over databases of a broken run are deleted first); untimed. */
export async function buildRig(sizes: BenchSizes): Promise<BenchRig> {
  const { extentSectors, extentsPerChunk, geometry, records, recordBytes } = sizes;
  await dropDatabases();
  const keys = [await aesKey(), await aesKey()] as const;

  const wholePool = await Promise.all(
    Array.from({ length: POOL_RECORDS }, async () => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = randomBytes(recordBytes - 16);
      return { iv, data: new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys[0], plain)) };
    }),
  );
  const sectorPool = await Promise.all(
    Array.from({ length: POOL_RECORDS }, () => sealSectors(keys[0], 'bench-pool', 0, randomBytes(extentSectors * SECTOR_SIZE))),
  );
  const chunkRange = (chunk: number) => {
    const first = chunk * extentsPerChunk;
    return { first, last: Math.min(records, first + extentsPerChunk) };
  };
  const wholeRecord = (k: number): WholeRecord => {
    const source = wholePool[k % wholePool.length]!;
    const { sectors } = extentSpan(geometry, k);
    // A short last extent gets a short record; the whole-record loop then copies it unopened.
    const data = sectors === extentSectors ? source.data : source.data.slice(0, sectors * SEALED_SECTOR_SIZE);
    return { k, keyIndex: 0, iv: source.iv, data };
  };

  const raw = await openRaw();
  const bench = openKeylabDb(BENCH_DB);
  try {
    // The disk-format records for the sector-by-sector loop, one pool record for every place.
    for (let chunk = 0; chunk < sizes.chunkCount; chunk++) {
      const { first, last } = chunkRange(chunk);
      const rows: SectorRecord[] = [];
      for (let k = first; k < last; k++) {
        const { sectors } = extentSpan(geometry, k);
        const data = sectorPool[k % sectorPool.length]!.subarray(0, sectors * SEALED_SECTOR_SIZE).slice();
        rows.push({ k, keyIndex: 0, sealedAs: 'bench-pool', sealedAt: 0, data });
      }
      await putAll(raw, SECTORS, rows);
    }
    await createDisk(bench, {
      diskId: BENCH_DISK,
      datastoreId: 'bench',
      path: 'bench/bench-flat.vmdk',
      sizeBytes: sizes.diskBytes,
      dek: keys[0],
      keyTag: KEY_TAGS[0],
      extentSectors,
    });
  } catch (error) {
    await closeRig({ raw, bench });
    throw error;
  }
  return { ...sizes, keys, plaintext: randomBytes(sizes.chunkBytes), raw, bench, chunkRange, wholeRecord };
}

/** Closes both databases and deletes them: the benchmark leaves nothing behind. */
export async function closeRig({ raw, bench }: Pick<BenchRig, 'raw' | 'bench'>): Promise<void> {
  raw.close();
  bench.close();
  await dropDatabases();
}

async function dropDatabases(): Promise<void> {
  await deleteDatabase(BENCH_DB);
  await deleteDatabase(RAW_DB);
}

async function aesKey(): Promise<CryptoKey> {
  return (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])) as CryptoKey;
}

/** Random bytes (getRandomValues gives at most 64 KiB per call). */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(length, at + 65536)));
  return bytes;
}
