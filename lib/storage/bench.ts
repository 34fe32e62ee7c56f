// The storage benchmark that runs in the learner's browser: encrypted disk write, read and deep re-encryption, each
// beside its ceiling measured on the same record size in the same run (raw AES-GCM, raw IndexedDB, plain loops).
// Pure library code: the diagnostics page and scripts/bench.mjs only call runStorageBench.
//
// Every phase runs `rounds` times, interleaved, and the best round counts: on a small shared machine the speed of
// WebCrypto and IndexedDB drifts by a third from one second to the next, and the best round is the least disturbed.
import { MIB } from '@/lib/units';
import { SEALED_SECTOR_SIZE, SECTOR_SIZE, openSectors, sealSectors } from '@/lib/crypto/sector-cipher';
import { openKeylabDb } from './db';
import { DEFAULT_EXTENT_SECTORS, extentCount, extentSpan, type DiskGeometry } from './layout';
import { reencryptDisk } from './reencrypt';
import { createDisk, openDisk, type VirtualDisk } from './virtual-disk';

export interface BenchOptions {
  /** Size of the test disk; 64 MiB by default. */
  diskBytes?: number;
  /** Sectors per extent record; the storage layer's default unless given (to compare record sizes). */
  extentSectors?: number;
  /** Bytes per read()/write() call and per raw transaction, rounded down to whole extents; about 4 MiB by default. */
  chunkBytes?: number;
  /** How many read()/write() calls are kept in flight, as a guest OS keeps several I/Os queued. */
  queueDepth?: number;
  /** How many times each phase runs; the best counts. 3 by default. */
  rounds?: number;
  /** Overall progress from 0 to 1, with the phase running. */
  onProgress?(fraction: number, phase: string): void;
}

export interface BenchFigure {
  id: string;
  label: string;
  value: number;
  /** 'MB/s': megabytes (10^6 bytes) of disk data per second, higher is better; 'ms': time per operation. */
  unit: 'MB/s' | 'ms';
  /** The ceiling this figure is compared with, if any. */
  ceiling?: { id: string; label: string; value: number; ratio: number };
}

export interface BenchResult {
  diskBytes: number;
  extentSectors: number;
  /** Bytes of one stored (sealed) extent record. */
  recordBytes: number;
  chunkBytes: number;
  queueDepth: number;
  rounds: number;
  figures: BenchFigure[];
  /** One line per figure, e.g. "deep re-encryption: 81.2 MB/s, ratio 0.83 of ceiling 97.8 MB/s". */
  lines: string[];
}

const BENCH_DB = 'keylab-bench';
const RAW_DB = 'keylab-bench-raw';
/** Records sealed whole (one AES-GCM call each): the raw IndexedDB ceilings and the whole-record loop use them. */
const WHOLE = 'whole';
/** Records in the disk's own format (sealed sector by sector): the sector-by-sector loop uses them. */
const SECTORS = 'sectors';
const RAW_CRYPTO_CALL = 64 * 1024;
const SMALL_WRITES = 40;
const SMALL_WRITE_BYTES = 200;

