// The same KMIP conversation, encoded by the lab's codec, sent over TLS on 127.0.0.1 to a real pykmip-server and to
// the lab's own KMS handler: each step must end with the same result status and reason, Get Attributes with the same
// attribute names, and the key PyKMIP hands out must wrap and unwrap a DEK in the lab's crypto. Skips only when
// python3-pykmip is not installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKdk } from '@/lib/crypto/keys';
import { openSectors, sealSectors, SECTOR_SIZE } from '@/lib/crypto/sector-cipher';
import { createWrappedDek, unwrapDek } from '@/lib/crypto/wrap';
import { attr } from './attributes';
import { handleRequest } from './kms-handler';
import { InMemoryKeyStore } from './key-store';
import { decodeResponse, encodeRequest, KMIP_1_1, type RequestBatchItem, type ResponseBatchItem } from './messages';
import { startPykmipServer, type PykmipServer } from './test-support/pykmip-server';
import { PYKMIP_MISSING, pykmipAvailable } from './test-support/pykmip';
import { AES_256_KEK_ATTRIBUTES } from './sample-messages';
import type { KmipTlsConnection } from './test-support/tls-transport';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** One side of the comparison: sends a batch item (or raw bytes), gets the decoded response item back. */
type Side = (item: RequestBatchItem | Uint8Array) => Promise<ResponseBatchItem>;

function sideOf(send: (bytes: Uint8Array) => Promise<Uint8Array>): Side {
  return async (item) => {
    const bytes = item instanceof Uint8Array ? item : encodeRequest({ protocolVersion: KMIP_1_1, timeStamp: nowSeconds(), batchItems: [item] });
    const response = decodeResponse(await send(bytes));
    if (!response.ok) throw new Error(`Undecodable response: ${response.error.message}`);
    expect(response.value.batchItems).toHaveLength(1);
    return response.value.batchItems[0]!;
  };
}

/** A request whose Unique Identifier is an Integer: well framed, so PyKMIP reads it whole, but not KMIP. */
function wrongTypeRequest(): Uint8Array {
  const good = encodeRequest({ protocolVersion: KMIP_1_1, batchItems: [{ operation: 'Get', payload: { uniqueIdentifier: 'abcd' } }] });
  const at = Buffer.from(good).indexOf(Buffer.from([0x42, 0x00, 0x94, 0x07]));
  const bad = good.slice();
  bad.set([0x02, 0, 0, 0, 4], at + 3); // Integer, length 4: the 'abcd' bytes become its value, padding stays zero
  return bad;
}

/** A request whose header holds a tag KMIP 1.1 does not define, in place of Batch Count. */
function unknownTagRequest(): Uint8Array {
  const good = encodeRequest({ protocolVersion: KMIP_1_1, batchItems: [{ operation: 'Query', payload: { queryFunctions: ['QueryOperations'] } }] });
  const at = Buffer.from(good).indexOf(Buffer.from([0x42, 0x00, 0x0d, 0x02]));
  const bad = good.slice();
  bad.set([0x42, 0x00, 0xfe], at);
  return bad;
}

/** The conversation, written once and run on each side; it records what each step answered. */
async function converse(send: Side) {
  const steps: { step: string; item: ResponseBatchItem }[] = [];
  const run = async (step: string, item: RequestBatchItem | Uint8Array) => {
    const answer = await send(item);
    steps.push({ step, item: answer });
    return answer;
  };
  await run('Discover Versions', { operation: 'DiscoverVersions', payload: { protocolVersions: [KMIP_1_1] } });
  await run('Create without a length', {
    operation: 'Create',
    payload: { objectType: 'SymmetricKey', attributes: [attr('Cryptographic Algorithm', 'AES'), attr('Cryptographic Usage Mask', 12)] },
  });
  const created = await run('Create', { operation: 'Create', payload: { objectType: 'SymmetricKey', attributes: AES_256_KEK_ATTRIBUTES } });
  const uid = created.operation === 'Create' && created.payload ? created.payload.uniqueIdentifier : 'none';
  const preActive = await run('Get Attributes (Pre-Active)', { operation: 'GetAttributes', payload: { uniqueIdentifier: uid, attributeNames: [] } });
  await run('Activate', { operation: 'Activate', payload: { uniqueIdentifier: uid } });
  await run('Activate again', { operation: 'Activate', payload: { uniqueIdentifier: uid } });
  const got = await run('Get', { operation: 'Get', payload: { uniqueIdentifier: uid } });
  const attributes = await run('Get Attributes', { operation: 'GetAttributes', payload: { uniqueIdentifier: uid, attributeNames: [] } });
  const located = await run('Locate by name', {
    operation: 'Locate',
    payload: { attributes: [attr('Object Type', 'SymmetricKey'), attr('Name', { value: 'vm-db-01 KEK', type: 'UninterpretedTextString' })] },
  });
  await run('Destroy an Active key', { operation: 'Destroy', payload: { uniqueIdentifier: uid } });
  await run('Revoke', { operation: 'Revoke', payload: { uniqueIdentifier: uid, revocationReason: { code: 'CessationOfOperation' } } });
  const revokedGet = await run('Get of a revoked key', { operation: 'Get', payload: { uniqueIdentifier: uid } });
  const revokedState = await run('Get Attributes State of a revoked key', { operation: 'GetAttributes', payload: { uniqueIdentifier: uid, attributeNames: ['State'] } });
  await run('Get of a missing key', { operation: 'Get', payload: { uniqueIdentifier: '424242' } });
  await run('Unique Identifier sent as an Integer', wrongTypeRequest());
  await run('Unknown tag in the header', unknownTagRequest());
  await run('Destroy', { operation: 'Destroy', payload: { uniqueIdentifier: uid } });
  await run('Get of a destroyed key', { operation: 'Get', payload: { uniqueIdentifier: uid } });
  return { steps, got, attributes, preActive, located, revokedGet, revokedState };
}

