// NKP key derivation: a KEK is derived from the provider's KDK and the key's ID (HKDF-SHA-256, the key ID as info),
// so whoever holds the same KDK derives the same KEK from the ID in a VM's files, and a different KDK a different one.
import { KeylabCryptoError } from './errors';

const HKDF_USAGES: KeyUsage[] = ['deriveKey', 'deriveBits'];
// RFC 5869 allows no salt (it then stands for 32 zero bytes): the KDK is already a uniformly random 256-bit key.
const NO_SALT = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * A derive-only copy of a KDK: what a host holds in RAM and seals in its TPM. WebCrypto never lets an HKDF key be
 * extracted, so these copies cannot leave the browser's crypto engine. The copy vCenter keeps (an extractable AES-KW
 * key with the same 32 bytes) is the only one that can be exported, for the .p12 backup.
 */
export async function derivationKdk(kdk: CryptoKey): Promise<CryptoKey> {
  if (kdk.algorithm.name === 'HKDF' && kdk.usages.includes('deriveKey')) return kdk;
  if (kdk.algorithm.name !== 'AES-KW' || !kdk.extractable) {
    throw new KeylabCryptoError(
      'KEY_TYPE_MISMATCH',
      `A KDK (vCenter's exportable copy or a host's derive-only copy) is needed here; got a ${kdk.extractable ? '' : 'non-extractable '}${kdk.algorithm.name} key.`,
    );
  }
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', kdk));
  try {
    return await crypto.subtle.importKey('raw', raw, 'HKDF', false, HKDF_USAGES);
  } finally {
    raw.fill(0);
  }
}

/**
 * The KEK of `keyId` under this KDK: HKDF-SHA-256 with the key ID as info. Non-extractable: no holder ever needs its
 * bytes, since any holder of the KDK derives it again from the ID.
 */
export async function deriveKek(kdk: CryptoKey, keyId: string): Promise<CryptoKey> {
  if (typeof keyId !== 'string' || keyId.trim() === '') {
    throw new KeylabCryptoError('INVALID_ARGUMENT', 'A KEK is derived from the KDK and a key ID; the key ID is missing.');
  }
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: NO_SALT, info: encoder.encode(keyId) },
    await derivationKdk(kdk),
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** A derive-only KDK from its 32 bytes (as a host reads them from its encrypted configuration): never extractable. */
export async function derivationKdkFromRaw(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) throw new KeylabCryptoError('INVALID_KEY_LENGTH', `A KDK is 32 bytes (AES-256); got ${raw.length}.`);
  return crypto.subtle.importKey('raw', new Uint8Array(raw), 'HKDF', false, HKDF_USAGES);
}
