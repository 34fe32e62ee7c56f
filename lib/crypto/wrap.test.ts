// Checks key wrapping (DEK under KEK, KEK under KDK): round trips, what stays extractable, wrong keys, base64.
import { describe, expect, it } from 'vitest';
import { errorOf } from './test-support';
import { KeylabCryptoError, WrongKeyError } from './errors';
import { exportRawKey, generateDek, generateKdk, generateKek, importKdk, keyFingerprint } from './keys';
import {
  createWrappedDek,
  fromBase64,
  toBase64,
  unwrapDek,
  unwrapKek,
  wrapKey,
} from './wrap';

async function expectCode(work: () => Promise<unknown>, code: string) {
  const error = await errorOf(work);
  expect(error).toBeInstanceOf(KeylabCryptoError);
  expect((error as KeylabCryptoError).code).toBe(code);
  return error as KeylabCryptoError;
}

const iv = new Uint8Array(12).fill(7);
const secret = new TextEncoder().encode('guest data: payroll.xlsx');

async function encryptWith(dek: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, dek, secret));
}

async function decryptWith(dek: CryptoKey, sealed: Uint8Array): Promise<string> {
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, dek, new Uint8Array(sealed)));
}

describe('a DEK wrapped by its KEK', () => {
  it('round-trips: the unwrapped DEK decrypts what the original encrypted, and is non-extractable', async () => {
    const kek = await generateKek();
    const dek = await generateDek();
    const sealed = await encryptWith(dek);
    const wrapped = await wrapKey(dek, kek);
    expect(wrapped).toHaveLength(40); // 32 key bytes + 8 bytes of AES-KW integrity check

    const back = await unwrapDek(wrapped, kek);
    expect(back.extractable).toBe(false);
    expect(back.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect(await decryptWith(back, sealed)).toBe('guest data: payroll.xlsx');
  });

  it('createWrappedDek keeps only a non-extractable DEK and a wrapped copy that opens to the same key', async () => {
    const kek = await generateKek();
    const { dek, wrapped } = await createWrappedDek(kek);
    expect(dek.extractable).toBe(false);
    await expectCode(() => exportRawKey(dek), 'KEY_NOT_EXTRACTABLE');

    const sealed = await encryptWith(dek);
    expect(await decryptWith(await unwrapDek(wrapped, kek), sealed)).toBe('guest data: payroll.xlsx');
  });

  it('gives each call a new DEK', async () => {
    const kek = await generateKek();
    const a = await createWrappedDek(kek);
    const b = await createWrappedDek(kek);
    expect(toBase64(a.wrapped)).not.toBe(toBase64(b.wrapped));
    expect(await keyFingerprint(a.dek)).not.toBe(await keyFingerprint(b.dek));
  });

  it('refuses to wrap a non-extractable key (WebCrypto cannot)', async () => {
    const { dek } = await createWrappedDek(await generateKek());
    const kek = await generateKek();
    await expectCode(() => wrapKey(dek, kek), 'KEY_NOT_EXTRACTABLE');
  });
});

describe('a KEK wrapped by a KDK (labs saved before NKP KEKs were derived)', () => {
  it('the wrapped copy opens with the KDK to the same KEK, non-extractable by default', async () => {
    const kdk = await generateKdk();
    const kek = await generateKek({ extractable: true });
    const wrapped = await wrapKey(kek, kdk);
    const back = await unwrapKek(wrapped, kdk);
    expect(back.extractable).toBe(false);
    expect(await keyFingerprint(back)).toBe(await keyFingerprint(kek));
    expect((await unwrapKek(wrapped, kdk, { extractable: true })).extractable).toBe(true);
  });

  it('the whole chain survives a KDK restored from its bytes: KDK -> KEK -> DEK -> data', async () => {
    const kdk = await generateKdk();
    const wrappedKek = await wrapKey(await generateKek({ extractable: true }), kdk);
    const kek = await unwrapKek(wrappedKek, kdk);
    const { dek, wrapped: wrappedDek } = await createWrappedDek(kek);
    const sealed = await encryptWith(dek);

    const restoredKdk = await importKdk(await exportRawKey(kdk));
    const kekAgain = await unwrapKek(wrappedKek, restoredKdk);
    const dekAgain = await unwrapDek(wrappedDek, kekAgain);
    expect(await decryptWith(dekAgain, sealed)).toBe('guest data: payroll.xlsx');
  });

  it('AES-KW is deterministic: the same KEK under the same KDK always gives the same bytes', async () => {
    const kdk = await generateKdk();
    const kek = await generateKek({ extractable: true });
    expect(toBase64(await wrapKey(kek, kdk))).toBe(toBase64(await wrapKey(kek, kdk)));
  });
});

describe('the wrong key', () => {
  it('unwrapping a DEK with another KEK fails with WrongKeyError, never a garbage key', async () => {
    const { wrapped } = await createWrappedDek(await generateKek());
    const other = await generateKek();
    const wrong = await errorOf(() => unwrapDek(wrapped, other));
    expect(wrong).toBeInstanceOf(WrongKeyError);
    expect(wrong).toBeInstanceOf(KeylabCryptoError);
    expect((wrong as WrongKeyError).code).toBe('WRONG_KEY');
    expect((wrong as Error).message).toMatch(/wrong key/i);
  });

  it('unwrapping a KEK with another KDK fails with WrongKeyError', async () => {
    const wrapped = await wrapKey(await generateKek({ extractable: true }), await generateKdk());
    expect(await errorOf(async () => unwrapKek(wrapped, await generateKdk()))).toBeInstanceOf(WrongKeyError);
  });

  it('a single altered bit anywhere in the wrapped key is caught', async () => {
    const kek = await generateKek();
    const { wrapped } = await createWrappedDek(kek);
    for (let i = 0; i < wrapped.length; i++) {
      const altered = wrapped.slice();
      altered[i]! ^= 0x01;
      expect(await errorOf(() => unwrapDek(altered, kek))).toBeInstanceOf(WrongKeyError);
    }
  });

  it('wrapped bytes of the wrong length are refused as WrongKeyError', async () => {
    const kek = await generateKek();
    const { wrapped } = await createWrappedDek(kek);
    for (const bad of [new Uint8Array(0), wrapped.slice(0, 39), new Uint8Array([...wrapped, 0])]) {
      expect(await errorOf(() => unwrapDek(bad, kek))).toBeInstanceOf(WrongKeyError);
    }
  });

  it('a DEK given where a wrapping key belongs is a type mismatch, not a wrong key', async () => {
    const { wrapped } = await createWrappedDek(await generateKek());
    const dek = await generateDek();
    const error = await expectCode(() => unwrapDek(wrapped, dek), 'KEY_TYPE_MISMATCH');
    expect(error).not.toBeInstanceOf(WrongKeyError);
    const extractableDek = await generateDek();
    await expectCode(() => wrapKey(extractableDek, dek), 'KEY_TYPE_MISMATCH');
  });
});

describe('base64 for VM files', () => {
  it('round-trips any bytes, including more than one chunk of String.fromCharCode', () => {
    for (const length of [0, 1, 2, 3, 40, 100_000]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
      expect(Buffer.from(fromBase64(toBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('matches the standard encoding', () => {
    expect(toBase64(new TextEncoder().encode('keylab'))).toBe('a2V5bGFi');
  });

  it.each(['a2V5bGFi ', 'a2V5bGF', 'a2V5-GFi', 'a2V5_GFi', 'a2V5bG==Fi', '@@@@'])(
    'refuses %j rather than guess',
    (text) => {
      let error: unknown;
      try {
        fromBase64(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeylabCryptoError);
      expect((error as KeylabCryptoError).code).toBe('INVALID_BASE64');
    },
  );
});
