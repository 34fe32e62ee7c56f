// A password-protected PKCS#12 (.p12) container: writes and reads SafeBags, checking the MAC, refusing bad files.
//
// Only the profile keylab writes is produced: PFX v3, one SafeContents encrypted with PBES2 (PBKDF2-HMAC-SHA-256,
// AES-256-CBC; PKCS#12 "privacy mode 1"), and a password MAC with HMAC-SHA-256 over the whole AuthenticatedSafe. This
// is also OpenSSL 3.0's default profile, so `openssl pkcs12` reads it. Reading is a little wider (plain SafeContents,
// SHA-1 MACs as older tools write) but every failure is one of two typed errors: P12CorruptError or
// P12WrongPasswordError. What the bags mean is the caller's business (see pkcs12.ts).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KeylabCryptoError, P12CorruptError, P12TooManyIterationsError, P12WrongPasswordError } from './errors';
import { abortError, isKdfHash } from './pkcs12-kdf';
import { derivePkcs12MacKey } from './pkcs12-kdf-client';

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
/** aes128-CBC, aes192-CBC, aes256-CBC (NIST). */
const AES_CBC_OIDS = new Set(['2.16.840.1.101.3.4.1.2', '2.16.840.1.101.3.4.1.22', '2.16.840.1.101.3.4.1.42']);

/**
 * Iterations for both PBKDF2 (encryption) and the PKCS#12 MAC key derivation. They are equal because a password
 * guess can be tested against either one, so the cheaper one sets the strength and more on the other buys nothing.
 * The MAC derivation bounds the count: WebCrypto has no PKCS#12 KDF, so pkijs runs it in JavaScript at about 4 µs an
 * iteration (PBKDF2 runs natively, about 0.3 µs). 30,000 keeps export plus import near 0.25 s in Node on a busy
 * 2-core machine (measured in pkcs12.test.ts); it is about 15 times OpenSSL 3.0's default of 2,048.
 */
export const PFX_ITERATIONS = 30_000;

/**
 * The most password iterations a file may ask for. The MAC's KDF runs off the main thread with progress and a cancel
 * (pkcs12-kdf-client.ts), but a crafted file could still ask for billions and never finish; nothing sensible writes
 * more than this (OpenSSL's default is 2,048, keylab's PFX_ITERATIONS), and it opens in seconds.
 */
export const MAX_ITERATIONS = 2_000_000;

// An explicit engine over the page's (or Node's) WebCrypto, rather than pkijs's process-global default, so no other
// code calling pkijs.setEngine can change what this module computes with.
let engine: pkijs.CryptoEngine | undefined;
function cryptoEngine(): pkijs.CryptoEngine {
  engine ??= new pkijs.CryptoEngine({ name: 'keylab', crypto: globalThis.crypto });
  return engine;
}

