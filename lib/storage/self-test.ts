// The browser check's self-test: a known text written to a small encrypted disk whose DEK (non-extractable) is kept
// in the key vault, so that after a reload it can be read back from IndexedDB, never from memory.
import { SEALED_SECTOR_SIZE, SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { openKeylabDb, type KeylabDb } from './db';
import { deleteKeysOf, getKey, putKey } from './key-vault';
import { createDisk, deleteDisk, getDiskHeader, openDisk, readRawSector } from './virtual-disk';

/** Its own database, so the check never touches the lab's data. */
export const SELF_TEST_DB = 'keylab-browser-check';
const DISK_ID = 'browser-check';
const OWNER = 'browser-check';
const KEY_ID = 'browser-check-dek';
const DISK_SIZE = 16 * SECTOR_SIZE;
/** Deliberately not sector-aligned: the text straddles sectors 1 and 2. */
const TEXT_OFFSET = 2 * SECTOR_SIZE - 40;
const MAX_TEXT = 2 * SECTOR_SIZE;

export interface SelfTestWritten {
  text: string;
  writtenAt: number;
}

export interface SelfTestReadBack extends SelfTestWritten {
  /** The sector the text starts in, and its stored bytes (nonce, ciphertext, tag). */
  sector: number;
  storedSector: Uint8Array;
  /** The same sector's plaintext, for comparison. */
  plainSector: Uint8Array;
}

export function openSelfTestDb(): KeylabDb {
  return openKeylabDb(SELF_TEST_DB);
}

/** Replaces any earlier test disk with a new one under a fresh DEK, and writes a text unique to this run. */
export async function writeSelfTest(db: KeylabDb): Promise<SelfTestWritten> {
  await deleteDisk(db, DISK_ID);
  await deleteKeysOf(db, OWNER);
  const dek = (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])) as CryptoKey;
  const keyTag = `dek-${crypto.randomUUID()}`;
  const writtenAt = Date.now();
  await putKey(db, { id: KEY_ID, owner: OWNER, key: dek, meta: { keyTag } });
  const disk = await createDisk(db, {
    diskId: DISK_ID,
    datastoreId: OWNER,
    path: 'browser-check/browser-check-flat.vmdk',
    sizeBytes: DISK_SIZE,
    dek,
    keyTag,
  });
  const token = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
  const text = `keylab self-test ${token}, written ${new Date(writtenAt).toISOString()}`;
  await disk.write(TEXT_OFFSET, encodeRecord(text, writtenAt));
  return { text, writtenAt };
}

/** When a test disk is stored, when it was written; reads no sectors. */
export async function selfTestStatus(db: KeylabDb): Promise<{ createdAt: number } | undefined> {
  const header = await getDiskHeader(db, DISK_ID);
  const key = await getKey(db, KEY_ID);
  return header && key ? { createdAt: header.createdAt } : undefined;
}

/** Reads the text back through the disk's DEK from the key vault; undefined when no test disk is stored. */
export async function readSelfTest(db: KeylabDb): Promise<SelfTestReadBack | undefined> {
  const stored = await getKey(db, KEY_ID);
  if (!stored || !(await getDiskHeader(db, DISK_ID))) return undefined;
  const disk = await openDisk(db, DISK_ID, stored.key);
  const record = await disk.read(TEXT_OFFSET, 12 + MAX_TEXT);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const length = view.getUint32(0);
  const writtenAt = view.getUint32(4) * 2 ** 32 + view.getUint32(8);
  if (length > MAX_TEXT) throw new Error('The test disk holds no self-test record.');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(record.subarray(12, 12 + length));
  const sector = Math.floor(TEXT_OFFSET / SECTOR_SIZE);
  const raw = await readRawSector(db, DISK_ID, sector);
  if (!raw || raw.bytes.length !== SEALED_SECTOR_SIZE) throw new Error('The test disk holds no sealed sector.');
  return {
    text,
    writtenAt,
    sector,
    storedSector: raw.bytes,
    plainSector: await disk.read(sector * SECTOR_SIZE, SECTOR_SIZE),
  };
}

/** u32 byte length | u64 time | UTF-8 text. */
function encodeRecord(text: string, writtenAt: number): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_TEXT) throw new RangeError('Self-test text too long.');
  const record = new Uint8Array(12 + bytes.length);
  const view = new DataView(record.buffer);
  view.setUint32(0, bytes.length);
  view.setUint32(4, Math.floor(writtenAt / 2 ** 32));
  view.setUint32(8, writtenAt >>> 0);
  record.set(bytes, 12);
  return record;
}
