// The .vmx `encryption.data` value: the VM's encryption configuration, really encrypted, openable only with the KEK.
//
// How (the lab's choice; VMware does not publish its format): a fresh AES-256-GCM "config key" per write, wrapped by
// the KEK with AES-KW, encrypts a small JSON record of which disks are encrypted and under which key. The value is
// base64 of: version (1 byte) | config key wrapped by the KEK (40) | GCM nonce (12) | ciphertext and tag.
// The additional data binds the VM id, so an encryption.data copied from another VM's .vmx is refused. Because the
// KEK is AES-KW, opening this also proves a KEK is the right one before any disk is touched.
import { WrongKeyError } from '@/lib/crypto/errors';
import { wrapKey } from '@/lib/crypto/wrap';
import { base64ToBytes, bytesToBase64 } from '@/lib/base64';
import { VmDataError, WrongKekError } from './errors';

export interface VmEncryptedConfig {
  vmId: string;
  /** The KEK's key ID this configuration was written under. */
  keyId: string;
  disks: { fileName: string; diskId: string }[];
}

const VERSION = 1;
const WRAPPED_KEY_BYTES = 40;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();

function aadFor(vmId: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`keylab/vmx/encryption.data/v${VERSION}|${vmId}`);
}

export function sealVmConfig(config: VmEncryptedConfig, kek: CryptoKey): Promise<string> {
  return sealUnderKek(encoder.encode(JSON.stringify(config)), kek, aadFor(config.vmId));
}

/**
 * Seals bytes under a KEK as encryption.data is sealed (a fresh AES-256-GCM key wrapped by the KEK, a nonce, the
 * ciphertext and tag), bound to `aad`; base64. The .nvram of a vTPM is sealed the same way.
 */
export async function sealUnderKek(plain: Uint8Array<ArrayBuffer>, kek: CryptoKey, aad: Uint8Array<ArrayBuffer>): Promise<string> {
  // Extractable only so that it can be wrapped here; it is dropped right after.
  const fileKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const wrapped = await wrapKey(fileKey, kek);
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, fileKey, plain));
  const out = new Uint8Array(1 + WRAPPED_KEY_BYTES + NONCE_BYTES + body.length);
  out[0] = VERSION;
  out.set(wrapped, 1);
  out.set(nonce, 1 + WRAPPED_KEY_BYTES);
  out.set(body, 1 + WRAPPED_KEY_BYTES + NONCE_BYTES);
  return bytesToBase64(out);
}

/**
 * Opens what sealUnderKek sealed. Throws WrongKekError for a wrong KEK (AES-KW's integrity check), and
 * `corrupt(why)` when the value is damaged or bound to something else.
 */
export async function openUnderKek(
  sealed: string,
  kek: CryptoKey,
  aad: Uint8Array<ArrayBuffer>,
  expect: { vmName: string; keyId: string },
  corrupt: (why: string) => Error,
): Promise<Uint8Array> {
  const bytes = base64ToBytes(sealed);
  if (!bytes || bytes.length < 1 + WRAPPED_KEY_BYTES + NONCE_BYTES + TAG_BYTES) throw corrupt('it is not a sealed record');
  if (bytes[0] !== VERSION) throw corrupt(`unknown version ${bytes[0]}`);
  let fileKey: CryptoKey;
  try {
    fileKey = await crypto.subtle.unwrapKey('raw', bytes.slice(1, 1 + WRAPPED_KEY_BYTES), kek, 'AES-KW', { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  } catch (cause) {
    throw new WrongKekError(expect.vmName, expect.keyId, { cause: new WrongKeyError(undefined, { cause }) });
  }
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.slice(1 + WRAPPED_KEY_BYTES, 1 + WRAPPED_KEY_BYTES + NONCE_BYTES), additionalData: aad },
        fileKey,
        bytes.slice(1 + WRAPPED_KEY_BYTES + NONCE_BYTES),
      ),
    );
  } catch {
    // The KEK opened the file key, so the key is right: the record itself was altered or belongs to another VM.
    throw corrupt('it fails its integrity check (altered, or copied from another VM)');
  }
}

/** Throws WrongKekError for a wrong KEK, VmDataError VM_FILES_CORRUPT for a value that is damaged or not this VM's. */
export async function openVmConfig(
  encryptedData: string,
  kek: CryptoKey,
  expect: { vmId: string; vmName: string; keyId: string },
): Promise<VmEncryptedConfig> {
  const corrupt = (why: string) =>
    new VmDataError('VM_FILES_CORRUPT', `The encryption.data of VM "${expect.vmName}" is damaged: ${why}.`);
  const plain = await openUnderKek(encryptedData, kek, aadFor(expect.vmId), expect, corrupt);
  const config = JSON.parse(new TextDecoder().decode(plain)) as VmEncryptedConfig;
  if (config.vmId !== expect.vmId) throw corrupt(`it belongs to VM ${config.vmId}`);
  if (config.keyId !== expect.keyId) throw corrupt(`it was written under key ${config.keyId}, not ${expect.keyId}`);
  return config;
}