/** UTF-8 after NFC, so the same password typed on two systems gives the same bytes (OpenSSL reads UTF-8 too). */
function passwordBytes(password: string): ArrayBuffer {
  if (typeof password !== 'string') {
    throw new KeylabCryptoError('INVALID_ARGUMENT', 'The password must be text (it may be empty).');
  }
  const bytes = new TextEncoder().encode(password.normalize('NFC'));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export interface WritePfxOptions {
  /** Defaults to PFX_ITERATIONS; tests lower it to build odd files quickly. */
  iterations?: number;
  /** false writes the bags unencrypted (privacy mode 0), which keylab never does for a key; for tests. */
  encrypt?: boolean;
}

export async function writePasswordPfx(
  bags: pkijs.SafeBag[],
  password: string,
  options: WritePfxOptions = {},
): Promise<Uint8Array> {
  const pwd = passwordBytes(password);
  const iterations = options.iterations ?? PFX_ITERATIONS;
  const privacyMode = options.encrypt === false ? 0 : 1;
  const authenticatedSafe = new pkijs.AuthenticatedSafe({
    parsedValue: { safeContents: [{ privacyMode, value: new pkijs.SafeContents({ safeBags: bags }) }] },
  });
  await authenticatedSafe.makeInternalValues(
    {
      safeContents: [
        privacyMode === 0
          ? {}
          : {
              password: pwd,
              contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 },
              hmacHashAlgorithm: 'SHA-256',
              iterationCount: iterations,
            },
      ],
    },
    cryptoEngine(),
  );
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  await pfx.makeInternalValues(
    { password: pwd, iterations, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' },
    cryptoEngine(),
  );
  return new Uint8Array(pfx.toSchema().toBER(false));
}

export interface ReadPfxOptions {
  /** Progress of the password check (the MAC's key derivation, nearly all the work): iterations done of total. */
  onProgress?: (done: number, total: number) => void;
  /** Cancels the read; it then rejects with an AbortError DOMException and nothing was opened. */
  signal?: AbortSignal;
}

/**
 * Opens a file in two steps, each with its own error: parse it (P12CorruptError), then check its MAC with the
 * password (P12WrongPasswordError) before decrypting anything. Returns every SafeBag it holds, in order. The password
 * work runs off the main thread (PBKDF2 in WebCrypto, the MAC's KDF in a worker), so the page stays responsive.
 */
export async function readPasswordPfx(bytes: Uint8Array, password: string, options: ReadPfxOptions = {}): Promise<pkijs.SafeBag[]> {
  const pwd = passwordBytes(password);
  try {
    const pfx = parsePfx(bytes);
    const authSafeContent = await verifyMac(pfx, pwd, options);
    const safeContents = await openSafeContents(authSafeContent, pwd);
    if (options.signal?.aborted) throw abortError();
    return safeContents.flatMap((sc) => sc.safeBags);
  } catch (error) {
    // asn1js and pkijs throw plain Errors on some malformed input (e.g. "Wrong input string for conversion" from
    // random bytes): whatever the parser trips on, the learner is told the file is damaged, never a library's words.
    if (error instanceof KeylabCryptoError || isAbortError(error)) throw error;
    throw new P12CorruptError(undefined, { cause: error });
  }
}

function parsePfx(bytes: Uint8Array): pkijs.PFX {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new P12CorruptError('This file is empty, so it cannot be a PKCS#12 (.p12) backup.');
  }
  const asn1 = asn1js.fromBER(bytes);
  // Trailing bytes are refused too: a file with extra data after the PFX was not written by a PKCS#12 tool.
  if (asn1.offset === -1 || asn1.offset !== bytes.length) {
    throw new P12CorruptError(undefined, { cause: new Error(asn1.result.error || 'trailing bytes after the PFX') });
  }
  try {
    const pfx = new pkijs.PFX({ schema: asn1.result });
    if (pfx.version !== 3) throw new Error(`PFX version ${pfx.version}`);
    // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
    if (pfx.macData) pfx.macData.iterations = exactInteger(childOf(childOf(asn1.result, 2), 2)) ?? 1;
    return pfx;
  } catch (cause) {
    throw new P12CorruptError(undefined, { cause });
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Returns the DER of the AuthenticatedSafe once its MAC matches the password. The MAC key comes from the PKCS#12 KDF,
 * which WebCrypto lacks: it runs in a worker (pkcs12-kdf-client.ts); the HMAC itself is WebCrypto's.
 */
async function verifyMac(pfx: pkijs.PFX, password: ArrayBuffer, options: ReadPfxOptions): Promise<ArrayBuffer> {
  if (pfx.authSafe.contentType !== pkijs.ContentInfo.DATA) {
    throw new P12CorruptError(
      'This .p12 file is protected by a certificate signature instead of a password; keylab opens only ' +
        'password-protected files.',
    );
  }
  if (!pfx.macData) {
    throw new P12CorruptError(
      'This .p12 file has no integrity check (MAC), so keylab cannot tell a right password from a wrong one or an ' +
        'altered file. Every file keylab writes has one.',
    );
  }
  let content: ArrayBuffer;
  let hash: string;
  try {
    if (!(pfx.authSafe.content instanceof asn1js.OctetString)) throw new Error('authSafe is not an OCTET STRING');
    content = pfx.authSafe.content.getValue();
    hash = cryptoEngine().getAlgorithmByOID<Algorithm>(pfx.macData.mac.digestAlgorithm.algorithmId, true).name;
  } catch (cause) {
    throw new P12CorruptError(undefined, { cause });
  }
  const iterations = pfx.macData.iterations ?? 1;
  checkIterations(iterations);
  const hashName = hash.toUpperCase();
  if (!isKdfHash(hashName)) throw new P12CorruptError(`This .p12 file's integrity check uses ${hash}, which keylab cannot compute.`);
  const hashBytes = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hashName];
  const macKey = await derivePkcs12MacKey(
    {
      hash: hashName,
      password: new Uint8Array(password),
      salt: new Uint8Array(pfx.macData.macSalt.valueBlock.valueHexView),
      iterations,
      keyBytes: hashBytes,
    },
    options,
  );
  let ok: boolean;
  try {
    const hmac = { name: 'HMAC', hash: hashName, length: hashBytes * 8 };
    const key = await crypto.subtle.importKey('raw', macKey, hmac, false, ['verify']);
    ok = await crypto.subtle.verify('HMAC', key, copyToArrayBuffer(pfx.macData.mac.digest.valueBlock.valueHexView), content);
  } catch (cause) {
    throw new P12CorruptError(undefined, { cause });
  } finally {
    macKey.fill(0);
  }
  if (!ok) throw new P12WrongPasswordError();
  return content;
}

/**
 * Decrypts every password-encrypted part and keeps the plain ones; parts encrypted to a certificate (privacy mode 2)
 * are skipped, since a password cannot open them and keylab never writes them.
 */
async function openSafeContents(authSafeContent: ArrayBuffer, password: ArrayBuffer): Promise<pkijs.SafeContents[]> {
  let parts: pkijs.ContentInfo[];
  try {
    parts = isEmptySequence(authSafeContent) ? [] : pkijs.AuthenticatedSafe.fromBER(authSafeContent).safeContents;
  } catch (cause) {
    throw new P12CorruptError(undefined, { cause });
  }
  const opened: pkijs.SafeContents[] = [];
  for (const part of parts) {
    if (part.contentType === pkijs.id_ContentType_Data) {
      opened.push(parseSafeContents(() => (part.content as asn1js.OctetString).getValue()));
    } else if (part.contentType === pkijs.id_ContentType_EncryptedData) {
      const encrypted = parseOrCorrupt(() => new pkijs.EncryptedData({ schema: part.content }));
      checkEncryption(encrypted);
      let plain: ArrayBuffer;
      try {
        plain = await encrypted.decrypt({ password }, cryptoEngine());
      } catch (cause) {
        // The MAC already matched this password, so the file is intact: its encrypted part used another password.
        throw new P12WrongPasswordError(
          'The password opens this file’s integrity check but not its encrypted contents: it was written with two ' +
            'different passwords, which keylab does not support.',
          { cause },
        );
      }
      opened.push(parseSafeContents(() => plain));
    }
  }
  return opened;
}

function copyToArrayBuffer(view: Uint8Array): ArrayBuffer {
  return new Uint8Array(view).buffer;
}

function parseSafeContents(getDer: () => ArrayBuffer): pkijs.SafeContents {
  return parseOrCorrupt(() => {
    const der = getDer();
    // pkijs's schema wants at least one bag, yet an empty SafeContents is valid (openssl reads it): it holds no KDK.
    return isEmptySequence(der) ? new pkijs.SafeContents({ safeBags: [] }) : pkijs.SafeContents.fromBER(der);
  });
}

function isEmptySequence(der: ArrayBuffer): boolean {
  const bytes = new Uint8Array(der);
  return bytes.length === 2 && bytes[0] === 0x30 && bytes[1] === 0x00;
}

function parseOrCorrupt<T>(parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    throw new P12CorruptError(undefined, { cause });
  }
}

