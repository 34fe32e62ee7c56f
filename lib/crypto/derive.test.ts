// Checks NKP key derivation: the same KDK and key ID always give the same KEK, anything else a KEK that opens nothing,
// and only vCenter's copy of the KDK can ever be exported.
import { describe, expect, it } from 'vitest';
import { errorOf } from './test-support';
import { deriveKek, derivationKdk } from './derive';
import { KeylabCryptoError, WrongKeyError } from './errors';
import { exportRawKey, generateKdk, importKdk, keyFingerprint, newKeyId } from './keys';
import { createWrappedDek, unwrapDek } from './wrap';

async function seal(dek: CryptoKey, text: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, dek, new TextEncoder().encode(text))) };
}
async function open(dek: CryptoKey, sealed: { iv: Uint8Array<ArrayBuffer>; data: Uint8Array<ArrayBuffer> }) {
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, dek, sealed.data));
}

describe('deriveKek (HKDF-SHA-256, key ID as info)', () => {
  it('derives the same KEK from vCenter’s copy, a host’s derive-only copy and a KDK restored from its bytes', async () => {
    const kdk = await generateKdk();
    const keyId = newKeyId();
    const hostCopy = await derivationKdk(kdk);
    const restored = await importKdk(await exportRawKey(kdk));
    const prints = await Promise.all([kdk, hostCopy, restored].map(async (k) => keyFingerprint(await deriveKek(k, keyId))));
    expect(new Set(prints).size).toBe(1);

    // The whole chain a doomsday rests on: KDK + key ID -> KEK -> DEK -> guest data.
    const { dek, wrapped } = await createWrappedDek(await deriveKek(kdk, keyId));
    const sealed = await seal(dek, 'guest data: payroll.xlsx');
    const dekAgain = await unwrapDek(wrapped, await deriveKek(restored, keyId));
    expect(await open(dekAgain, sealed)).toBe('guest data: payroll.xlsx');
  });

  it('gives another KEK for another key ID, and for another KDK one whose DEK fails AES-KW’s integrity check', async () => {
    const kdk = await generateKdk();
    const keyId = newKeyId();
    const kek = await deriveKek(kdk, keyId);
    expect(await keyFingerprint(await deriveKek(kdk, newKeyId()))).not.toBe(await keyFingerprint(kek));

    const { wrapped } = await createWrappedDek(kek);
    const otherKdk = await generateKdk(); // a new NKP under the same name has a new KDK
    const wrong = await errorOf(async () => unwrapDek(wrapped, await deriveKek(otherKdk, keyId)));
    expect(wrong).toBeInstanceOf(WrongKeyError);
  });

  it('refuses an empty key ID and a key that is no KDK', async () => {
    const kdk = await generateKdk();
    expect(((await errorOf(() => deriveKek(kdk, ''))) as KeylabCryptoError).code).toBe('INVALID_ARGUMENT');
    const nonExtractable = await importKdk(await exportRawKey(kdk), false);
    expect(((await errorOf(() => deriveKek(nonExtractable, newKeyId()))) as KeylabCryptoError).code).toBe('KEY_TYPE_MISMATCH');
  });
});

describe('where the KDK can leave WebCrypto', () => {
  it('vCenter’s copy is extractable (it goes into the .p12); a host’s RAM/TPM copy and the derived KEKs are not', async () => {
    const vcenterCopy = await generateKdk();
    expect(vcenterCopy.extractable).toBe(true);
    expect(await exportRawKey(vcenterCopy)).toHaveLength(32);

    const hostCopy = await derivationKdk(vcenterCopy);
    expect(hostCopy.extractable).toBe(false);
    expect(hostCopy.algorithm.name).toBe('HKDF');
    expect(((await errorOf(() => exportRawKey(hostCopy))) as KeylabCryptoError).code).toBe('KEY_NOT_EXTRACTABLE');
    // Not even WebCrypto itself will hand the bytes out.
    await expect(crypto.subtle.exportKey('raw', hostCopy)).rejects.toThrow();
    // A host copy derives KEKs, but is never turned back into an exportable key.
    expect(await derivationKdk(hostCopy)).toBe(hostCopy);

    const kek = await deriveKek(hostCopy, newKeyId());
    expect(kek.extractable).toBe(false);
    expect(kek.algorithm).toMatchObject({ name: 'AES-KW', length: 256 });
  });
});
