// Checks the three key levels: AES-256, which may leave WebCrypto (only the KDK), key IDs, and fingerprints.
import { describe, expect, it } from 'vitest';
import { errorOf } from './test-support';
import { KeylabCryptoError } from './errors';
import {
  exportRawKey,
  generateDek,
  generateKdk,
  generateKek,
  importKdk,
  KEY_BYTES,
  keyFingerprint,
  newKeyId,
} from './keys';
import { unwrapKek, wrapKey } from './wrap';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('key generation', () => {
  it('makes the KDK an extractable AES-256 key-wrapping key, so it can be backed up', async () => {
    const kdk = await generateKdk();
    expect(kdk.algorithm).toMatchObject({ name: 'AES-KW', length: 256 });
    expect(kdk.extractable).toBe(true);
    expect([...kdk.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
    expect(await exportRawKey(kdk)).toHaveLength(KEY_BYTES);
  });

  it('makes a KEK non-extractable unless asked, and refuses to read its bytes', async () => {
    const kek = await generateKek();
    expect(kek.algorithm).toMatchObject({ name: 'AES-KW', length: 256 });
    expect(kek.extractable).toBe(false);
    const error = await errorOf(() => exportRawKey(kek));
    expect(error).toBeInstanceOf(KeylabCryptoError);
    expect((error as KeylabCryptoError).code).toBe('KEY_NOT_EXTRACTABLE');

    expect((await generateKek({ extractable: true })).extractable).toBe(true);
  });

  it('makes a DEK an AES-256-GCM data key', async () => {
    const dek = await generateDek();
    expect(dek.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...dek.usages].sort()).toEqual(['decrypt', 'encrypt']);
  });

  it('never hands out the same key twice', async () => {
    const raws = await Promise.all(Array.from({ length: 8 }, async () => hex(await exportRawKey(await generateKdk()))));
    expect(new Set(raws).size).toBe(8);
  });
});

describe('key IDs', () => {
  it('are distinct UUIDs, as vCenter shows them', () => {
    const ids = Array.from({ length: 100 }, newKeyId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(100);
  });
});

describe('importKdk', () => {
  it('restores the same key from its 32 bytes, extractable again so it can be backed up again', async () => {
    const kdk = await generateKdk();
    const raw = await exportRawKey(kdk);
    const restored = await importKdk(raw);
    expect(restored.extractable).toBe(true);
    expect(hex(await exportRawKey(restored))).toBe(hex(raw));

    // The restored KDK opens what the original wrapped: the point of doomsday recovery.
    const kek = await generateKek({ extractable: true });
    const back = await unwrapKek(await wrapKey(kek, kdk), restored);
    expect(await keyFingerprint(back)).toBe(await keyFingerprint(kek));
  });

  it('can restore a non-extractable copy when asked', async () => {
    const restored = await importKdk(await exportRawKey(await generateKdk()), false);
    expect(restored.extractable).toBe(false);
  });

  it.each([0, 16, 31, 33, 64])('refuses %i bytes: an AES-256 KDK is exactly 32', async (length) => {
    // A rejected promise, not a synchronous throw, so `.catch()` callers see it too.
    const error = await importKdk(new Uint8Array(length)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeylabCryptoError);
    expect((error as KeylabCryptoError).code).toBe('INVALID_KEY_LENGTH');
    expect((error as Error).message).toContain(String(length));
  });
});

describe('keyFingerprint', () => {
  it('is 8 hex digits and the same every time for the same key', async () => {
    const kdk = await generateKdk();
    const first = await keyFingerprint(kdk);
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    expect(await keyFingerprint(kdk)).toBe(first);
  });

  it('is the same for two copies of one key, even a non-extractable copy', async () => {
    const kdk = await generateKdk();
    const copy = await importKdk(await exportRawKey(kdk), false);
    expect(await keyFingerprint(copy)).toBe(await keyFingerprint(kdk));
  });

  it('tells different keys apart, KDK/KEK and DEK alike', async () => {
    const keys = [
      ...(await Promise.all(Array.from({ length: 10 }, () => generateKek()))),
      ...(await Promise.all(Array.from({ length: 10 }, () => generateDek()))),
    ];
    const prints = await Promise.all(keys.map(keyFingerprint));
    expect(new Set(prints).size).toBe(keys.length);
  });

  it('does not reveal the key bytes', async () => {
    const kdk = await generateKdk();
    const raw = hex(await exportRawKey(kdk));
    const print = await keyFingerprint(kdk);
    expect(raw).not.toContain(print);
  });

  it('refuses a key it cannot probe, and can still fingerprint the next one', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const error = await errorOf(() => keyFingerprint(hmac));
    expect(error).toBeInstanceOf(KeylabCryptoError);
    expect((error as KeylabCryptoError).code).toBe('KEY_TYPE_MISMATCH');
    expect(await keyFingerprint(await generateKdk())).toMatch(/^[0-9a-f]{8}$/);
  });
});
