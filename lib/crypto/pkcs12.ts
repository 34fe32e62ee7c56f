// The NKP backup: the KDK and its provider's identity in a password-protected PKCS#12 (.p12) file openssl can read.
//
// Layout (DESIGN.md §4a), chosen so that `openssl pkcs12 -info -nodes` with the right password prints the KDK itself:
//   PFX v3, integrity by HMAC-SHA-256 over the AuthenticatedSafe (PKCS#12 password MAC)
//   └ AuthenticatedSafe: one EncryptedData (privacy mode 1: PBES2, PBKDF2-HMAC-SHA-256, AES-256-CBC)
//     └ SafeContents: one SafeBag of type secretBag (1.2.840.113549.1.12.10.1.5)
//       ├ SecretBag: secretTypeId id-aes256-wrap (the KDK is an AES-256 key-wrapping key), value an OCTET STRING
//       │ holding the 32 raw key bytes (openssl prints them in hex; Java keytool's PKCS#8-wrapped form it would not)
//       └ attributes: friendlyName, localKeyID and keylab's own (see pkcs12-attributes.ts)
//
// This module pulls in pkijs (large): the UI must load it with a dynamic import(), only when a backup is made or
// restored.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KeylabCryptoError, P12NoKdkError } from './errors';
import { exportRawKey, importKdk, KEY_BYTES } from './keys';
import { decodeBagAttributes, encodeBagAttributes, normaliseKeyId } from './pkcs12-attributes';
import { readPasswordPfx, writePasswordPfx, type ReadPfxOptions } from './pkcs12-container';

export type { ReadPfxOptions as ImportNkpBackupOptions } from './pkcs12-container';

export interface NkpBackupContents {
  /** Extractable AES-KW key: it must be read out to be backed up, and a restored one must be backed up again. */
  kdk: CryptoKey;
  providerName: string;
  /** UUID, as vCenter shows it. */
  keyId: string;
  /** Milliseconds since the epoch. */
  exportedAt: number;
  /** "Use key provider only with TPM protected ESXi hosts". */
  tpmOnly: boolean;
}

export const OID_SECRET_BAG = '1.2.840.113549.1.12.10.1.5';
/** The secret's type: the KDK is an AES-256 key-wrapping key (NIST id-aes256-wrap), which openssl names as such. */
export const OID_AES256_WRAP = '2.16.840.1.101.3.4.1.45';

/**
 * An empty password is allowed, as in vSphere (recommended, not required); the file is then readable by anyone who
 * has it, which the UI must say.
 */
export async function exportNkpBackup(contents: NkpBackupContents, password: string): Promise<Uint8Array> {
  const meta = checkContents(contents);
  const raw = await exportRawKey(contents.kdk);
  if (contents.kdk.algorithm.name !== 'AES-KW' || raw.length !== KEY_BYTES) {
    raw.fill(0);
    throw new KeylabCryptoError('KEY_TYPE_MISMATCH', 'An NKP backup holds a KDK: an AES-256 key-wrapping (AES-KW) key.');
  }

  const bag = new pkijs.SafeBag({
    bagId: OID_SECRET_BAG,
    bagValue: new pkijs.SecretBag({
      secretTypeId: OID_AES256_WRAP,
      secretValue: new RawSecretValue(new asn1js.OctetString({ valueHex: raw })),
    }),
    bagAttributes: encodeBagAttributes(meta),
  });

  try {
    return await writePasswordPfx([bag], password);
  } finally {
    raw.fill(0);
  }
}

/**
 * Three steps, each with its own error: parse the file (P12CorruptError), check its MAC with the password
 * (P12WrongPasswordError), find exactly one KDK with its provider details (P12NoKdkError). The password check reports
 * progress and can be cancelled (options); a cancelled import rejects with an AbortError DOMException.
 */
export async function importNkpBackup(bytes: Uint8Array, password: string, options: ReadPfxOptions = {}): Promise<NkpBackupContents> {
  const kdkBags = (await readPasswordPfx(bytes, password, options)).filter(isKdkBag);
  if (kdkBags.length === 0) throw new P12NoKdkError();
  if (kdkBags.length > 1) {
    throw new P12NoKdkError(
      `This .p12 file holds ${kdkBags.length} keys; an NKP backup holds exactly one KDK, so keylab cannot tell which to restore.`,
    );
  }
  const bag = kdkBags[0] as pkijs.SafeBag<pkijs.SecretBag>;
  const meta = decodeBagAttributes(bag.bagAttributes);
  if (!meta) {
    throw new P12NoKdkError(
      'This .p12 file holds a 32-byte key but not the Native Key Provider’s name, key ID, export time and TPM setting, ' +
        'so it is not an NKP backup keylab can restore.',
    );
  }
  const secret = bag.bagValue.secretValue as unknown as asn1js.OctetString;
  const keyBytes = new Uint8Array(secret.valueBlock.valueHexView);
  try {
    return { kdk: await importKdk(keyBytes, true), ...meta };
  } finally {
    keyBytes.fill(0);
  }
}

/** Like vSphere's download: <provider name>_<key ID>.p12, with anything a file system might refuse replaced by "_". */
export function nkpBackupFileName(providerName: string, keyId: string): string {
  const clean = (s: string) =>
    s
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/_+/g, '_')
      .replace(/^[._]+|[._]+$/g, '');
  const name = clean(providerName).slice(0, 100) || 'native-key-provider';
  const id = clean(keyId.toLowerCase()).slice(0, 64);
  return id ? `${name}_${id}.p12` : `${name}.p12`;
}

/** pkijs writes a secret bag's value through toSchema(), which a plain asn1js block lacks. */
class RawSecretValue implements pkijs.SchemaCompatible {
  constructor(private readonly block: asn1js.OctetString) {}
  toSchema(): asn1js.OctetString {
    return this.block;
  }
  fromSchema(): void {
    throw new Error('RawSecretValue is write-only: a parsed secret bag holds a plain asn1js block.');
  }
  toJSON() {
    return this.block.toJSON();
  }
}

function checkContents(c: NkpBackupContents) {
  const invalid = (message: string) => new KeylabCryptoError('INVALID_ARGUMENT', message);
  if (typeof c.providerName !== 'string' || c.providerName.trim() === '') {
    throw invalid('An NKP backup needs the key provider’s name.');
  }
  const keyId = typeof c.keyId === 'string' ? normaliseKeyId(c.keyId) : null;
  if (keyId === null) throw invalid(`A key provider's key ID is a UUID; "${String(c.keyId)}" is not one.`);
  if (!Number.isSafeInteger(c.exportedAt) || c.exportedAt < 0 || c.exportedAt > 8.64e15) {
    throw invalid('The export time must be a date, in whole milliseconds since 1970.');
  }
  if (typeof c.tpmOnly !== 'boolean') throw invalid('The TPM setting must be true or false.');
  return { providerName: c.providerName, keyId, exportedAt: c.exportedAt, tpmOnly: c.tpmOnly };
}

export function isKdkBag(bag: pkijs.SafeBag): boolean {
  if (bag.bagId !== OID_SECRET_BAG || !(bag.bagValue instanceof pkijs.SecretBag)) return false;
  if (bag.bagValue.secretTypeId !== OID_AES256_WRAP) return false;
  const value = bag.bagValue.secretValue as unknown;
  return value instanceof asn1js.OctetString && value.valueBlock.valueHexView.length === KEY_BYTES;
}
