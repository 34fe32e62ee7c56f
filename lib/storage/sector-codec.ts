// One interface over the two ways a disk stores sectors: sealed with a DEK, or as plaintext (an unencrypted VM).
import { openSectors, sealSectors } from '@/lib/crypto/sector-cipher';
import { storedSectorSize } from './layout';

export interface SectorCodec {
  readonly keyTag: string | null;
  /** Bytes per stored sector. */
  readonly storedSize: number;
  /** Stored form of whole plaintext sectors, in a buffer of its own (IndexedDB clones a view's whole buffer). */
  seal(diskId: string, firstSector: number, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Plaintext of stored sectors; throws SectorIntegrityError when sealed ones fail. May share memory with `stored`. */
  open(diskId: string, firstSector: number, stored: Uint8Array): Promise<Uint8Array>;
}

export function sectorCodec(dek: CryptoKey | null, keyTag: string | null): SectorCodec {
  if ((dek === null) !== (keyTag === null)) {
    throw new TypeError('A key tag goes with a key: give both for an encrypted disk, neither for a plaintext one.');
  }
  if (dek === null) {
    return {
      keyTag: null,
      storedSize: storedSectorSize(null),
      seal: async (_diskId, _firstSector, plaintext) => (ownsBuffer(plaintext) ? plaintext : plaintext.slice()),
      open: async (_diskId, _firstSector, stored) => stored,
    };
  }
  return {
    keyTag,
    storedSize: storedSectorSize(keyTag),
    seal: (diskId, firstSector, plaintext) => sealSectors(dek, diskId, firstSector, plaintext),
    open: (diskId, firstSector, stored) => openSectors(dek, diskId, firstSector, stored),
  };
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}