interface WholeRecord {
  k: number;
  keyIndex: number;
  iv: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

interface SectorRecord {
  k: number;
  keyIndex: number;
  /** The disk id and first sector the record was sealed as (the untimed fill puts pool records everywhere). */
  sealedAs: string;
  sealedAt: number;
  data: Uint8Array;
}

interface Definition {
  id: string;
  label: string;
  unit: 'MB/s' | 'ms';
  ceiling?: string;
}

const DEFINITIONS: Definition[] = [
  { id: 'aes', label: 'raw AES-GCM (64 KiB calls)', unit: 'MB/s' },
  { id: 'sector-cipher', label: 'sector cipher (4 KiB sectors)', unit: 'MB/s', ceiling: 'aes' },
  { id: 'idb-write', label: 'raw IndexedDB write', unit: 'MB/s' },
  { id: 'write', label: 'encrypted write', unit: 'MB/s', ceiling: 'idb-write' },
  { id: 'idb-read', label: 'raw IndexedDB read', unit: 'MB/s' },
  { id: 'read', label: 'encrypted read', unit: 'MB/s', ceiling: 'idb-read' },
  { id: 'small-write', label: `small guest write (${SMALL_WRITE_BYTES} B at a random offset)`, unit: 'ms' },
  { id: 'loop-whole', label: 'plain read-decrypt-encrypt-write loop (one AES-GCM call per record)', unit: 'MB/s' },
  { id: 'loop-sectors', label: 'plain read-decrypt-encrypt-write loop (sector by sector, the disk format)', unit: 'MB/s' },
  { id: 'reencrypt', label: 'deep re-encryption', unit: 'MB/s', ceiling: 'loop-whole' },
  { id: 'reencrypt-format', label: 'deep re-encryption', unit: 'MB/s', ceiling: 'loop-sectors' },
];

export async function runStorageBench(options: BenchOptions = {}): Promise<BenchResult> {
  const diskBytes = options.diskBytes ?? 64 * MIB;
  const extentSectors = options.extentSectors ?? DEFAULT_EXTENT_SECTORS;
  const extentBytes = extentSectors * SECTOR_SIZE;
  const extentsPerChunk = Math.max(1, Math.floor((options.chunkBytes ?? 4 * MIB) / extentBytes));
  const chunkBytes = extentsPerChunk * extentBytes;
  const queueDepth = options.queueDepth ?? 2;
  const rounds = Math.max(1, options.rounds ?? 3);
  const geometry: DiskGeometry = { sizeBytes: diskBytes, extentSectors };
  const records = extentCount(geometry);
  const chunkCount = Math.ceil(records / extentsPerChunk);
  const recordBytes = extentSectors * SEALED_SECTOR_SIZE;
  const mb = diskBytes / 1e6;

  const phaseIds = ['aes', 'sector-cipher', 'idb-write', 'write', 'idb-read', 'read', 'small-write', 'loop-whole', 'loop-sectors', 'reencrypt'];
  let step = 0;
  const totalSteps = phaseIds.length * rounds + 1;
  const progress = (phase: string, fraction: number) =>
    options.onProgress?.(Math.min(1, (step + Math.min(1, Math.max(0, fraction))) / totalSteps), phase);
  const best = new Map<string, number>();
  const keep = (id: string, value: number, unit: 'MB/s' | 'ms') => {
    const previous = best.get(id);
    if (previous === undefined || (unit === 'ms' ? value < previous : value > previous)) best.set(id, value);
  };
  /** Runs one phase and returns its seconds. */
  const timed = async (phase: string, work: (report: (fraction: number) => void) => Promise<void>) => {
    progress(phase, 0);
    const start = performance.now();
    await work((fraction) => progress(phase, fraction));
    const seconds = (performance.now() - start) / 1000;
    step += 1;
    progress(phase, 0);
    return seconds;
  };

  await deleteDatabase(BENCH_DB);
  await deleteDatabase(RAW_DB);
  const keys = [await aesKey(), await aesKey()] as const;
  const keyTags = ['bench-1', 'bench-2'];

  // Small pools of real ciphertext, so the loops can open what the raw phases wrote.
  const wholePool = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = randomBytes(recordBytes - 16);
      return { iv, data: new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys[0], plain)) };
    }),
  );
  const sectorPool = await Promise.all(
    Array.from({ length: 8 }, () => sealSectors(keys[0], 'bench-pool', 0, randomBytes(extentSectors * SECTOR_SIZE))),
  );
  const wholeRecord = (k: number): WholeRecord => {
    const source = wholePool[k % wholePool.length]!;
    const { sectors } = extentSpan(geometry, k);
    // A short last extent gets a short record; the whole-record loop then copies it unopened.
    const data = sectors === extentSectors ? source.data : source.data.slice(0, sectors * SEALED_SECTOR_SIZE);
    return { k, keyIndex: 0, iv: source.iv, data };
  };
  const chunkRange = (chunk: number) => {
    const first = chunk * extentsPerChunk;
    return { first, last: Math.min(records, first + extentsPerChunk) };
  };

  const raw = await openRaw();
  const bench = openKeylabDb(BENCH_DB);
  try {
    // Untimed: the disk-format records for the sector-by-sector loop, one pool record for every place.
    for (let chunk = 0; chunk < chunkCount; chunk++) {
      const { first, last } = chunkRange(chunk);
      const tx = raw.transaction(SECTORS, 'readwrite');
      for (let k = first; k < last; k++) {
        const { sectors } = extentSpan(geometry, k);
        const data = sectorPool[k % sectorPool.length]!.subarray(0, sectors * SEALED_SECTOR_SIZE).slice();
        tx.objectStore(SECTORS).put({ k, keyIndex: 0, sealedAs: 'bench-pool', sealedAt: 0, data } satisfies SectorRecord);
      }
      await transactionDone(tx);
    }
    let diskKey = 0;
    await createDisk(bench, { diskId: 'bench', datastoreId: 'bench', path: 'bench/bench-flat.vmdk', sizeBytes: diskBytes, dek: keys[0], keyTag: keyTags[0], extentSectors });
    const plaintext = randomBytes(chunkBytes);
    const random = seeded(7);
    let smallWrites: number[] = [];
    step += 1;

    for (let round = 0; round < rounds; round++) {
      const disk: VirtualDisk = await openDisk(bench, 'bench', keys[diskKey]!);

      keep('aes', mb / (await timed('raw AES-GCM', async (report) => {
        const block = randomBytes(RAW_CRYPTO_CALL);
        const iv = new Uint8Array(12);
        for (let done = 0; done < diskBytes; done += RAW_CRYPTO_CALL) {
          await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys[0], block);
          if (done % chunkBytes === 0) report(done / diskBytes);
        }
      })), 'MB/s');

      keep('sector-cipher', mb / (await timed('sector cipher', async (report) => {
        for (let done = 0; done < diskBytes; done += chunkBytes) {
          await sealSectors(keys[0], 'bench', done / SECTOR_SIZE, plaintext.subarray(0, Math.min(chunkBytes, diskBytes - done)));
          report(done / diskBytes);
        }
      })), 'MB/s');

      keep('idb-write', mb / (await timed('raw IndexedDB write', (report) =>
        inQueue(chunkCount, queueDepth, async (chunk) => {
          const { first, last } = chunkRange(chunk);
          const tx = raw.transaction(WHOLE, 'readwrite');
          for (let k = first; k < last; k++) tx.objectStore(WHOLE).put(wholeRecord(k));
          await transactionDone(tx);
          report(last / records);
        }),
      )), 'MB/s');

      keep('write', mb / (await timed('encrypted write', (report) =>
        inQueue(chunkCount, queueDepth, async (chunk) => {
          const offset = chunk * chunkBytes;
          await disk.write(offset, plaintext.subarray(0, Math.min(chunkBytes, diskBytes - offset)));
          report((offset + chunkBytes) / diskBytes);
        }),
      )), 'MB/s');

      keep('idb-read', mb / (await timed('raw IndexedDB read', (report) =>
        inQueue(chunkCount, queueDepth, async (chunk) => {
          const { first, last } = chunkRange(chunk);
          await getAll(raw, WHOLE, first, last);
          report(last / records);
        }),
      )), 'MB/s');

      keep('read', mb / (await timed('encrypted read', (report) =>
        inQueue(chunkCount, queueDepth, async (chunk) => {
          const offset = chunk * chunkBytes;
          await disk.read(offset, Math.min(chunkBytes, diskBytes - offset));
          report((offset + chunkBytes) / diskBytes);
        }),
      )), 'MB/s');

      const smallSeconds = await timed('small guest writes', async (report) => {
        smallWrites = Array.from({ length: SMALL_WRITES }, () => random(diskBytes - SMALL_WRITE_BYTES));
        for (const [i, offset] of smallWrites.entries()) {
          await disk.write(offset, plaintext.subarray(0, SMALL_WRITE_BYTES));
          report(i / SMALL_WRITES);
        }
      });
      keep('small-write', (smallSeconds * 1000) / SMALL_WRITES, 'ms');

      keep('loop-whole', mb / (await timed('plain loop, whole records', async (report) => {
        for (let chunk = 0; chunk < chunkCount; chunk++) {
          const { first, last } = chunkRange(chunk);
          const rows = (await getAll(raw, WHOLE, first, last)) as WholeRecord[];
          const next = await Promise.all(
            rows.map(async (row): Promise<WholeRecord> => {
              if (row.data.length !== recordBytes) return row;
              const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv }, keys[row.keyIndex]!, row.data);
              const iv = crypto.getRandomValues(new Uint8Array(12));
              const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys[1 - row.keyIndex]!, plain));
              return { k: row.k, keyIndex: 1 - row.keyIndex, iv, data };
            }),
          );
          const tx = raw.transaction(WHOLE, 'readwrite');
          for (const row of next) tx.objectStore(WHOLE).put(row);
          await transactionDone(tx);
          report(last / records);
        }
      })), 'MB/s');

      keep('loop-sectors', mb / (await timed('plain loop, sector by sector', async (report) => {
        for (let chunk = 0; chunk < chunkCount; chunk++) {
          const { first, last } = chunkRange(chunk);
          const rows = (await getAll(raw, SECTORS, first, last)) as SectorRecord[];
          const next = await Promise.all(
            rows.map(async (row): Promise<SectorRecord> => {
              const at = row.k * extentSectors;
              const plain = await openSectors(keys[row.keyIndex]!, row.sealedAs, row.sealedAt, row.data);
              const data = await sealSectors(keys[1 - row.keyIndex]!, 'bench', at, plain);
              return { k: row.k, keyIndex: 1 - row.keyIndex, sealedAs: 'bench', sealedAt: at, data };
            }),
          );
          const tx = raw.transaction(SECTORS, 'readwrite');
          for (const row of next) tx.objectStore(SECTORS).put(row);
          await transactionDone(tx);
          report(last / records);
        }
      })), 'MB/s');

      const from = diskKey;
      diskKey = 1 - diskKey;
      keep('reencrypt', mb / (await timed('deep re-encryption', (report) =>
        reencryptDisk(bench, 'bench', {
          from: keys[from]!,
          to: keys[diskKey]!,
          toKeyTag: keyTags[diskKey],
          batchExtents: extentsPerChunk,
          onProgress: (done, total) => report(done / total),
        }),
      )), 'MB/s');
    }

    // The disk must still read back under its final key: a benchmark of a broken re-encryption is worthless.
    const check = await openDisk(bench, 'bench', keys[diskKey]!);
    const sampleBytes = Math.min(chunkBytes, diskBytes);
    const expected = plaintext.slice(0, sampleBytes);
    for (const offset of smallWrites) {
      if (offset < sampleBytes) expected.set(plaintext.subarray(0, Math.min(SMALL_WRITE_BYTES, sampleBytes - offset)), offset);
    }
    const sample = await check.read(0, sampleBytes);
    if (!sample.every((byte, i) => byte === expected[i])) {
      throw new Error('The re-encrypted benchmark disk did not read back.');
    }
  } finally {
    raw.close();
    bench.close();
    await deleteDatabase(BENCH_DB);
    await deleteDatabase(RAW_DB);
  }
  best.set('reencrypt-format', best.get('reencrypt')!);
  options.onProgress?.(1, 'done');

  const figures: BenchFigure[] = [];
  for (const def of DEFINITIONS) {
    const value = best.get(def.id)!;
    const ceiling = def.ceiling ? figures.find((f) => f.id === def.ceiling) : undefined;
    figures.push({
      id: def.id,
      label: def.label,
      value,
      unit: def.unit,
      ceiling: ceiling && { id: ceiling.id, label: ceiling.label, value: ceiling.value, ratio: value / ceiling.value },
    });
  }
  return {
    diskBytes,
    extentSectors,
    recordBytes,
    chunkBytes,
    queueDepth,
    rounds,
    figures,
    lines: figures.map(formatFigure),
  };
}

