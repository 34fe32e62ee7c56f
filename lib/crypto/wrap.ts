// Key wrapping: a DEK under its KEK (and reading a KEK an older lab wrapped under an NKP's KDK); plus base64 for files.
//
// Why AES-KW (RFC 3394, NIST SP 800-38F) for every wrap: it is the standard built for exactly this job; it is
// deterministic, so there is no nonce to generate, store or get wrong; and it carries its own integrity check, so
// unwrapping with the wrong key or from altered bytes fails outright instead of yielding a garbage key. Being
// deterministic would be a weakness for data (equal inputs show), but what it wraps here are small, random keys.
import { base64ToBytes, bytesToBase64 } from '@/lib/base64';
import { KeylabCryptoError, WrongKeyError } from './errors';
import { generateDek, KEY_BYTES } from './keys';

/** An AES-256 key wrapped by AES-KW: the key plus 8 bytes of integrity check. */
const WRAPPED_BYTES = KEY_BYTES + 8;

/** WebCrypto only wraps extractable keys (DESIGN §7); the wrapping key itself may be non-extractable. */
export async function wrapKey(key: CryptoKey, wrappingKey: CryptoKey): Promise<Uint8Array> {
  if (!key.extractable) {
    throw new KeylabCryptoError(
      'KEY_NOT_EXTRACTABLE',
      'Only an extractable key can be wrapped; this one was created non-extractable.',
    );
  }
  assertWrappingKey(wrappingKey, 'wrapKey');
  return new Uint8Array(await crypto.subtle.wrapKey('raw', key, wrappingKey, 'AES-KW'));
}

/** Only for labs saved before NKP KEKs were derived (see machines/persistence/nkp-key-upgrade.ts): their files carry a wrapped KEK. */
export function unwrapKek(
  wrapped: Uint8Array,
  kdk: CryptoKey,
  opts: { extractable?: boolean } = {},
): Promise<CryptoKey> {
  return unwrap(wrapped, kdk, { name: 'AES-KW', length: 256 }, opts.extractable ?? false, ['wrapKey', 'unwrapKey']);
}

/** The DEK comes back non-extractable: once unwrapped, a DEK never needs to leave WebCrypto again. */
export function unwrapDek(wrapped: Uint8Array, kek: CryptoKey): Promise<CryptoKey> {
  return unwrap(wrapped, kek, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/**
 * The extractable DEK exists only inside this function; the one returned is a non-extractable copy obtained by
 * unwrapping, which also proves the wrapped bytes open with this KEK before anything is written to disk.
 */
export async function createWrappedDek(kek: CryptoKey): Promise<{ dek: CryptoKey; wrapped: Uint8Array }> {
  const wrapped = await wrapKey(await generateDek(), kek);
  return { dek: await unwrapDek(wrapped, kek), wrapped };
}

async function unwrap(
  wrapped: Uint8Array,
  wrappingKey: CryptoKey,
  algorithm: AesKeyAlgorithm,
  extractable: boolean,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  // A wrong wrapping *type* is a bug in the caller, not a wrong key, so it is reported apart.
  assertWrappingKey(wrappingKey, 'unwrapKey');
  if (wrapped.length !== WRAPPED_BYTES) {
    throw new WrongKeyError(
      `A wrapped AES-256 key is ${WRAPPED_BYTES} bytes; these ${wrapped.length} bytes are not one (altered or cut short).`,
    );
  }
  try {
    return await crypto.subtle.unwrapKey(
      'raw',
      new Uint8Array(wrapped),
      wrappingKey,
      'AES-KW',
      algorithm,
      extractable,
      usages,
    );
  } catch (cause) {
    throw new WrongKeyError(undefined, { cause });
  }
}

function assertWrappingKey(key: CryptoKey, usage: 'wrapKey' | 'unwrapKey'): void {
  if (key.algorithm.name !== 'AES-KW' || !key.usages.includes(usage)) {
    throw new KeylabCryptoError(
      'KEY_TYPE_MISMATCH',
      `A KDK or KEK (AES-KW, usage ${usage}) is needed here; got a ${key.algorithm.name} key with usages [${key.usages.join(', ')}].`,
    );
  }
}

export const toBase64 = bytesToBase64;

/** The lab's strict base64 (lib/base64), refusing a damaged value as a crypto error: it cannot be a wrapped key. */
export function fromBase64(s: string): Uint8Array {
  const bytes = base64ToBytes(s);
  if (!bytes) throw new KeylabCryptoError('INVALID_BASE64', 'This value is not valid base64, so it cannot be a wrapped key.');
  return bytes;
}
