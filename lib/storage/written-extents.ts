// Which extents of a disk have been written: one bit per extent in the disk's header. IndexedDB loses a record
// without a word when a row is deleted by hand or by a damaged profile; with this map such a hole is reported as
// damage instead of being read back as zeros the guest never wrote.
import type { DiskRow, ExtentRow } from './db';
import { DiskExtentMissingError } from './errors';
import { extentSpan } from './layout';

/** An empty map for a disk of `extents` extents. */
export function noExtentsWritten(extents: number): Uint8Array {
  return new Uint8Array(Math.ceil(extents / 8));
}

export function isExtentWritten(map: Uint8Array | undefined, index: number): boolean {
  if (map === undefined) return false;
  const byte = map[index >> 3];
  return byte !== undefined && (byte & (1 << (index & 7))) !== 0;
}

/** The map with these extents marked, or null when every one was already marked (the header need not be written). */
export function markExtentsWritten(map: Uint8Array | undefined, indices: Iterable<number>): Uint8Array | null {
  // A disk stored before the map was kept gets one now; what it wrote before cannot be known, so is not claimed.
  let next: Uint8Array | null = null;
  for (const index of indices) {
    if (isExtentWritten(next ?? map, index)) continue;
    if (next === null) {
      next = new Uint8Array(Math.max(map?.length ?? 0, (index >> 3) + 1));
      if (map) next.set(map);
    } else if ((index >> 3) >= next.length) {
      const grown = new Uint8Array((index >> 3) + 1);
      grown.set(next);
      next = grown;
    }
    next[index >> 3]! |= 1 << (index & 7);
  }
  return next;
}

/**
 * Throws DiskExtentMissingError for the first extent in [first, last] that the disk wrote but the records read for
 * that range (`present`) lack.
 */
export function assertWrittenExtentsPresent(
  header: DiskRow,
  first: number,
  last: number,
  present: readonly (Pick<ExtentRow, 'index'> | undefined)[],
): void {
  if (header.writtenExtents === undefined) return;
  const have = new Set(present.flatMap((row) => (row ? [row.index] : [])));
  for (let index = first; index <= last; index++) {
    if (have.has(index) || !isExtentWritten(header.writtenExtents, index)) continue;
    const { firstSector, sectors } = extentSpan({ sizeBytes: header.sizeBytes, extentSectors: header.extentSectors }, index);
    throw new DiskExtentMissingError(header.diskId, header.path, firstSector, sectors);
  }
}
