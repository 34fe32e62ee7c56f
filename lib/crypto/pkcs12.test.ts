// Checks the NKP backup (.p12): round trip, metadata, every error a learner can meet, and that real openssl reads it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './test-support';
import { KeylabCryptoError, P12CorruptError, P12NoKdkError, P12TooManyIterationsError, P12WrongPasswordError } from './errors';
import { exportRawKey, generateDek, generateKdk, generateKek, keyFingerprint } from './keys';
import {
  exportNkpBackup,
  importNkpBackup,
  nkpBackupFileName,
  OID_AES256_WRAP,
  OID_SECRET_BAG,
  type NkpBackupContents,
} from './pkcs12';
import { encodeBagAttributes, type NkpBagMetadata } from './pkcs12-attributes';
import { PFX_ITERATIONS, writePasswordPfx } from './pkcs12-container';
import { deriveKek } from './derive';

const PASSWORD = 'VMware1!-backup';
/** Opens `bytes` with `password` and expects the refusal `kind` with its code; returns it so a test can read its message. */
async function expectImportRefused<E extends KeylabCryptoError>(
  bytes: Uint8Array,
  kind: new (message?: string) => E,
  code: E['code'],
  password = PASSWORD,
): Promise<E> {
  const error = await errorOf(() => importNkpBackup(bytes, password));
  expect(error).toBeInstanceOf(kind);
  expect((error as KeylabCryptoError).code).toBe(code);
  return error as E;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

async function newContents(overrides: Partial<NkpBackupContents> = {}): Promise<NkpBackupContents> {
  return {
    kdk: await generateKdk(),
    providerName: 'nkp-prod',
    keyId: crypto.randomUUID(),
    exportedAt: Date.UTC(2026, 10, 23, 9, 30, 15, 123),
    tpmOnly: true,
    ...overrides,
  };
}

function metaOf(c: NkpBackupContents): NkpBagMetadata {
  return { providerName: c.providerName, keyId: c.keyId, exportedAt: c.exportedAt, tpmOnly: c.tpmOnly };
}

/** A secret bag built by hand, to make .p12 files keylab would never write. */
function secretBag(value: Uint8Array, attributes?: pkijs.Attribute[], typeId = OID_AES256_WRAP): pkijs.SafeBag {
  const block = new asn1js.OctetString({ valueHex: value });
  return new pkijs.SafeBag({
    bagId: OID_SECRET_BAG,
    bagValue: new pkijs.SecretBag({
      secretTypeId: typeId,
      secretValue: { toSchema: () => block } as unknown as pkijs.SchemaCompatible,
    }),
    ...(attributes ? { bagAttributes: attributes } : {}),
  });
}

/** Odd files are written with few iterations so the suite stays fast; the reader accepts any sane count. */
const craft = (bags: pkijs.SafeBag[], options: { encrypt?: boolean } = {}) =>
  writePasswordPfx(bags, PASSWORD, { iterations: 1_000, ...options });

describe('NKP backup round trip', () => {
  let contents: NkpBackupContents;
  let file: Uint8Array;

  beforeAll(async () => {
    contents = await newContents();
    file = await exportNkpBackup(contents, PASSWORD);
  });

  it('restores the same KDK: it derives the KEKs the original KDK derived', async () => {
    const keyId = crypto.randomUUID();
    const kek = await deriveKek(contents.kdk, keyId);
    const restored = await importNkpBackup(file, PASSWORD);
    const kekAgain = await deriveKek(restored.kdk, keyId);
    expect(await keyFingerprint(kekAgain)).toBe(await keyFingerprint(kek));
    expect(hex(await exportRawKey(restored.kdk))).toBe(hex(await exportRawKey(contents.kdk)));
  });

  it('restores an extractable AES-KW KDK, so the restored provider can be backed up again', async () => {
    const { kdk } = await importNkpBackup(file, PASSWORD);
    expect(kdk.algorithm).toMatchObject({ name: 'AES-KW', length: 256 });
    expect(kdk.extractable).toBe(true);
    expect([...kdk.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
    const again = await importNkpBackup(await exportNkpBackup({ ...contents, kdk }, 'another'), 'another');
    expect(await keyFingerprint(again.kdk)).toBe(await keyFingerprint(contents.kdk));
  });

  it('keeps the provider name, key ID, export time to the millisecond and TPM setting', async () => {
    const restored = await importNkpBackup(file, PASSWORD);
    expect(metaOf(restored)).toEqual(metaOf(contents));

    const other = await newContents({ providerName: 'Schlüssel-Anbieter Zürich ☂', tpmOnly: false, exportedAt: 1 });
    expect(metaOf(await importNkpBackup(await exportNkpBackup(other, PASSWORD), PASSWORD))).toEqual(metaOf(other));
  });

  it('stores the key ID in lower case, as vCenter shows it', async () => {
    const c = await newContents();
    const upper = { ...c, keyId: c.keyId.toUpperCase() };
    expect((await importNkpBackup(await exportNkpBackup(upper, PASSWORD), PASSWORD)).keyId).toBe(c.keyId);
  });

  it('writes new salts each time, so two backups of one key differ but both open', async () => {
    const second = await exportNkpBackup(contents, PASSWORD);
    expect(hex(second)).not.toBe(hex(file));
    expect((await importNkpBackup(second, PASSWORD)).keyId).toBe(contents.keyId);
  });

  it('never carries the KDK in the clear', async () => {
    expect(hex(file)).not.toContain(hex(await exportRawKey(contents.kdk)));
  });

  it('accepts a password however its accents were typed (NFC and NFD are the same password)', async () => {
    const nfc = 'café-clé'.normalize('NFC');
    const nfd = 'café-clé'.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    const bytes = await exportNkpBackup(contents, nfc);
    expect((await importNkpBackup(bytes, nfd)).keyId).toBe(contents.keyId);
  });

  it('allows an empty password, as vSphere does, and then refuses any other', async () => {
    const bytes = await exportNkpBackup(contents, '');
    expect((await importNkpBackup(bytes, '')).keyId).toBe(contents.keyId);
    expect(await errorOf(() => importNkpBackup(bytes, ' '))).toBeInstanceOf(P12WrongPasswordError);
  });

  it('exports with the lab\'s iteration count and imports it again (times printed, not asserted)', async () => {
    const runs: { exportMs: number; importMs: number }[] = [];
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      const bytes = await exportNkpBackup(contents, PASSWORD);
      // The cost is set by the MAC's iteration count, the one the README's timings are for: raising it tenfold would
      // make the learner wait tenfold, so changing it is a decision to make here, not a side effect.
      expect(PFX_ITERATIONS).toBe(30_000);
      expect(pkijs.PFX.fromBER(bytes.slice().buffer).macData?.iterations).toBe(PFX_ITERATIONS);
      const exportMs = performance.now() - t;
      t = performance.now();
      await importNkpBackup(bytes, PASSWORD);
      runs.push({ exportMs, importMs: performance.now() - t });
    }
    const best = runs.reduce((a, b) => (a.exportMs + a.importMs <= b.exportMs + b.importMs ? a : b));
    console.info(
      `NKP .p12 (${PFX_ITERATIONS} iterations): export ${best.exportMs.toFixed(0)} ms, ` +
        `import ${best.importMs.toFixed(0)} ms (best of 3), file ${file.length} bytes`,
    );
  });
});

describe('a wrong password', () => {
  it('fails the MAC check with P12WrongPasswordError and a message a learner understands', async () => {
    const file = await exportNkpBackup(await newContents(), PASSWORD);
    for (const wrong of ['vmware1!-backup', PASSWORD + ' ', '', 'x']) {
      const error = await expectImportRefused(file, P12WrongPasswordError, 'P12_WRONG_PASSWORD', wrong);
      expect(error.message).toMatch(/password is wrong/);
    }
  });
});

describe('a file whose MAC and contents use different passwords', () => {
  it('is refused as a password problem, never decrypted into a wrong key', async () => {
    const c = await newContents();
    const bag = secretBag(await exportRawKey(c.kdk), encodeBagAttributes(metaOf(c)));
    const encoder = new TextEncoder();
    const authenticatedSafe = new pkijs.AuthenticatedSafe({
      parsedValue: { safeContents: [{ privacyMode: 1, value: new pkijs.SafeContents({ safeBags: [bag] }) }] },
    });
    await authenticatedSafe.makeInternalValues({
      safeContents: [
        {
          password: encoder.encode('contents-password').buffer,
          contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 },
          hmacHashAlgorithm: 'SHA-256',
          iterationCount: 1_000,
        },
      ],
    });
    const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
    await pfx.makeInternalValues({
      password: encoder.encode(PASSWORD).buffer,
      iterations: 1_000,
      pbkdf2HashAlgorithm: 'SHA-256',
      hmacHashAlgorithm: 'SHA-256',
    });
    const error = await errorOf(() => importNkpBackup(new Uint8Array(pfx.toSchema().toBER(false)), PASSWORD));
    expect(error).toBeInstanceOf(P12WrongPasswordError);
    expect((error as Error).message).toMatch(/two different passwords/);
  });
});

describe('a damaged file or one that is not a .p12', () => {
  let file: Uint8Array;
  beforeAll(async () => {
    file = await exportNkpBackup(await newContents(), PASSWORD);
  });

  const expectCorrupt = (bytes: Uint8Array) => expectImportRefused(bytes, P12CorruptError, 'P12_CORRUPT');

  it('refuses an empty file', async () => {
    expect((await expectCorrupt(new Uint8Array(0))).message).toMatch(/empty/);
  });

  it.each([1, 2, 10, 100, 300, -1])('refuses the file cut short to %i bytes', async (cut) => {
    const error = await expectCorrupt(file.slice(0, cut));
    expect(error.message).toMatch(/truncated|not a \.p12/);
  });

  it('refuses the file with bytes appended', async () => {
    await expectCorrupt(new Uint8Array([...file, 0x00, 0x01]));
  });

  it('refuses files that are something else: text, random bytes, another ASN.1 structure', async () => {
    await expectCorrupt(new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'));
    await expectCorrupt(crypto.getRandomValues(new Uint8Array(512)));
    const notPfx = new asn1js.Sequence({ value: [new asn1js.Integer({ value: 3 }), new asn1js.Null()] });
    await expectCorrupt(new Uint8Array(notPfx.toBER(false)));
  });

  it('calls any garbage a damaged file, never a parser library error (500 seeded random inputs)', async () => {
    let seed = 0x9e3779b9;
    const nextByte = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed & 0xff;
    };
    for (let i = 0; i < 500; i++) {
      // Half start like a DER SEQUENCE, so the parser gets further into the structure before it trips.
      const bytes = Uint8Array.from({ length: 16 + (i % 64) * 8 }, nextByte);
      if (i % 2 === 0) bytes.set([0x30, 0x82, (bytes.length - 4) >> 8, (bytes.length - 4) & 0xff]);
      await expectCorrupt(bytes);
    }
  });

  it('never returns a key from a file with any byte changed: the MAC or the parser catches it', async () => {
    const positions = new Set([0, 1, 5, file.length - 1]);
    for (let i = 0; i < 16; i++) positions.add(Math.floor(((i + 0.5) * file.length) / 16));
    for (const at of positions) {
      const altered = file.slice();
      altered[at]! ^= 0x5a;
      const error = await errorOf(() => importNkpBackup(altered, PASSWORD));
      expect([P12WrongPasswordError, P12CorruptError].some((kind) => error instanceof kind), `byte ${at}`).toBe(true);
    }
  });

  it('refuses a file with no MAC, since a wrong password could not be told from a right one', async () => {
    const pfx = pkijs.PFX.fromBER(new Uint8Array(file));
    delete pfx.macData;
    const error = await expectCorrupt(new Uint8Array(pfx.toSchema().toBER(false)));
    expect(error.message).toMatch(/no integrity check/);
  });

  it('refuses an absurd iteration count at once instead of freezing the page', async () => {
    const pfx = pkijs.PFX.fromBER(new Uint8Array(file));
    pfx.macData!.iterations = 1_000_000_000;
    let slicesRun = 0;
    const error = await errorOf(() => importNkpBackup(new Uint8Array(pfx.toSchema().toBER(false)), PASSWORD, { onProgress: () => slicesRun++ }));
    expect(error).toBeInstanceOf(P12TooManyIterationsError);
    expect((error as Error).message).toMatch(/1,000,000,000 password iterations; keylab opens backups with 1 to 2,000,000/);
    // At once: refused before the password work ran a single slice.
    expect(slicesRun).toBe(0);
  });
});

describe('a valid .p12 that holds no KDK', () => {
  const expectNoKdk = (bytes: Uint8Array) => expectImportRefused(bytes, P12NoKdkError, 'P12_NO_KDK');

  it('refuses an empty one', async () => {
    const error = await expectNoKdk(await craft([]));
    expect(error.message).toMatch(/no Native Key Provider key/);
  });

  it('refuses a secret bag holding a key that is not 32 bytes', async () => {
    const meta = metaOf(await newContents());
    await expectNoKdk(await craft([secretBag(new Uint8Array(16).fill(1), encodeBagAttributes(meta))]));
    await expectNoKdk(await craft([secretBag(new Uint8Array(33).fill(1), encodeBagAttributes(meta))]));
  });

  it('refuses a secret bag of another type (for example a Java keytool secret key)', async () => {
    const meta = metaOf(await newContents());
    const pkcs8Shrouded = '1.2.840.113549.1.12.10.1.2';
    await expectNoKdk(await craft([secretBag(new Uint8Array(32).fill(1), encodeBagAttributes(meta), pkcs8Shrouded)]));
  });

  it('refuses a 32-byte key without the provider name, key ID, export time and TPM setting', async () => {
    const error = await expectNoKdk(await craft([secretBag(new Uint8Array(32).fill(1))]));
    expect(error.message).toMatch(/not an NKP backup/);
    const meta = metaOf(await newContents());
    const noName = encodeBagAttributes(meta).slice(1);
    await expectNoKdk(await craft([secretBag(new Uint8Array(32).fill(1), noName)]));
  });

  it('refuses a key whose two key IDs (localKeyID and the readable one) disagree', async () => {
    const meta = metaOf(await newContents());
    const attrs = encodeBagAttributes(meta);
    const otherId = encodeBagAttributes({ ...meta, keyId: crypto.randomUUID() });
    const mixed = attrs.map((a, i) => (a.type === '1.2.840.113549.1.9.21' ? otherId[i]! : a));
    await expectNoKdk(await craft([secretBag(new Uint8Array(32).fill(1), mixed)]));
  });

  it('refuses two KDKs rather than guess which one to restore', async () => {
    const meta = metaOf(await newContents());
    const attrs = encodeBagAttributes(meta);
    const error = await expectNoKdk(
      await craft([secretBag(new Uint8Array(32).fill(1), attrs), secretBag(new Uint8Array(32).fill(2), attrs)]),
    );
    expect(error.message).toMatch(/2 keys/);
  });

  it('still finds a KDK kept in unencrypted SafeContents (other tools may write them so)', async () => {
    const c = await newContents();
    const raw = await exportRawKey(c.kdk);
    const restored = await importNkpBackup(
      await craft([secretBag(raw, encodeBagAttributes(metaOf(c)))], { encrypt: false }),
      PASSWORD,
    );
    expect(await keyFingerprint(restored.kdk)).toBe(await keyFingerprint(c.kdk));
  });
});

describe('export refuses what is not an NKP backup', () => {
  it('a KDK that is not extractable, a DEK, a key ID that is not a UUID, no name, a bad time', async () => {
    const c = await newContents();
    const code = async (work: () => Promise<unknown>) => ((await errorOf(work)) as KeylabCryptoError).code;
    expect(await code(async () => exportNkpBackup({ ...c, kdk: await generateKek() }, PASSWORD))).toBe(
      'KEY_NOT_EXTRACTABLE',
    );
    expect(await code(async () => exportNkpBackup({ ...c, kdk: await generateDek() }, PASSWORD))).toBe(
      'KEY_TYPE_MISMATCH',
    );
    expect(await code(() => exportNkpBackup({ ...c, keyId: 'key-1' }, PASSWORD))).toBe('INVALID_ARGUMENT');
    expect(await code(() => exportNkpBackup({ ...c, providerName: '  ' }, PASSWORD))).toBe('INVALID_ARGUMENT');
    expect(await code(() => exportNkpBackup({ ...c, exportedAt: Number.NaN }, PASSWORD))).toBe('INVALID_ARGUMENT');
    expect(await code(() => exportNkpBackup({ ...c, exportedAt: 1.5 }, PASSWORD))).toBe('INVALID_ARGUMENT');
  });
});

describe('nkpBackupFileName', () => {
  const id = '6ba63788-166b-4ab4-86ef-7a42ae8e55ac';
  it('names the file <provider>_<key ID>.p12, as vSphere does', () => {
    expect(nkpBackupFileName('nkp-prod', id)).toBe(`nkp-prod_${id}.p12`);
    expect(nkpBackupFileName('nkp-prod', id.toUpperCase())).toBe(`nkp-prod_${id}.p12`);
  });
  it('replaces what a file system might refuse, and never climbs out of the download folder', () => {
    expect(nkpBackupFileName('my/prov:ider*?', id)).toBe(`my_prov_ider_${id}.p12`);
    expect(nkpBackupFileName('../../etc/passwd', id)).toBe(`etc_passwd_${id}.p12`);
    expect(nkpBackupFileName('Zürich KMS', id)).toBe(`Zürich_KMS_${id}.p12`);
    expect(nkpBackupFileName('   ', id)).toBe(`native-key-provider_${id}.p12`);
    expect(nkpBackupFileName('a'.repeat(300), id)).toBe(`${'a'.repeat(100)}_${id}.p12`);
  });
});

// The real openssl reads the file: the promise DESIGN.md makes to the learner.
describe('openssl pkcs12 reads the backup', () => {
  let dir: string;
  beforeAll(() => {
    const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(
        'openssl is needed by this test and was not found: install it (Debian: apt-get install openssl; .ci/run does).',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'keylab-p12-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const openssl = (args: string[]) => {
    const run = spawnSync('openssl', args, { encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
  };

  it('prints the secret bag, the friendly name, the metadata and the 32 KDK bytes in hex', async () => {
    const contents = await newContents({ providerName: 'nkp-prod-01' });
    const path = join(dir, nkpBackupFileName(contents.providerName, contents.keyId));
    writeFileSync(path, await exportNkpBackup(contents, PASSWORD));

    const { status, output } = openssl(['pkcs12', '-info', '-in', path, '-passin', `pass:${PASSWORD}`, '-nodes']);
    expect(status, output).toBe(0);
    expect(output).toContain('Secret bag');
    expect(output).toContain('friendlyName: nkp-prod-01');
    expect(output).toContain(`keyId=${contents.keyId}`);
    expect(output).toContain('exportedAt=2026-11-23T09:30:15.123Z');
    expect(output).toContain('tpmOnly=true');
    expect(output).toContain('Bag Type: id-aes256-wrap');
    expect(output).toMatch(/MAC: sha256, Iteration 30000/);
    expect(output).toMatch(/PBES2, PBKDF2, AES-256-CBC, Iteration 30000, PRF hmacWithSHA256/);
    const keyHex = Array.from(await exportRawKey(contents.kdk), (b) => b.toString(16).padStart(2, '0').toUpperCase());
    expect(output).toContain(keyHex.join(' '));
  });

  it('fails its MAC check with a wrong password', async () => {
    const path = join(dir, 'wrong.p12');
    writeFileSync(path, await exportNkpBackup(await newContents(), PASSWORD));
    const { status, output } = openssl(['pkcs12', '-info', '-in', path, '-passin', 'pass:not-the-password', '-nodes']);
    expect(status).not.toBe(0);
    expect(output).toMatch(/mac verify error/i);
  });

  it('reads a backup with an empty password', async () => {
    const contents = await newContents();
    const path = join(dir, 'empty.p12');
    writeFileSync(path, await exportNkpBackup(contents, ''));
    const { status, output } = openssl(['pkcs12', '-info', '-in', path, '-passin', 'pass:', '-nodes']);
    expect(status, output).toBe(0);
    expect(output).toContain(`keyId=${contents.keyId}`);
  });

  /** A KMS-like certificate and key, as a learner might pick up by mistake instead of the NKP backup. */
  const makeCertificate = () => {
    const key = join(dir, 'kms.key');
    const cert = join(dir, 'kms.crt');
    const req = openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', key, '-out', cert, '-subj', '/CN=kms-a.lab.local', '-days', '1',
    ]); // prettier-ignore
    expect(req.status, req.output).toBe(0);
    return { key, cert };
  };

  it('a .p12 openssl made from a certificate and its key is refused as holding no KDK', async () => {
    const { key, cert } = makeCertificate();
    const p12 = join(dir, 'kms.p12');
    const made = openssl(['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', p12, '-passout', `pass:${PASSWORD}`]);
    expect(made.status, made.output).toBe(0);
    const bytes = new Uint8Array(readFileSync(p12));
    expect(await errorOf(() => importNkpBackup(bytes, PASSWORD))).toBeInstanceOf(P12NoKdkError);
    expect(await errorOf(() => importNkpBackup(bytes, 'wrong'))).toBeInstanceOf(P12WrongPasswordError);
  });

  it('a .p12 in the old 3DES format opens its MAC but is refused with a clear reason', async () => {
    const { key, cert } = makeCertificate();
    const p12 = join(dir, 'kms-3des.p12');
    const made = openssl([
      'pkcs12', '-export', '-in', cert, '-inkey', key, '-out', p12, '-passout', `pass:${PASSWORD}`,
      '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1',
    ]); // prettier-ignore
    expect(made.status, made.output).toBe(0);
    const bytes = new Uint8Array(readFileSync(p12));
    // The SHA-1 MAC is checked first, so a wrong password is still reported as such.
    expect(await errorOf(() => importNkpBackup(bytes, 'wrong'))).toBeInstanceOf(P12WrongPasswordError);
    const error = await errorOf(() => importNkpBackup(bytes, PASSWORD));
    expect(error).toBeInstanceOf(P12CorruptError);
    expect((error as Error).message).toMatch(/scheme keylab cannot read/);
  });
});
