// AES-256 keys for the three levels of vSphere VM encryption (KDK, KEK, DEK), plus key IDs and display fingerprints.
import { KeylabCryptoError } from './errors';

export type KeyLevel = 'KDK' | 'KEK' | 'DEK';

const AES_KW = { name: 'AES-KW', length: 256 } as const;
const AES_GCM = { name: 'AES-GCM', length: 256 } as const;
const WRAP_USAGES: KeyUsage[] = ['wrapKey', 'unwrapKey'];
const DATA_USAGES: KeyUsage[] = ['encrypt', 'decrypt'];

export const KEY_BYTES = 32;

/**
 * vCenter's copy of an NKP KDK: extractable because it must leave WebCrypto once, in the NKP backup (.p12). It only
 * derives KEKs (derive.ts); the hosts get a derive-only HKDF copy of it that can never be extracted.
 */
export function generateKdk(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(AES_KW, true, WRAP_USAGES);
}

export function generateKek(opts: { extractable?: boolean } = {}): Promise<CryptoKey> {
  return crypto.subtle.generateKey(AES_KW, opts.extractable ?? false, WRAP_USAGES);
}

/**
 * Extractable only because WebCrypto can wrap nothing else; a caller should use createWrappedDek, which keeps the
 * wrapped copy and hands back a non-extractable DEK, so the DEK's bytes never leave the "host" in the clear.
 */
export function generateDek(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(AES_GCM, true, DATA_USAGES);
}

/** Key IDs are UUIDs, as vCenter and KMIP servers show them. */
export function newKeyId(): string {
  return crypto.randomUUID();
}

export async function exportRawKey(key: CryptoKey): Promise<Uint8Array> {
  if (!key.extractable) {
    throw new KeylabCryptoError(
      'KEY_NOT_EXTRACTABLE',
      'This key was created non-extractable, so its bytes can never be read out of the browser’s crypto engine.',
    );
  }
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

/**
 * Extractable by default: a restored KDK must be exportable again so the restored provider can be backed up.
 * Async so that a bad length is a rejected promise like every other failure here, never a synchronous throw.
 */
export async function importKdk(raw: Uint8Array, extractable = true): Promise<CryptoKey> {
  if (raw.length !== KEY_BYTES) {
    throw new KeylabCryptoError('INVALID_KEY_LENGTH', `A KDK is ${KEY_BYTES} bytes (AES-256); got ${raw.length}.`);
  }
  return crypto.subtle.importKey('raw', new Uint8Array(raw), AES_KW, extractable, WRAP_USAGES);
}

// A fingerprint must exist for non-extractable keys too, so it is computed from what the key does to a fixed input,
// never from its bytes. The result is hashed and cut short: it names a key on screen and reveals nothing usable.
const FINGERPRINT_LABEL = new TextEncoder().encode('keylab key fingerprint v1');
const fingerprints = new WeakMap<CryptoKey, Promise<string>>();

export function keyFingerprint(key: CryptoKey): Promise<string> {
  let pending = fingerprints.get(key);
  if (!pending) {
    pending = computeFingerprint(key);
    fingerprints.set(key, pending);
    // A failure (wrong kind of key) must not be remembered as this key's answer for ever.
    pending.catch(() => fingerprints.delete(key));
  }
  return pending;
}

async function computeFingerprint(key: CryptoKey): Promise<string> {
  let probe: ArrayBuffer;
  if (key.algorithm.name === 'AES-KW' && key.usages.includes('wrapKey')) {
    // AES-KW is deterministic, so wrapping one fixed key always gives the same bytes for the same KDK or KEK.
    const fixed = await crypto.subtle.importKey('raw', FINGERPRINT_LABEL.slice(0, 16), 'AES-GCM', true, ['encrypt']);
    probe = await crypto.subtle.wrapKey('raw', fixed, key, 'AES-KW');
  } else if (key.algorithm.name === 'AES-GCM' && key.usages.includes('encrypt')) {
    // A 16-byte IV makes GCM derive its counter block by GHASH, so it cannot collide with the 12-byte nonces the
    // sector cipher uses under the same DEK: reusing one of those would leak that sector's keystream.
    const iv = FINGERPRINT_LABEL.slice(0, 16);
    probe = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(16));
  } else {
    throw new KeylabCryptoError(
      'KEY_TYPE_MISMATCH',
      `Cannot fingerprint a ${key.algorithm.name} key with usages [${key.usages.join(', ')}].`,
    );
  }
  const input = new Uint8Array(FINGERPRINT_LABEL.length + probe.byteLength);
  input.set(FINGERPRINT_LABEL);
  input.set(new Uint8Array(probe), FINGERPRINT_LABEL.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  return Array.from(digest.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
}
