// Encrypts and authenticates virtual-disk sectors: AES-256-GCM per 4 KiB sector, bound to its disk and position.
//
// Real ESXi encrypts VM disks with XTS-AES-256. WebCrypto has no XTS mode, so the lab uses AES-256-GCM per sector
// instead (and says so in the UI). GCM costs 28 bytes per sector (nonce and tag), but it buys what XTS cannot give:
// a tampered sector is detected and refused instead of decrypting into silent garbage.
//
// Sealed sector layout: nonce (12) | ciphertext (4096) | tag (16) = 4124 bytes. Each seal draws a fresh random
// 96-bit nonce. The additional data binds the disk id and the sector number, so a sector copied to another position,
// swapped with another, or moved to another disk fails its check just like a flipped bit does.

export const SECTOR_SIZE = 4096;
export const NONCE_SIZE = 12;
export const TAG_SIZE = 16;
export const SEALED_SECTOR_SIZE = SECTOR_SIZE + NONCE_SIZE + TAG_SIZE; // 4124

export class SectorIntegrityError extends Error {
  readonly code = 'SECTOR_TAMPERED';
  readonly diskId: string;
  readonly sector: number;

  constructor(diskId: string, sector: number, options?: { cause?: unknown }) {
    super(
      `Sector ${sector} of disk "${diskId}" failed its integrity check: it was altered, moved, or read with the wrong key, ` +
        'so it was not decrypted.',
      options,
    );
    this.name = 'SectorIntegrityError';
    this.diskId = diskId;
    this.sector = sector;
  }
}

const encoder = new TextEncoder();
// Domain labels keep sector seals and key checks from ever being mistaken for each other.
const SECTOR_DOMAIN = encoder.encode('keylab/sector/v1');
const KEY_CHECK_DOMAIN = encoder.encode('keylab/key-check/v1');

/** Additional data for n consecutive sectors: domain | u32 length of disk id | disk id | u64 sector number. */
function sectorAad(diskId: string, firstSector: number, count: number): Uint8Array<ArrayBuffer>[] {
  const id = encoder.encode(diskId);
  const size = SECTOR_DOMAIN.length + 4 + id.length + 8;
  const all = new Uint8Array(size * count);
  const view = new DataView(all.buffer);
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * size;
    all.set(SECTOR_DOMAIN, at);
    view.setUint32(at + SECTOR_DOMAIN.length, id.length);
    all.set(id, at + SECTOR_DOMAIN.length + 4);
    const sector = firstSector + i;
    view.setUint32(at + size - 8, Math.floor(sector / 2 ** 32));
    view.setUint32(at + size - 4, sector >>> 0);
    out.push(all.subarray(at, at + size));
  }
  return out;
}

/**
 * How many sectors (sealed or plain) `bytes` holds, refusing a partial one or sector numbers that are not
 * non-negative safe integers.
 */
function sectorCount(bytes: Uint8Array, firstSector: number, sealed: boolean): number {
  const size = sealed ? SEALED_SECTOR_SIZE : SECTOR_SIZE;
  if (bytes.length % size !== 0) {
    const [what, unit] = sealed ? ['Sealed data', 'sealed sectors'] : ['Plaintext', 'sectors'];
    throw new RangeError(`${what} of ${bytes.length} bytes is not a whole number of ${size}-byte ${unit}.`);
  }
  const count = bytes.length / size;
  if (!Number.isSafeInteger(firstSector) || firstSector < 0 || !Number.isSafeInteger(firstSector + count)) {
    throw new RangeError(`Sector number ${firstSector} is not a non-negative safe integer.`);
  }
  return count;
}

/** Seals or opens consecutive sectors of one disk, numbered from firstSector: openSectors undoes sealSectors. */
type SectorRunCipher = (dek: CryptoKey, diskId: string, firstSector: number, bytes: Uint8Array) => Promise<Uint8Array<ArrayBuffer>>;

/** WebCrypto takes only views over a plain ArrayBuffer; a view over shared memory is copied first. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/**
 * Seals `plaintext` (a whole number of 4 KiB sectors) as sectors firstSector, firstSector+1, ... of disk `diskId`.
 * The sectors are encrypted concurrently: many small WebCrypto calls in flight keep its worker busy.
 */