export function formatFigure(figure: BenchFigure): string {
  const own = `${figure.label}: ${figure.value.toFixed(1)} ${figure.unit}`;
  if (!figure.ceiling) return own;
  return `${own}, ratio ${figure.ceiling.ratio.toFixed(2)} of ${figure.ceiling.label} ${figure.ceiling.value.toFixed(1)} ${figure.unit}`;
}

async function aesKey(): Promise<CryptoKey> {
  return (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])) as CryptoKey;
}

/** Random bytes (getRandomValues gives at most 64 KiB per call). */
function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(length, at + 65536)));
  return bytes;
}

/** Reproducible offsets, so every round writes the same places. */
function seeded(seed: number): (below: number) => number {
  let x = seed;
  return (below) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % below;
  };
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

function openRaw(): Promise<IDBDatabase> {
  const req = indexedDB.open(RAW_DB, 1);
  req.onupgradeneeded = () => {
    req.result.createObjectStore(WHOLE, { keyPath: 'k' });
    req.result.createObjectStore(SECTORS, { keyPath: 'k' });
  };
  return request(req);
}

function getAll(db: IDBDatabase, store: string, first: number, last: number): Promise<unknown[]> {
  const tx = db.transaction(store, 'readonly');
  return request(tx.objectStore(store).getAll(IDBKeyRange.bound(first, last, false, true)));
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}
