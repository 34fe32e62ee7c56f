// A tiny flat file system inside a VM's virtual disk, so the learner's guest files really live in (encrypted) sectors.
//
// Layout, in 4 KiB blocks (the disk cipher's sector size, so a file write touches only its own sectors):
//   blocks 0..7   header: the magic line "KEYLAB-GUESTFS 1\n", then the directory as JSON, then zeros
//   blocks 8..    file data, each file in one or more extents of whole blocks
// The header is always written whole in one disk write (atomic per call), after the data it points at, so a crash
// leaves either the old directory with the old data intact or the new one with the new data in place.
import { KeylabError } from '@/lib/keylab-error';

/** Just what the file system needs from lib/storage's VirtualDisk, declared here so this folder stands alone. */
export interface GuestDisk {
  readonly diskId: string;
  readonly sizeBytes: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Atomic per call. */
  write(offset: number, data: Uint8Array): Promise<void>;
}

export type GuestFsErrorCode = 'NOT_FOUND' | 'DISK_FULL' | 'BAD_NAME' | 'NOT_FORMATTED' | 'CORRUPT';

export class GuestFsError extends KeylabError<GuestFsErrorCode> {}

export const GUEST_FS_BLOCK_SIZE = 4096;
const HEADER_BLOCKS = 8;
export const GUEST_FS_HEADER_BYTES = HEADER_BLOCKS * GUEST_FS_BLOCK_SIZE;
/** The smallest disk that holds the header and one block of data. */
export const GUEST_FS_MIN_DISK_BYTES = GUEST_FS_HEADER_BYTES + GUEST_FS_BLOCK_SIZE;
export const GUEST_FILE_NAME_MAX = 64;
const MAGIC = 'KEYLAB-GUESTFS 1\n';

type Extent = [start: number, count: number];

interface DirEntry {
  name: string;
  size: number;
  extents: Extent[];
}

interface Directory {
  blockSize: number;
  blocks: number;
  files: DirEntry[];
}

const encoder = new TextEncoder();
const magicBytes = encoder.encode(MAGIC);

/**
 * A name as the file system keeps it: Unicode NFC, so "é.txt" typed as one character or as "e" plus an accent is
 * one file (as on macOS's APFS lookups and most guest OSes' input), never two that look the same.
 */
export function guestFileName(name: string): string {
  return name.normalize('NFC');
}

/** Why a name is refused, in words for the learner, or null when it is fine. Shared with the scenario schema. */
export function guestFileNameProblem(raw: unknown): string | null {
  if (typeof raw !== 'string') return 'a file name must be text';
  const name = guestFileName(raw);
  if (name === '') return 'a file name cannot be empty';
  if ([...name].length > GUEST_FILE_NAME_MAX) return `a file name can have at most ${GUEST_FILE_NAME_MAX} characters`;
  if (name.includes('/')) return 'a file name cannot contain "/" (the guest disk has no folders)';
  // C0 and C1 controls: invisible in the UI and a newline would break any listing the learner reads.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'a file name cannot contain control characters';
  // A lone surrogate cannot be written as UTF-8, so the name read back would differ from the one written.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name)) {
    return 'a file name cannot contain broken Unicode';
  }
  if (name === '.' || name === '..') return `"${name}" is reserved`;
  return null;
}

/** The name in NFC, or BAD_NAME. */
function checkName(name: string): string {
  const problem = guestFileNameProblem(name);
  if (problem) throw new GuestFsError('BAD_NAME', `Bad file name ${JSON.stringify(name)}: ${problem}.`);
  return guestFileName(name);
}

/** Also matches an entry a lab saved before names were normalised. */
function named(name: string): (f: DirEntry) => boolean {
  return (f) => f.name === name || guestFileName(f.name) === name;
}

