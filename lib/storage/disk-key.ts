// Checks that a key is the one a disk (or a re-encryption target) is under, before any sector is touched.
import { keyCheckMatches } from '@/lib/crypto/sector-cipher';
import { DiskKeyError } from './errors';

/**
 * Throws DiskKeyError unless `dek` fits: null for a plaintext disk, otherwise the key that made `keyCheck`.
 * `role` words the message, e.g. "the disk's key" or "the target key".
 */
export async function assertKeyFits(
  diskId: string,
  keyCheck: Uint8Array | null,
  dek: CryptoKey | null,
  role: string,
): Promise<void> {
  if (keyCheck === null) {
    if (dek !== null) {
      throw new DiskKeyError(diskId, `Virtual disk "${diskId}" is not encrypted, but a key was given as ${role}.`);
    }
    return;
  }
  if (dek === null) {
    throw new DiskKeyError(diskId, `Virtual disk "${diskId}" is encrypted, but no key was given as ${role}.`);
  }
  if (!(await keyCheckMatches(dek, diskId, keyCheck))) {
    throw new DiskKeyError(diskId, `The key given as ${role} is not the key virtual disk "${diskId}" needs.`);
  }
}