const outcome = (s: { step: string; item: ResponseBatchItem }) => ({ step: s.step, status: s.item.resultStatus, reason: s.item.resultReason });
const attributeNames = (item: ResponseBatchItem) => (item.operation === 'GetAttributes' && item.payload ? item.payload.attributes.map((a) => a.name).sort() : []);
const attributeValue = (item: ResponseBatchItem, name: string) =>
  item.operation === 'GetAttributes' ? item.payload?.attributes.find((a) => a.name === name)?.value : undefined;

if (!pykmipAvailable()) console.warn(PYKMIP_MISSING);

describe.skipIf(!pykmipAvailable())('the same KMIP conversation with pykmip-server (TLS, 127.0.0.1) and the lab KMS handler', () => {
  let server: PykmipServer;
  let connection: KmipTlsConnection;
  let pykmip: Awaited<ReturnType<typeof converse>>;
  let lab: Awaited<ReturnType<typeof converse>>;

  beforeAll(async () => {
    server = await startPykmipServer();
    connection = await server.connect();
    pykmip = await converse(sideOf((bytes) => connection.exchange(bytes)));
    const store = new InMemoryKeyStore();
    const ctx = { store, now: nowSeconds, randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) };
    lab = await converse(sideOf(async (bytes) => handleRequest(bytes, ctx)));
  }, 60_000);

  afterAll(async () => {
    connection?.close();
    await server?.stop();
  });

  it('answers every step with the same result status and reason', () => {
    expect(lab.steps.map(outcome)).toEqual(pykmip.steps.map(outcome));
    // The conversation must exercise failures, or agreement would prove little.
    expect(pykmip.steps.map((s) => s.item.resultReason).filter(Boolean)).toEqual(
      expect.arrayContaining(['InvalidField', 'PermissionDenied', 'ItemNotFound', 'InvalidMessage']),
    );
  });

  it('reports the same attribute set and values for a key, before and after activation and revocation', () => {
    expect(attributeNames(lab.attributes)).toEqual(attributeNames(pykmip.attributes));
    expect(attributeNames(lab.preActive)).toEqual(attributeNames(pykmip.preActive));
    for (const name of ['Object Type', 'Cryptographic Algorithm', 'Cryptographic Length', 'Cryptographic Usage Mask', 'Name', 'State', 'Operation Policy Name']) {
      expect({ name, value: attributeValue(lab.attributes, name) }).toEqual({ name, value: attributeValue(pykmip.attributes, name) });
    }
    expect(attributeValue(pykmip.preActive, 'State')).toBe('PreActive');
    expect(attributeValue(pykmip.revokedState, 'State')).toBe('Deactivated');
    expect(attributeValue(lab.revokedState, 'State')).toBe('Deactivated');
  });

  it('locates the key by name on both, and both still hand out a revoked (Deactivated) key on Get', () => {
    for (const side of [pykmip, lab]) {
      expect(side.located.operation === 'Locate' && side.located.payload?.uniqueIdentifiers.length).toBe(1);
      expect(side.revokedGet.resultStatus).toBe('Success');
    }
  });

  it("wraps a DEK under the KEK fetched from PyKMIP's server and unwraps it again with the lab's crypto", async () => {
    const got = pykmip.got;
    if (got.operation !== 'Get' || !got.payload) throw new Error('PyKMIP answered no key');
    const { keyMaterial, cryptographicAlgorithm, cryptographicLength, keyFormatType } = got.payload.symmetricKey;
    expect({ cryptographicAlgorithm, cryptographicLength, keyFormatType, bytes: keyMaterial.length }).toEqual({
      cryptographicAlgorithm: 'AES',
      cryptographicLength: 256,
      keyFormatType: 'Raw',
      bytes: 32,
    });
    const kek = await importKdk(keyMaterial, false);
    const { dek, wrapped } = await createWrappedDek(kek);
    const plaintext = new TextEncoder().encode('guest data under a PyKMIP KEK'.padEnd(SECTOR_SIZE, '.'));
    const sealed = await sealSectors(dek, 'disk-1', 0, plaintext);
    // A second import of the same bytes, as a host would after fetching the key again by its ID.
    const unwrapped = await unwrapDek(wrapped, await importKdk(keyMaterial, false));
    expect(await openSectors(unwrapped, 'disk-1', 0, sealed)).toEqual(plaintext);
    // The revoked key's Get returned the same material.
    const again = pykmip.revokedGet;
    expect(again.operation === 'Get' && again.payload?.symmetricKey.keyMaterial).toEqual(keyMaterial);
  });
});