function blocksFor(bytes: number): number {
  return Math.ceil(bytes / GUEST_FS_BLOCK_SIZE);
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function encodeHeader(dir: Directory): Uint8Array | null {
  const json = encoder.encode(JSON.stringify(dir));
  if (magicBytes.length + json.length > GUEST_FS_HEADER_BYTES) return null;
  // Whole header every time, zero-padded, so no tail of a longer old directory survives after the JSON.
  const header = new Uint8Array(GUEST_FS_HEADER_BYTES);
  header.set(magicBytes, 0);
  header.set(json, magicBytes.length);
  return header;
}

function directoryFull(dir: Directory): GuestFsError {
  return new GuestFsError(
    'DISK_FULL',
    `The directory is full (${dir.files.length} files): its ${kib(GUEST_FS_HEADER_BYTES)} header has no room for another entry.`,
  );
}

function corrupt(disk: GuestDisk, why: string): GuestFsError {
  return new GuestFsError('CORRUPT', `The file system on disk ${disk.diskId} is damaged: ${why}.`);
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

// Everything read back is checked before use: a damaged directory must never make a write overwrite another file.
function validateDirectory(disk: GuestDisk, value: unknown): Directory {
  if (typeof value !== 'object' || value === null) throw corrupt(disk, 'the directory is not an object');
  const { blockSize, blocks, files } = value as Partial<Directory>;
  if (blockSize !== GUEST_FS_BLOCK_SIZE) throw corrupt(disk, `unexpected block size ${String(blockSize)}`);
  const diskBlocks = Math.floor(disk.sizeBytes / GUEST_FS_BLOCK_SIZE);
  if (!isInt(blocks) || blocks <= HEADER_BLOCKS || blocks > diskBlocks) {
    throw corrupt(disk, `the directory claims ${String(blocks)} blocks on a disk of ${diskBlocks}`);
  }
  if (!Array.isArray(files)) throw corrupt(disk, 'the file list is missing');
  const used = new Uint8Array(blocks);
  const names = new Set<string>();
  for (const f of files as unknown[]) {
    const { name, size, extents } = (f ?? {}) as Partial<DirEntry>;
    if (typeof name !== 'string' || guestFileNameProblem(name) || names.has(name)) {
      throw corrupt(disk, `bad or repeated file name ${JSON.stringify(name)}`);
    }
    names.add(name);
    if (!isInt(size) || size < 0 || !Array.isArray(extents)) throw corrupt(disk, `bad entry for "${name}"`);
    let total = 0;
    for (const e of extents as unknown[]) {
      const [start, count] = Array.isArray(e) ? (e as unknown[]) : [];
      if (!isInt(start) || !isInt(count) || count < 1 || start < HEADER_BLOCKS || start + count > blocks) {
        throw corrupt(disk, `"${name}" points outside the data area`);
      }
      for (let b = start; b < start + count; b++) {
        if (used[b]) throw corrupt(disk, `block ${b} belongs to two files`);
        used[b] = 1;
      }
      total += count;
    }
    if (total !== blocksFor(size)) throw corrupt(disk, `"${name}" has ${total} blocks for ${size} bytes`);
  }
  return { blockSize, blocks, files: files as DirEntry[] };
}

async function readDirectory(disk: GuestDisk): Promise<Directory> {
  const notFormatted = new GuestFsError('NOT_FORMATTED', `Disk ${disk.diskId} has no guest file system (it was never formatted).`);
  if (disk.sizeBytes < GUEST_FS_MIN_DISK_BYTES) throw notFormatted;
  const header = await disk.read(0, GUEST_FS_HEADER_BYTES);
  if (!magicBytes.every((b, i) => header[i] === b)) throw notFormatted;
  let end = header.indexOf(0, magicBytes.length);
  if (end < 0) end = header.length;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header.subarray(magicBytes.length, end)));
  } catch {
    throw corrupt(disk, 'the directory cannot be read');
  }
  return validateDirectory(disk, parsed);
}

async function writeDirectory(disk: GuestDisk, dir: Directory): Promise<void> {
  const header = encodeHeader(dir);
  if (!header) throw directoryFull(dir);
  await disk.write(0, header);
}

// Two overlapping writes would both allocate from the same free blocks; one queue per disk ID keeps every operation
// (reads too, since a finished write may hand a reader's old blocks to the next writer) in order.
const queues = new Map<string, Promise<void>>();

