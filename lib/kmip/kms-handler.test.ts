// The KMS-side handler on its own (the differential test compares it with PyKMIP's server): key states, refusals
// with their KMIP reasons, batches, and bytes that are not a message.
import { describe, expect, it } from 'vitest';
import { attr } from './attributes';
import { handleRequest, handleRequestMessage } from './kms-handler';
import { InMemoryKeyStore } from './key-store';
import { decodeResponse, encodeRequest, KMIP_1_1, type RequestBatchItem, type ResponseBatchItem } from './messages';
import { AES_256_KEK_ATTRIBUTES } from './sample-messages';

function kms(start = 1_765_000_000) {
  let now = start;
  const store = new InMemoryKeyStore();
  const ctx = { store, now: () => now, randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) };
  const send = (...batchItems: RequestBatchItem[]): ResponseBatchItem[] => {
    const response = decodeResponse(handleRequest(encodeRequest({ protocolVersion: KMIP_1_1, timeStamp: now, batchItems }), ctx));
    if (!response.ok) throw response.error;
    return response.value.batchItems;
  };
  const one = (item: RequestBatchItem) => send(item)[0]!;
  const create = () => {
    const r = one({ operation: 'Create', payload: { objectType: 'SymmetricKey', attributes: AES_256_KEK_ATTRIBUTES } });
    return r.operation === 'Create' ? r.payload!.uniqueIdentifier : '';
  };
  return { store, ctx, send, one, create, tick: (s: number) => (now += s) };
}

const outcome = (r: ResponseBatchItem) => [r.resultStatus, r.resultReason ?? null];