/**
 * pkijs decrypts only PBES2 with PBKDF2 and AES-CBC. Anything else (3DES or RC2 from OpenSSL 1.x or -legacy, DES
 * inside PBES2) is named plainly here, so that a decryption failure later can only mean a different password.
 */
function checkEncryption(encrypted: pkijs.EncryptedData): void {
  const algorithm = encrypted.encryptedContentInfo.contentEncryptionAlgorithm;
  const unreadable = (scheme: string) =>
    new P12CorruptError(
      `This .p12 file is encrypted with a scheme keylab cannot read (${scheme}); keylab reads PBES2 with AES-CBC, ` +
        'as OpenSSL 3 writes by default.',
    );
  if (algorithm.algorithmId !== OID_PBES2) throw unreadable(`an older PKCS#12 scheme, ${algorithm.algorithmId}`);
  const params = parseOrCorrupt(() => new pkijs.PBES2Params({ schema: algorithm.algorithmParams }));
  if (params.keyDerivationFunc.algorithmId !== OID_PBKDF2) {
    throw unreadable(`key derivation ${params.keyDerivationFunc.algorithmId}`);
  }
  const cipher = params.encryptionScheme;
  const iv = cipher.algorithmParams as unknown;
  const ivOk = iv instanceof asn1js.OctetString && iv.valueBlock.valueHexView.length === 16;
  if (!AES_CBC_OIDS.has(cipher.algorithmId) || !ivOk) throw unreadable(`cipher ${cipher.algorithmId}`);
  const pbkdf2 = parseOrCorrupt(() => new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams }));
  // PBKDF2-params ::= SEQUENCE { salt, iterationCount INTEGER, ... }
  checkIterations(exactInteger(childOf(params.keyDerivationFunc.algorithmParams, 1)) ?? pbkdf2.iterationCount);
}

function childOf(block: unknown, index: number): unknown {
  return block instanceof asn1js.Sequence ? block.valueBlock.value[index] : undefined;
}

/** asn1js (and so pkijs) reads an INTEGER of four bytes or more as 0, which would hide a huge count: read it exactly. */
function exactInteger(block: unknown): number | undefined {
  return block instanceof asn1js.Integer ? Number(block.toBigInt()) : undefined;
}

function checkIterations(iterations: number): void {
  if (Number.isSafeInteger(iterations) && iterations >= 1 && iterations <= MAX_ITERATIONS) return;
  const count = Number.isSafeInteger(iterations) ? iterations.toLocaleString('en-US') : String(iterations);
  // Zero or negative: no tool writes that, so the file is damaged.
  if (!(iterations > MAX_ITERATIONS)) throw new P12CorruptError(`This .p12 file asks for ${count} password iterations, which no backup tool writes: it is damaged.`);
  throw new P12TooManyIterationsError(
    `This .p12 file asks for ${count} password iterations; keylab opens backups with 1 to ` +
      `${MAX_ITERATIONS.toLocaleString('en-US')} (OpenSSL writes 2,048 by default, keylab ${PFX_ITERATIONS.toLocaleString('en-US')}). ` +
      'Make the backup again with fewer iterations (openssl pkcs12 -export -iter).',
  );
}