export const sealSectors: SectorRunCipher = async (dek, diskId, firstSector, plaintext) => {
  const count = sectorCount(plaintext, firstSector, false);
  const input = bufferSource(plaintext);
  const sealed = new Uint8Array(count * SEALED_SECTOR_SIZE);
  const nonces = crypto.getRandomValues(new Uint8Array(count * NONCE_SIZE));
  const aad = sectorAad(diskId, firstSector, count);
  await Promise.all(
    aad.map(async (additionalData, i) => {
      const iv = nonces.subarray(i * NONCE_SIZE, (i + 1) * NONCE_SIZE);
      const body = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData, tagLength: TAG_SIZE * 8 },
        dek,
        input.subarray(i * SECTOR_SIZE, (i + 1) * SECTOR_SIZE),
      );
      const at = i * SEALED_SECTOR_SIZE;
      sealed.set(iv, at);
      sealed.set(new Uint8Array(body), at + NONCE_SIZE);
    }),
  );
  return sealed;
};

/**
 * Opens sealed sectors made by sealSectors for the same disk and positions. Throws SectorIntegrityError naming the
 * lowest-numbered sector that fails (tampered, moved, or a wrong key); nothing is returned unless every sector passes.
 */
export const openSectors: SectorRunCipher = async (dek, diskId, firstSector, sealed) => {
  const count = sectorCount(sealed, firstSector, true);
  const input = bufferSource(sealed);
  const plaintext = new Uint8Array(count * SECTOR_SIZE);
  const aad = sectorAad(diskId, firstSector, count);
  const failures = await Promise.all(
    aad.map(async (additionalData, i) => {
      const at = i * SEALED_SECTOR_SIZE;
      try {
        const body = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: input.subarray(at, at + NONCE_SIZE), additionalData, tagLength: TAG_SIZE * 8 },
          dek,
          input.subarray(at + NONCE_SIZE, at + SEALED_SECTOR_SIZE),
        );
        plaintext.set(new Uint8Array(body), i * SECTOR_SIZE);
        return null;
      } catch (cause) {
        return { sector: firstSector + i, cause };
      }
    }),
  );
  const firstBad = failures.find((failure) => failure !== null);
  if (firstBad) throw new SectorIntegrityError(diskId, firstBad.sector, { cause: firstBad.cause });
  return plaintext;
};

/**
 * A 28-byte proof that a key is the one a disk is encrypted with (a GCM tag over nothing, bound to the disk id).
 * Storing it lets a wrong key be refused up front instead of after it has written sectors no one can read.
 */
export async function sealKeyCheck(dek: CryptoKey, diskId: string): Promise<Uint8Array<ArrayBuffer>> {
  const iv = crypto.getRandomValues(new Uint8Array(NONCE_SIZE));
  const tag = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: keyCheckAad(diskId), tagLength: TAG_SIZE * 8 },
    dek,
    new Uint8Array(0),
  );
  const check = new Uint8Array(NONCE_SIZE + TAG_SIZE);
  check.set(iv);
  check.set(new Uint8Array(tag), NONCE_SIZE);
  return check;
}

/** True when `dek` made `check` for this disk. */
export async function keyCheckMatches(dek: CryptoKey, diskId: string, check: Uint8Array): Promise<boolean> {
  if (check.length !== NONCE_SIZE + TAG_SIZE) return false;
  const input = bufferSource(check);
  try {
    await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: input.subarray(0, NONCE_SIZE), additionalData: keyCheckAad(diskId), tagLength: TAG_SIZE * 8 },
      dek,
      input.subarray(NONCE_SIZE),
    );
    return true;
  } catch {
    return false;
  }
}

function keyCheckAad(diskId: string): Uint8Array<ArrayBuffer> {
  const id = encoder.encode(diskId);
  const aad = new Uint8Array(KEY_CHECK_DOMAIN.length + id.length);
  aad.set(KEY_CHECK_DOMAIN);
  aad.set(id, KEY_CHECK_DOMAIN.length);
  return aad;
}
