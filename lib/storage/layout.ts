// Where a disk's sectors live: how bytes map to sectors and sectors to extent records.
import { SEALED_SECTOR_SIZE, SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { DiskRangeError } from './errors';

/**
 * Sectors per extent record for new disks: 256 sectors, i.e. 1 MiB of guest data in a 1,055,744-byte record.
 *
 * Measured with `npm run bench` (64 MiB disk, headless Chromium 156, persistent profile, 2 shared cores, best of 3;
 * MB/s of disk data; BENCH_EXTENT_SECTORS=15,64,256,1024 compares them in one run):
 *
 *   sectors  record bytes  raw IDB write  encrypted write  deep re-encryption  plain loop  small 200 B write
 *        15        61,860        84             47                 21              27              -
 *        64       263,936       105             57                 31              55              -
 *       256     1,055,744    121-133          66-76              34-48           49-58          27-30 ms
 *      1024     4,222,976       120             67                 39              53             75 ms
 *
 * 15 sectors is the largest record under Chromium's ~65,520-byte edge (values from there up go to a file of their
 * own): it stays inline but pays IndexedDB's per-record cost 17 times per MiB, and loses everywhere. From 256 up the
 * big figures stop growing while a small guest write, which rewrites its whole record, keeps getting dearer.
 *
 * Why encrypted writes stay near 0.55-0.6 of raw IndexedDB writes (goal 0.7): on this machine the 4 KiB-sector
 * AES-GCM calls (about 200 MB/s; per-call overhead, not AES, dominates) and IndexedDB's writes each keep both cores
 * busy, so they cannot overlap: 4 MiB of sector crypto and a 4 MiB IndexedDB write run side by side take as long as
 * one after the other (about 24 + 34 ms alone, 58-65 ms together). Four writes in flight instead of two did not help
 * (0.42). Deep re-encryption matches the plain loop over the disk's own sector format (ratio 0.95-1.0) and reaches
 * 0.66-0.81 of a loop that seals each record whole with 256 times fewer WebCrypto calls. With other work loading the
 * machine (load average 8), all figures roughly halve and the ratios fall to 0.42-0.55 (write) and 0.62-0.80
 * (re-encryption): the main thread, which pays for every WebCrypto call, is what the crypto side runs short of.
 *
 * Since the sector crypto and deep re-keys moved to a disk worker (disk-worker/), the page no longer pays for the
 * calls, but the two cores are still shared: measured back to back on 2026-12-08 (load average about 9), the page's
 * thread vs the worker gave encrypted write 0.53 vs 0.48 of raw IndexedDB, read 0.49 vs 0.37, deep re-encryption 0.74
 * vs 0.70 of the whole-record loop (0.94 vs 0.97 of the sector-by-sector loop), all within the run-to-run noise. The
 * ceiling the disk format sets is the 4 KiB-call rate of AES-GCM (one call per sector, for the per-sector nonce and
 * the sector's address in the AAD): 143-167 MB/s in those runs, below raw IndexedDB reads (156-248 MB/s), so an
 * encrypted read cannot reach 0.7 of them here however well the two overlap.
 */
export const DEFAULT_EXTENT_SECTORS = 256;

export interface DiskGeometry {
  readonly sizeBytes: number;
  readonly extentSectors: number;
}

/** Bytes one stored sector takes: sealed (nonce + ciphertext + tag) or plaintext. */
export function storedSectorSize(keyTag: string | null): number {
  return keyTag === null ? SECTOR_SIZE : SEALED_SECTOR_SIZE;
}

export function sectorCount(disk: DiskGeometry): number {
  return disk.sizeBytes / SECTOR_SIZE;
}

export function extentCount(disk: DiskGeometry): number {
  return Math.ceil(sectorCount(disk) / disk.extentSectors);
}

/** The first sector of an extent and how many sectors it holds (the last extent may be shorter). */
export function extentSpan(disk: DiskGeometry, index: number): { firstSector: number; sectors: number } {
  const firstSector = index * disk.extentSectors;
  return { firstSector, sectors: Math.min(disk.extentSectors, sectorCount(disk) - firstSector) };
}

export function checkDiskSize(sizeBytes: number): void {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0 || sizeBytes % SECTOR_SIZE !== 0) {
    throw new DiskRangeError(`A disk size must be a positive whole number of ${SECTOR_SIZE}-byte sectors; got ${sizeBytes}.`);
  }
}

export function checkExtentSectors(extentSectors: number): void {
  if (!Number.isSafeInteger(extentSectors) || extentSectors < 1 || extentSectors > 4096) {
    throw new DiskRangeError(`Sectors per extent must be a whole number from 1 to 4096; got ${extentSectors}.`);
  }
}

/** Refuses a byte range that does not lie within the disk. */
export function checkRange(diskId: string, disk: DiskGeometry, offset: number, length: number): void {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > disk.sizeBytes
  ) {
    throw new DiskRangeError(
      `Bytes ${offset} to ${offset + length} are outside virtual disk "${diskId}" (${disk.sizeBytes} bytes).`,
    );
  }
}
