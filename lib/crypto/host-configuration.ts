// An ESXi host's encrypted configuration (vSphere 7.0 U2 and later: the "secure ESXi configuration"): the host's
// secrets, the NKP KDKs among them, in an archive on its boot device, AES-256-GCM under a configuration key. Where the
// host has a TPM 2.0 the configuration key is sealed by it (here: AES-KW under a TPM key that is never extractable);
// without one it lies on the boot device beside the archive. The recovery key (TPM hosts) is the configuration key
// itself, written as esxcli shows it: sixteen groups of six digits.
//
// The formats are the lab's own (VMware does not publish them): the archive is base64 of
// version (1 byte) | GCM nonce (12) | ciphertext and tag, with the host's id as additional data, so an archive copied
// onto another host's boot disk is refused rather than read as that host's.
import { base64ToBytes, bytesToBase64 } from '@/lib/base64';
import { KeylabCryptoError, WrongKeyError } from './errors';
import { KEY_BYTES } from './keys';

/** One KDK kept in the configuration: its raw bytes (inside the encryption only) and what names it. */
export interface ConfigurationSecret {
  keyId: string;
  providerId: string;
  fingerprint: string;
  kdk: Uint8Array;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AES_GCM = { name: 'AES-GCM', length: 256 } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const aadFor = (hostId: string) => encoder.encode(`keylab/esxi/configuration/v${VERSION}|${hostId}`);

/**
 * A new configuration key. Extractable: it is written to the boot disk (no TPM), sealed by the TPM (wrapping needs an
 * extractable key) and shown as the recovery key.
 */
export function newConfigurationKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(AES_GCM, true, ['encrypt', 'decrypt']);
}

/** The configuration key from its 32 bytes (as read from a boot disk or typed as a recovery key). */
export async function importConfigurationKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== KEY_BYTES) throw new KeylabCryptoError('INVALID_KEY_LENGTH', `A configuration key is ${KEY_BYTES} bytes; got ${raw.length}.`);
  return crypto.subtle.importKey('raw', new Uint8Array(raw), AES_GCM, true, ['encrypt', 'decrypt']);
}

export async function sealConfiguration(secrets: readonly ConfigurationSecret[], configKey: CryptoKey, hostId: string): Promise<string> {
  const plain = encoder.encode(JSON.stringify(secrets.map((s) => ({ ...s, kdk: bytesToBase64(s.kdk) }))));
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aadFor(hostId) }, configKey, plain));
  const out = new Uint8Array(1 + NONCE_BYTES + body.length);
  out[0] = VERSION;
  out.set(nonce, 1);
  out.set(body, 1 + NONCE_BYTES);
  return bytesToBase64(out);
}

/** The secrets in an archive. A wrong key, or an altered archive, fails GCM's tag: WrongKeyError, never garbage. */
export async function openConfiguration(archive: string, configKey: CryptoKey, hostId: string): Promise<ConfigurationSecret[]> {
  const bytes = base64ToBytes(archive);
  if (!bytes || bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
    throw new KeylabCryptoError('INVALID_ARGUMENT', 'This is not an encrypted ESXi configuration archive the lab can read.');
  }
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(1, 1 + NONCE_BYTES), additionalData: aadFor(hostId) }, configKey, bytes.slice(1 + NONCE_BYTES));
  } catch (cause) {
    throw new WrongKeyError('The configuration did not decrypt: this is not its key, or the archive was altered.', { cause });
  }
  const parsed = JSON.parse(decoder.decode(plain)) as { keyId: string; providerId: string; fingerprint: string; kdk: string }[];
  return parsed.map((s) => {
    const kdk = base64ToBytes(s.kdk);
    if (!kdk || kdk.length !== KEY_BYTES) throw new KeylabCryptoError('INVALID_KEY_LENGTH', `The configuration holds a damaged key ${s.keyId}.`);
    return { keyId: s.keyId, providerId: s.providerId, fingerprint: s.fingerprint, kdk };
  });
}

/** A TPM's own key: it seals and unseals, and its bytes never leave the TPM (non-extractable). */
export function newTpmSealingKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-KW', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}

export async function sealToTpm(configKey: CryptoKey, tpmKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.wrapKey('raw', configKey, tpmKey, 'AES-KW'));
}

/** Only the TPM that sealed it opens it: any other key (a cleared TPM's new seed, another host's TPM) is refused. */
export async function unsealFromTpm(sealed: Uint8Array, tpmKey: CryptoKey): Promise<CryptoKey> {
  try {
    return await crypto.subtle.unwrapKey('raw', new Uint8Array(sealed), tpmKey, 'AES-KW', AES_GCM, true, ['encrypt', 'decrypt']);
  } catch (cause) {
    throw new WrongKeyError('This TPM did not seal this configuration key.', { cause });
  }
}

// The recovery key on screen: 32 bytes as sixteen 16-bit values, each multiplied by 11 and written in six digits, so a
// mistyped group is caught before any decryption is tried (the look of esxcli's listing; the check is the lab's).
const GROUPS = KEY_BYTES / 2;
const CHECK = 11;

export function recoveryKeyText(raw: Uint8Array): string {
  if (raw.length !== KEY_BYTES) throw new KeylabCryptoError('INVALID_KEY_LENGTH', `A recovery key is ${KEY_BYTES} bytes; got ${raw.length}.`);
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) groups.push(String((raw[2 * i]! * 256 + raw[2 * i + 1]!) * CHECK).padStart(6, '0'));
  return groups.join('-');
}

/** The 32 bytes of a typed recovery key, or why it cannot be one (a group mistyped, too short…). */
export function parseRecoveryKey(text: string): { raw: Uint8Array } | { problem: string } {
  const groups = text.trim().split(/[\s-]+/).filter(Boolean);
  if (groups.length !== GROUPS) return { problem: `A recovery key has ${GROUPS} groups of six digits separated by dashes; this has ${groups.length}.` };
  const raw = new Uint8Array(KEY_BYTES);
  for (const [i, g] of groups.entries()) {
    const n = /^\d{6}$/.test(g) ? Number(g) : NaN;
    if (!Number.isInteger(n) || n % CHECK !== 0 || n / CHECK > 0xffff) return { problem: `Group ${i + 1} (“${g}”) is not part of a recovery key: check it for a typo.` };
    raw[2 * i] = (n / CHECK) >> 8;
    raw[2 * i + 1] = (n / CHECK) & 0xff;
  }
  return { raw };
}
