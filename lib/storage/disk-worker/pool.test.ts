// The disk-worker pool over real MessagePorts (structured clone and transfer, as between a page and its workers), with
// the worker's side (DiskJobServer) on the other end: disks read and write through it byte for byte, errors come back
// as their own classes, a deep re-key runs on the "worker's" own connection with progress and abort, and the page's
// world-stamp count keeps a save made while such a job is in flight from vouching for the world.
import { afterEach, describe, expect, it } from 'vitest';
import { SECTOR_SIZE, SectorIntegrityError } from '@/lib/crypto/sector-cipher';
import { KeylabDb, openKeylabDb } from '../db';
import { DiskExtentMissingError, DiskKeyError } from '../errors';
import { loadLabRecord, saveLab } from '../lab-store';
import { getReencryptJournal } from '../reencrypt';
import { closeAfterEach, knownBytes, newDek, uniqueDbName } from '../test-support';
import { createDisk, getDiskHeader, openDisk } from '../virtual-disk';
import { stampedWritesIssued } from '../world-stamp';
import { diskWorkerCount } from './browser';
import { DiskWorkerPool, type WorkerLike } from './pool';
import { diskWorkerPort, routeDiskWorkThrough } from './port';
import { DiskJobServer } from './serve';

const track = closeAfterEach();
const undo: (() => void)[] = [];
afterEach(() => {
  for (const fn of undo.splice(0).reverse()) fn();
});

interface Harness {
  pool: DiskWorkerPool;
  /** Jobs each "worker" received, by op. */
  received: string[];
}

/** A pool of `n` workers, each a MessagePort pair with a DiskJobServer at the far end, installed as the port. */
function workerPool(n = 2, { ready = true } = {}): Harness {
  const received: string[] = [];
  const ports = Array.from({ length: n }, () => {
    const { port1, port2 } = new MessageChannel();
    if (ready) {
      const server = new DiskJobServer((message, transfer) => port2.postMessage(message, transfer), (name) => track(new KeylabDb(name)));
      port2.onmessage = (event) => {
        if ('job' in event.data) received.push(event.data.job.op);
        server.handle(event.data);
      };
    } else {
      port2.onmessage = (event) => received.push('job' in event.data ? event.data.job.op : 'abort');
    }
    undo.push(() => port2.close());
    return port1 as unknown as WorkerLike;
  });
  const pool = new DiskWorkerPool(ports);
  undo.push(routeDiskWorkThrough(pool), () => pool.close());
  return { pool, received };
}

