// One interface over the two ways a disk stores sectors: sealed with a DEK, or as plaintext (an unencrypted VM). The
// sealing and opening run wherever diskWorkerPort() says: a disk worker in the browser, this thread elsewhere.
import { diskWorkerPort } from './disk-worker/port';
import { storedSectorSize } from './layout';

export interface SectorCodec {
  readonly keyTag: string | null;
  /** Bytes per stored sector. */
  readonly storedSize: number;
  /**
   * Stored form of whole plaintext sectors, in a buffer of its own (IndexedDB clones a view's whole buffer).
   * `give`: the caller hands the plaintext over (it may be detached, sent to a worker without a copy).
   */
  seal(diskId: string, firstSector: number, plaintext: Uint8Array, give?: boolean): Promise<Uint8Array>;
  /**
   * Plaintext of stored sectors; throws SectorIntegrityError when sealed ones fail. May share memory with `stored`.
   * `give`: the caller hands `stored` over (it may be detached).
   */
  open(diskId: string, firstSector: number, stored: Uint8Array, give?: boolean): Promise<Uint8Array>;
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
    seal: (diskId, firstSector, plaintext, give) => diskWorkerPort().seal(dek, diskId, firstSector, { bytes: plaintext, give }),
    open: (diskId, firstSector, stored, give) => diskWorkerPort().open(dek, diskId, firstSector, { bytes: stored, give }),
  };
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}
