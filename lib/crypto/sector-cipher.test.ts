// Checks that sealed sectors round-trip and that every kind of tampering, moving or wrong key is refused by sector.
import { describe, expect, it } from 'vitest';
import {
  NONCE_SIZE,
  SEALED_SECTOR_SIZE,
  SECTOR_SIZE,
  SectorIntegrityError,
  TAG_SIZE,
  keyCheckMatches,
  openSectors,
  sealKeyCheck,
  sealSectors,
} from './sector-cipher';

const newDek = () =>
  crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']) as Promise<CryptoKey>;

function knownSectors(count: number, seed = 1): Uint8Array {
  const data = new Uint8Array(count * SECTOR_SIZE);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + seed * 7 + (i >> 12)) & 0xff;
  return data;
}

async function expectIntegrityError(promise: Promise<unknown>, diskId: string, sector: number) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SectorIntegrityError);
  const integrity = error as SectorIntegrityError;
  expect(integrity.code).toBe('SECTOR_TAMPERED');
  expect(integrity.diskId).toBe(diskId);
  expect(integrity.sector).toBe(sector);
  expect(integrity.message).toContain(`Sector ${sector}`);
  expect(integrity.message).toContain(diskId);
}

describe('sector cipher', () => {
  it('sizes a sealed sector as nonce + 4 KiB + tag', () => {
    expect(SEALED_SECTOR_SIZE).toBe(4124);
    expect(NONCE_SIZE + SECTOR_SIZE + TAG_SIZE).toBe(SEALED_SECTOR_SIZE);
  });

  it('round-trips several sectors and hides the plaintext', async () => {
    const dek = await newDek();
    const plain = knownSectors(5);
    const sealed = await sealSectors(dek, 'disk-a', 10, plain);
    expect(sealed.length).toBe(5 * SEALED_SECTOR_SIZE);
    for (let i = 0; i < 5; i++) {
      const body = sealed.subarray(i * SEALED_SECTOR_SIZE + NONCE_SIZE, i * SEALED_SECTOR_SIZE + NONCE_SIZE + 64);
      expect(Array.from(body)).not.toEqual(Array.from(plain.subarray(i * SECTOR_SIZE, i * SECTOR_SIZE + 64)));
    }
    expect(await openSectors(dek, 'disk-a', 10, sealed)).toEqual(plain);
  });

  it('refuses input that is not whole sectors', async () => {
    const dek = await newDek();
    await expect(sealSectors(dek, 'd', 0, new Uint8Array(100))).rejects.toThrow(RangeError);
    await expect(openSectors(dek, 'd', 0, new Uint8Array(SEALED_SECTOR_SIZE - 1))).rejects.toThrow(RangeError);
    await expect(sealSectors(dek, 'd', -1, new Uint8Array(SECTOR_SIZE))).rejects.toThrow(RangeError);
  });

  it('detects a flipped byte in the nonce, the ciphertext or the tag, naming the sector', async () => {
    const dek = await newDek();
    const sealed = await sealSectors(dek, 'disk-t', 100, knownSectors(4));
    const spots = [
      { sector: 0, offset: 0 }, // nonce, first byte
      { sector: 1, offset: NONCE_SIZE - 1 }, // nonce, last byte
      { sector: 2, offset: NONCE_SIZE + 2000 }, // ciphertext
      { sector: 3, offset: SEALED_SECTOR_SIZE - 1 }, // tag, last byte
      { sector: 1, offset: NONCE_SIZE + SECTOR_SIZE }, // tag, first byte
    ];
    for (const { sector, offset } of spots) {
      const copy = sealed.slice();
      copy[sector * SEALED_SECTOR_SIZE + offset]! ^= 0x01;
      await expectIntegrityError(openSectors(dek, 'disk-t', 100, copy), 'disk-t', 100 + sector);
    }
  });

  it('names the lowest bad sector when several fail', async () => {
    const dek = await newDek();
    const sealed = await sealSectors(dek, 'disk-m', 0, knownSectors(6));
    sealed[5 * SEALED_SECTOR_SIZE + 20]! ^= 0xff;
    sealed[2 * SEALED_SECTOR_SIZE + 20]! ^= 0xff;
    await expectIntegrityError(openSectors(dek, 'disk-m', 0, sealed), 'disk-m', 2);
  });

  it('detects two swapped sectors', async () => {
    const dek = await newDek();
    const sealed = await sealSectors(dek, 'disk-s', 0, knownSectors(3));
    const swapped = sealed.slice();
    swapped.set(sealed.subarray(SEALED_SECTOR_SIZE, 2 * SEALED_SECTOR_SIZE), 0);
    swapped.set(sealed.subarray(0, SEALED_SECTOR_SIZE), SEALED_SECTOR_SIZE);
    await expectIntegrityError(openSectors(dek, 'disk-s', 0, swapped), 'disk-s', 0);
  });

  it('detects a sector read at another position or copied to another disk', async () => {
    const dek = await newDek();
    const sealed = await sealSectors(dek, 'disk-1', 7, knownSectors(1));
    await expectIntegrityError(openSectors(dek, 'disk-1', 8, sealed), 'disk-1', 8);
    await expectIntegrityError(openSectors(dek, 'disk-2', 7, sealed), 'disk-2', 7);
    // A disk id that is a prefix of another must not collide with it.
    const short = await sealSectors(dek, 'disk', 17, knownSectors(1));
    await expectIntegrityError(openSectors(dek, 'disk1', 7, short), 'disk1', 7);
  });

  it('refuses the wrong key', async () => {
    const sealed = await sealSectors(await newDek(), 'disk-k', 0, knownSectors(2));
    await expectIntegrityError(openSectors(await newDek(), 'disk-k', 0, sealed), 'disk-k', 0);
  });

  it('draws a fresh nonce on every seal, so the same data never seals the same way twice', async () => {
    const dek = await newDek();
    const plain = knownSectors(8);
    const a = await sealSectors(dek, 'disk-n', 0, plain);
    const b = await sealSectors(dek, 'disk-n', 0, plain);
    const nonces = new Set<string>();
    for (const sealed of [a, b]) {
      for (let i = 0; i < 8; i++) {
        nonces.add(Buffer.from(sealed.subarray(i * SEALED_SECTOR_SIZE, i * SEALED_SECTOR_SIZE + NONCE_SIZE)).toString('hex'));
      }
    }
    expect(nonces.size).toBe(16);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(await openSectors(dek, 'disk-n', 0, b)).toEqual(plain);
  });

  it('opens sectors from the middle of a sealed run on their own', async () => {
    const dek = await newDek();
    const plain = knownSectors(4);
    const sealed = await sealSectors(dek, 'disk-r', 40, plain);
    const middle = sealed.subarray(SEALED_SECTOR_SIZE, 3 * SEALED_SECTOR_SIZE);
    expect(await openSectors(dek, 'disk-r', 41, middle)).toEqual(plain.subarray(SECTOR_SIZE, 3 * SECTOR_SIZE));
  });

  it('key checks accept only the key and disk they were made for', async () => {
    const dek = await newDek();
    const check = await sealKeyCheck(dek, 'disk-c');
    expect(check.length).toBe(NONCE_SIZE + TAG_SIZE);
    expect(await keyCheckMatches(dek, 'disk-c', check)).toBe(true);
    expect(await keyCheckMatches(await newDek(), 'disk-c', check)).toBe(false);
    expect(await keyCheckMatches(dek, 'disk-d', check)).toBe(false);
    const bent = check.slice();
    bent[3]! ^= 1;
    expect(await keyCheckMatches(dek, 'disk-c', bent)).toBe(false);
  });
});
