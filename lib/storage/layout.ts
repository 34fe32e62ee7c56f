// Where a disk's sectors live: how bytes map to sectors and sectors to extent records.
import { SEALED_SECTOR_SIZE, SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { DiskRangeError } from './errors';

/**
 * Sectors per extent record for new disks. PLACEHOLDER until measured (see the comment that replaces this one).
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