/** Waits for the workers' "ready" messages to arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const EXTENT = 4;
const SIZE = 40 * SECTOR_SIZE;

async function encryptedDisk(label: string, dek: CryptoKey) {
  const db = track(openKeylabDb(uniqueDbName(label)));
  const disk = await createDisk(db, { diskId: 'd', datastoreId: 'ds', path: 'vm/vm-flat.vmdk', sizeBytes: SIZE, dek, keyTag: 'k1', extentSectors: EXTENT });
  return { db, disk };
}

describe('disk worker pool', () => {
  it('sizes itself from the cores, keeping one for the page', () => {
    expect([undefined, 1, 2, 3, 4, 8, 64].map(diskWorkerCount)).toEqual([1, 1, 1, 2, 3, 4, 4]);
  });

  it('seals and opens in the workers: what is written reads back, the jobs spread over both', async () => {
    const { pool, received } = workerPool(2);
    await settle();
    expect(pool.where).toBe('2 disk workers');
    const { disk } = await encryptedDisk('pool-rw', await newDek());
    const data = knownBytes(SIZE, 3);
    await disk.write(0, data);
    // A write that starts and ends inside sectors: the edges are opened, merged and sealed again.
    const patch = knownBytes(5000, 4);
    await disk.write(3 * SECTOR_SIZE + 100, patch);
    data.set(patch, 3 * SECTOR_SIZE + 100);
    expect(await disk.read(0, SIZE)).toEqual(data);
    expect(await disk.read(1234, 77)).toEqual(data.subarray(1234, 1311));
    expect(received.filter((op) => op === 'seal').length).toBeGreaterThan(10);
    expect(received).toContain('open');
  });

  it('leaves the caller its bytes unless it gives them, and takes them when given', async () => {
    workerPool(1);
    await settle();
    const key = await newDek();
    const plain = knownBytes(2 * SECTOR_SIZE, 5);
    const sealed = await diskWorkerPort().seal(key, 'd', 0, { bytes: plain });
    expect(plain.byteLength).toBe(2 * SECTOR_SIZE);
    const given = plain.slice();
    expect(await diskWorkerPort().open(key, 'd', 0, { bytes: sealed, give: true })).toEqual(plain);
    expect(sealed.byteLength).toBe(0);
    await diskWorkerPort().seal(key, 'd', 0, { bytes: given, give: true });
    expect(given.byteLength).toBe(0);
  });

  it('brings a tampered sector, a missing extent and a wrong key back as their own errors', async () => {
    workerPool(1);
    await settle();
    const dek = await newDek();
    const { db, disk } = await encryptedDisk('pool-errors', dek);
    await disk.write(0, knownBytes(SIZE, 6));
    const row = (await db.extents.get(['d', 2]))!;
    row.data[5000]! ^= 1;
    await db.extents.put(row);
    const tampered = await disk.read(0, SIZE).catch((error: unknown) => error);
    expect(tampered).toBeInstanceOf(SectorIntegrityError);
    expect(tampered).toMatchObject({ diskId: 'd', sector: 2 * EXTENT + 1 });

    await expect(diskWorkerPort().reencrypt(db, 'd', { from: await newDek(), to: null })).rejects.toBeInstanceOf(DiskKeyError);
    await db.extents.delete(['d', 3]);
    const rekey = diskWorkerPort().reencrypt(db, 'd', { from: dek, to: await newDek(), toKeyTag: 'k2' });
    await expect(rekey).rejects.toBeInstanceOf(DiskExtentMissingError);
    await expect(rekey).rejects.toMatchObject({ diskId: 'd', firstSector: 3 * EXTENT, sectors: EXTENT });
  });

  it('deep re-keys on the worker\'s own connection, with progress, abort and resume, and the disk reads back', async () => {
    const { received } = workerPool(1);
    await settle();
    const [k1, k2] = [await newDek(), await newDek()];
    const { db, disk } = await encryptedDisk('pool-rekey', k1);
    const data = knownBytes(SIZE, 7);
    await disk.write(0, data);

    const controller = new AbortController();
    const seen: number[] = [];
    const first = diskWorkerPort().reencrypt(db, 'd', {
      from: k1,
      to: k2,
      toKeyTag: 'k2',
      batchExtents: 1,
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done >= 3 * EXTENT * SECTOR_SIZE) controller.abort(new Error('learner cancelled'));
      },
    });
    await expect(first).rejects.toThrow('learner cancelled');
    const journal = await getReencryptJournal(db, 'd');
    expect(journal?.nextExtent).toBeGreaterThanOrEqual(3);
    expect(journal!.nextExtent).toBeLessThan(10);

    await diskWorkerPort().reencrypt(db, 'd', { from: k1, to: k2, toKeyTag: 'k2', batchExtents: 3, onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(SIZE);
    expect(received.filter((op) => op === 'reencrypt')).toHaveLength(2);
    expect(await getReencryptJournal(db, 'd')).toBeUndefined();
    expect((await getDiskHeader(db, 'd'))?.keyTag).toBe('k2');
    expect(await (await openDisk(db, 'd', k2)).read(0, SIZE)).toEqual(data);
  });

  it('keeps a save made while a worker job is in flight from vouching for the world', async () => {
    workerPool(1);
    await settle();
    const [k1, k2] = [await newDek(), await newDek()];
    const { db, disk } = await encryptedDisk('pool-stamp', k1);
    await disk.write(0, knownBytes(SIZE, 8));
    await db.keyVault.put({ id: 'kek', owner: 'kms:a', key: k1, createdAt: 0 }); // a stamped write: the stamp exists
    const quietBefore = stampedWritesIssued(db);

    const rekey = diskWorkerPort().reencrypt(db, 'd', { from: k1, to: k2, toKeyTag: 'k2', batchExtents: 1 });
    const during = stampedWritesIssued(db);
    expect(during).toBeNaN();
    await saveLab(db, 'lab', { at: 'during' }, during);
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(false);
    await rekey;

    // Finished, and it wrote no datastore file or key: the count is back, and a quiet save vouches again.
    expect(stampedWritesIssued(db)).toBe(quietBefore);
    await saveLab(db, 'lab', { at: 'after' }, stampedWritesIssued(db));
    expect((await loadLabRecord(db, 'lab'))?.worldUnchanged).toBe(true);
  });

  it('does the work on this thread until a worker has loaded (or when none ever does)', async () => {
    const { pool, received } = workerPool(1, { ready: false });
    await settle();
    expect(pool.where).toMatch(/^this thread/);
    const { disk } = await encryptedDisk('pool-unloaded', await newDek());
    const data = knownBytes(SIZE, 9);
    await disk.write(0, data);
    expect(await disk.read(0, SIZE)).toEqual(data);
    expect(received).toEqual([]);
  });
});
