// Guest file names are Unicode NFC: "é.txt" typed as one character or as "e" plus a combining accent is one file.
import { describe, expect, it } from 'vitest';
import { deleteGuestFile, formatGuestFs, listGuestFiles, readGuestFile, writeGuestFile, type GuestDisk } from './guest-fs';

/** A plain in-memory disk (the real one encrypts sectors; names are the file system's business alone). */
function memoryDisk(sizeBytes = 256 * 1024): GuestDisk & { bytes: Uint8Array } {
  const bytes = new Uint8Array(sizeBytes);
  return {
    diskId: 'mem-1',
    sizeBytes,
    bytes,
    read: async (offset, length) => bytes.slice(offset, offset + length),
    write: async (offset, data) => void bytes.set(data, offset),
  };
}

const NFC = '\u00e9.txt'; // é as one code point
const NFD = 'e\u0301.txt'; // e + combining acute accent

describe('guest file names', () => {
  it('treats the two ways of typing "é.txt" as one file, kept in NFC', async () => {
    const disk = memoryDisk();
    await formatGuestFs(disk);
    await writeGuestFile(disk, NFD, 'first');
    await writeGuestFile(disk, NFC, 'second');
    expect(await listGuestFiles(disk)).toEqual([{ name: NFC, size: 6 }]);
    expect(await readGuestFile(disk, NFD)).toBe('second');
    expect(await readGuestFile(disk, NFC)).toBe('second');
    await deleteGuestFile(disk, NFD);
    expect(await listGuestFiles(disk)).toEqual([]);
  });

  it('finds a file a lab saved under its decomposed name before names were normalised, and replaces it', async () => {
    const disk = memoryDisk();
    await formatGuestFs(disk);
    await writeGuestFile(disk, 'x.txt', 'old');
    // Rewrite the directory as an older keylab would have left it: the same entry, named in NFD.
    const header = new TextDecoder().decode(disk.bytes.subarray(0, 32 * 1024)).replace(/\0+$/, '');
    const patched = new TextEncoder().encode(header.replace('"x.txt"', JSON.stringify(NFD)));
    disk.bytes.fill(0, 0, 32 * 1024);
    disk.bytes.set(patched, 0);
    expect(await readGuestFile(disk, NFC)).toBe('old');
    await writeGuestFile(disk, NFC, 'new');
    expect(await listGuestFiles(disk)).toEqual([{ name: NFC, size: 3 }]);
  });

  it('counts the 64-character limit on the NFC form', async () => {
    const disk = memoryDisk();
    await formatGuestFs(disk);
    // 40 "é" are 80 code points decomposed but 40 characters composed: allowed.
    await writeGuestFile(disk, 'e\u0301'.repeat(40), 'ok');
    expect((await listGuestFiles(disk))[0]?.name).toBe('\u00e9'.repeat(40));
  });
});