function exclusive<T>(disk: GuestDisk, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(disk.diskId) ?? Promise.resolve();
  const run = previous.then(fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(disk.diskId, tail);
  void tail.then(() => {
    if (queues.get(disk.diskId) === tail) queues.delete(disk.diskId);
  });
  return run;
}

function sortByName(files: DirEntry[]): DirEntry[] {
  return [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** First fit: one contiguous run when there is one, else the earliest free runs. */
function allocate(used: Uint8Array, needed: number): Extent[] | null {
  const runs: Extent[] = [];
  let free = 0;
  for (let b = 0; b < used.length; ) {
    if (used[b]) {
      b++;
      continue;
    }
    const start = b;
    while (b < used.length && !used[b]) b++;
    runs.push([start, b - start]);
    free += b - start;
  }
  if (needed === 0) return [];
  if (free < needed) return null;
  const single = runs.find(([, count]) => count >= needed);
  if (single) return [[single[0], needed]];
  const extents: Extent[] = [];
  let left = needed;
  for (const [start, count] of runs) {
    const take = Math.min(count, left);
    extents.push([start, take]);
    left -= take;
    if (left === 0) break;
  }
  return extents;
}

export function formatGuestFs(disk: GuestDisk): Promise<void> {
  return exclusive(disk, async () => {
    const blocks = Math.floor(disk.sizeBytes / GUEST_FS_BLOCK_SIZE);
    if (blocks * GUEST_FS_BLOCK_SIZE < GUEST_FS_MIN_DISK_BYTES) {
      throw new GuestFsError(
        'DISK_FULL',
        `Disk ${disk.diskId} is too small for a file system: it needs at least ${kib(GUEST_FS_MIN_DISK_BYTES)}.`,
      );
    }
    // Like a real mkfs, only the header is written: old data blocks stay as they were until reused.
    await writeDirectory(disk, { blockSize: GUEST_FS_BLOCK_SIZE, blocks, files: [] });
  });
}

export function listGuestFiles(disk: GuestDisk): Promise<{ name: string; size: number }[]> {
  return exclusive(disk, async () => (await readDirectory(disk)).files.map(({ name, size }) => ({ name, size })));
}

export function readGuestFile(disk: GuestDisk, typed: string): Promise<string> {
  const name = checkName(typed);
  return exclusive(disk, async () => {
    const entry = (await readDirectory(disk)).files.find(named(name));
    if (!entry) throw new GuestFsError('NOT_FOUND', `No file named ${JSON.stringify(name)} on this disk.`);
    const bytes = new Uint8Array(blocksFor(entry.size) * GUEST_FS_BLOCK_SIZE);
    let at = 0;
    for (const [start, count] of entry.extents) {
      bytes.set(await disk.read(start * GUEST_FS_BLOCK_SIZE, count * GUEST_FS_BLOCK_SIZE), at);
      at += count * GUEST_FS_BLOCK_SIZE;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, entry.size));
    } catch {
      throw corrupt(disk, `"${name}" is not valid UTF-8 text`);
    }
  });
}

export function writeGuestFile(disk: GuestDisk, typed: string, text: string): Promise<void> {
  const name = checkName(typed);
  const data = encoder.encode(text);
  return exclusive(disk, async () => {
    const dir = await readDirectory(disk);
    // The old version's blocks stay reserved until the new directory is written, so a crash keeps the old file whole.
    const used = new Uint8Array(dir.blocks);
    used.fill(1, 0, HEADER_BLOCKS);
    for (const f of dir.files) for (const [start, count] of f.extents) used.fill(1, start, start + count);
    const needed = blocksFor(data.length);
    const extents = allocate(used, needed);
    if (!extents) {
      const free = used.reduce((n, u) => n + (u ? 0 : 1), 0);
      throw new GuestFsError(
        'DISK_FULL',
        `Not enough space on the disk for ${JSON.stringify(name)}: it needs ${kib(needed * GUEST_FS_BLOCK_SIZE)}, ` +
          `${kib(free * GUEST_FS_BLOCK_SIZE)} is free.`,
      );
    }
    const next: Directory = {
      ...dir,
      files: sortByName([...dir.files.filter((f) => !named(name)(f)), { name, size: data.length, extents }]),
    };
    // Checked before any data is written, so a full directory does not cost a wasted write.
    const header = encodeHeader(next);
    if (!header) throw directoryFull(dir);

    // Whole blocks, zero-padded: no stale bytes of an earlier file linger in this file's last sector.
    const padded = new Uint8Array(needed * GUEST_FS_BLOCK_SIZE);
    padded.set(data);
    let at = 0;
    for (const [start, count] of extents) {
      const length = count * GUEST_FS_BLOCK_SIZE;
      // A copy, not a subarray view, in case the disk keeps or transfers the buffer it is given.
      await disk.write(start * GUEST_FS_BLOCK_SIZE, padded.slice(at, at + length));
      at += length;
    }
    await disk.write(0, header);
  });
}

export function deleteGuestFile(disk: GuestDisk, typed: string): Promise<void> {
  const name = checkName(typed);
  return exclusive(disk, async () => {
    const dir = await readDirectory(disk);
    if (!dir.files.some(named(name))) {
      throw new GuestFsError('NOT_FOUND', `No file named ${JSON.stringify(name)} on this disk.`);
    }
    // Only the directory changes; the file's blocks keep their bytes until reused, as on a real disk.
    await writeDirectory(disk, { ...dir, files: dir.files.filter((f) => !named(name)(f)) });
  });
}

/**
 * Why these files would not fit on a freshly formatted disk of this size (written in order), or null when they do.
 * Lets the scenario schema refuse a world whose guest files could never be written.
 */
export function guestFsFitProblem(diskSizeBytes: number, files: { name: string; text: string }[]): string | null {
  const blocks = Math.floor(diskSizeBytes / GUEST_FS_BLOCK_SIZE);
  if (blocks * GUEST_FS_BLOCK_SIZE < GUEST_FS_MIN_DISK_BYTES) {
    return `the disk is too small for a guest file system (at least ${kib(GUEST_FS_MIN_DISK_BYTES)})`;
  }
  let next = HEADER_BLOCKS;
  const entries: DirEntry[] = [];
  for (const f of files) {
    const size = encoder.encode(f.text).length;
    const count = blocksFor(size);
    entries.push({ name: guestFileName(f.name), size, extents: count ? [[next, count]] : [] });
    next += count;
  }
  if (next > blocks) {
    return `the guest files need ${kib((next - HEADER_BLOCKS) * GUEST_FS_BLOCK_SIZE)} but the disk holds ${kib(
      (blocks - HEADER_BLOCKS) * GUEST_FS_BLOCK_SIZE,
    )} of file data`;
  }
  if (!encodeHeader({ blockSize: GUEST_FS_BLOCK_SIZE, blocks, files: sortByName(entries) })) {
    return `${files.length} files are too many for the guest directory`;
  }
  return null;
}