describe('the lab KMS handler', () => {
  it('creates a Pre-Active AES-256 key with 32 random bytes, which Get hands out only while it exists', () => {
    const k = kms();
    const id = k.create();
    expect(k.store.get(id)).toMatchObject({ state: 'PreActive', length: 256, names: ['vm-db-01 KEK'] });
    expect(k.store.get(id)!.material).toHaveLength(32);
    const got = k.one({ operation: 'Get', payload: { uniqueIdentifier: id } });
    expect(got.operation === 'Get' && got.payload?.symmetricKey.keyMaterial).toEqual(k.store.get(id)!.material);
  });

  it('walks a key through its states with the reasons PyKMIP gives for each wrong step', () => {
    const k = kms();
    const id = k.create();
    const uid = { uniqueIdentifier: id };
    expect(outcome(k.one({ operation: 'Revoke', payload: { ...uid, revocationReason: { code: 'Unspecified' } } }))).toEqual(['OperationFailed', 'IllegalOperation']);
    expect(outcome(k.one({ operation: 'Activate', payload: uid }))).toEqual(['Success', null]);
    expect(k.store.get(id)!.state).toBe('Active');
    expect(outcome(k.one({ operation: 'Activate', payload: uid }))).toEqual(['OperationFailed', 'PermissionDenied']);
    expect(outcome(k.one({ operation: 'Destroy', payload: uid }))).toEqual(['OperationFailed', 'PermissionDenied']);
    expect(outcome(k.one({ operation: 'Revoke', payload: { ...uid, revocationReason: { code: 'Superseded' } } }))).toEqual(['Success', null]);
    expect(k.store.get(id)!.state).toBe('Deactivated');
    const state = k.one({ operation: 'GetAttributes', payload: { ...uid, attributeNames: ['State'] } });
    expect(state.operation === 'GetAttributes' && state.payload?.attributes).toEqual([attr('State', 'Deactivated')]);
    expect(outcome(k.one({ operation: 'Destroy', payload: uid }))).toEqual(['Success', null]);
    expect(k.store.get(id)!.state).toBe('Destroyed');
    expect(k.store.get(id)!.material).toBeUndefined();
    for (const operation of ['Get', 'Activate', 'Destroy'] as const) {
      expect(outcome(k.one({ operation, payload: uid }))).toEqual(['OperationFailed', 'ItemNotFound']);
    }
  });

  it('revoking for key compromise works in any state and leaves the key Compromised', () => {
    const k = kms();
    const id = k.create();
    expect(outcome(k.one({ operation: 'Revoke', payload: { uniqueIdentifier: id, revocationReason: { code: 'KeyCompromise' } } }))).toEqual(['Success', null]);
    expect(k.store.get(id)!.state).toBe('Compromised');
  });

  it('refuses a Create without the attributes a symmetric key needs, or not AES, or a bad length', () => {
    const k = kms();
    const without = (name: string) => AES_256_KEK_ATTRIBUTES.filter((a) => a.name !== name);
    for (const attributes of [
      without('Cryptographic Algorithm'),
      without('Cryptographic Length'),
      without('Cryptographic Usage Mask'),
      [...without('Cryptographic Algorithm'), attr('Cryptographic Algorithm', 'TripleDES')],
      [...without('Cryptographic Length'), attr('Cryptographic Length', 100)],
    ]) {
      expect(outcome(k.one({ operation: 'Create', payload: { objectType: 'SymmetricKey', attributes } }))).toEqual(['OperationFailed', 'InvalidField']);
    }
    expect(k.store.list()).toEqual([]);
  });

  it('locates by name, newest first, at most Maximum Items', () => {
    const k = kms();
    const first = k.create();
    k.tick(5);
    const second = k.create();
    const locate = (maximumItems?: number) => {
      const r = k.one({ operation: 'Locate', payload: { attributes: [AES_256_KEK_ATTRIBUTES[3]!], ...(maximumItems && { maximumItems }) } });
      return r.operation === 'Locate' ? r.payload?.uniqueIdentifiers : undefined;
    };
    expect(locate()).toEqual([second, first]);
    expect(locate(1)).toEqual([second]);
  });

  it('runs a batch with the ID placeholder and stops at the first failure', () => {
    const k = kms();
    const items = k.send(
      { operation: 'Create', uniqueBatchItemId: Uint8Array.of(1), payload: { objectType: 'SymmetricKey', attributes: AES_256_KEK_ATTRIBUTES } },
      { operation: 'Activate', uniqueBatchItemId: Uint8Array.of(2), payload: {} },
      { operation: 'Activate', uniqueBatchItemId: Uint8Array.of(3), payload: {} },
      { operation: 'Get', uniqueBatchItemId: Uint8Array.of(4), payload: {} },
    );
    expect(items.map(outcome)).toEqual([
      ['Success', null],
      ['Success', null],
      ['OperationFailed', 'PermissionDenied'],
    ]);
    expect(items.map((i) => i.uniqueBatchItemId)).toEqual([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
  });

  it('answers Query, Discover Versions and an operation it does not implement', () => {
    const k = kms();
    const q = k.one({ operation: 'Query', payload: { queryFunctions: ['QueryOperations', 'QueryServerInformation'] } });
    expect(q.operation === 'Query' && q.payload).toMatchObject({ operations: expect.arrayContaining(['Create', 'Get', 'DiscoverVersions']), vendorIdentification: 'keylab KMS' });
    const v = k.one({ operation: 'DiscoverVersions', payload: { protocolVersions: [{ major: 2, minor: 0 }, KMIP_1_1] } });
    expect(v.operation === 'DiscoverVersions' && v.payload?.protocolVersions).toEqual([KMIP_1_1]);
    expect(outcome(k.one({ operation: 'Register' }))).toEqual(['OperationFailed', 'OperationNotSupported']);
  });

  it('refuses a whole request that is stale, from the future, of another version, or a batch without item IDs', () => {
    const k = kms();
    const now = k.ctx.now();
    const get: RequestBatchItem = { operation: 'Get', payload: { uniqueIdentifier: '1' } };
    for (const request of [
      { protocolVersion: KMIP_1_1, timeStamp: now - 61, batchItems: [get] },
      { protocolVersion: KMIP_1_1, timeStamp: now + 5, batchItems: [get] },
      { protocolVersion: { major: 3, minor: 0 }, batchItems: [get] },
      { protocolVersion: KMIP_1_1, batchItems: [get, get] },
    ]) {
      const items = handleRequestMessage(request, k.ctx).batchItems;
      expect(items.map(outcome)).toEqual([['OperationFailed', 'InvalidMessage']]);
    }
  });

  it('answers bytes that are not a KMIP message with Invalid Message and the decoder’s reason', () => {
    const k = kms();
    const response = decodeResponse(handleRequest(Uint8Array.of(0x42, 0x00, 0x78, 0x01, 0, 0, 0, 64), k.ctx));
    expect(response.ok && response.value.batchItems[0]).toMatchObject({
      resultStatus: 'OperationFailed',
      resultReason: 'InvalidMessage',
      resultMessage: expect.stringContaining('Request Message declares 64 bytes'),
    });
  });
});
