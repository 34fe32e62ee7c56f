// A new VM's disk content built in memory (formatted, guest files written) so it reaches storage in ONE disk write:
// each extent is sealed and stored once instead of once per file system write.
import { formatGuestFs, writeGuestFile, type GuestDisk } from '@/lib/guest/guest-fs';

const SECTOR = 4096;

/** Grows as the file system writes to it; what was never written reads as zeros, like the sparse disk below. */
class ImageDisk implements GuestDisk {
  private bytes = new Uint8Array(64 * 1024);
  used = 0;

  constructor(
    readonly diskId: string,
    readonly sizeBytes: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    if (offset < this.used) out.set(this.bytes.subarray(offset, Math.min(this.used, offset + length)));
    return out;
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    const end = offset + data.length;
    if (end > this.sizeBytes) throw new RangeError(`Write past the end of disk ${this.diskId}.`);
    if (end > this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.sizeBytes, Math.max(end, this.bytes.length * 2)));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(data, offset);
    this.used = Math.max(this.used, end);
  }

  /** Whole sectors from the start of the disk up to the last byte written. */
  image(): Uint8Array {
    const length = Math.min(this.sizeBytes, Math.ceil(this.used / SECTOR) * SECTOR);
    const out = new Uint8Array(length);
    out.set(this.bytes.subarray(0, Math.min(length, this.bytes.length)));
    return out;
  }
}

/** Formats the guest file system and writes the files, in memory; returns the bytes to write at offset 0. */
export async function buildGuestImage(
  diskId: string,
  sizeBytes: number,
  files: { name: string; text: string }[],
): Promise<Uint8Array> {
  const disk = new ImageDisk(diskId, sizeBytes);
  await formatGuestFs(disk);
  for (const file of files) await writeGuestFile(disk, file.name, file.text);
  return disk.image();
}
