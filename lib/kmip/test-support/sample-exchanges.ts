// A short conversation with the lab KMS handler (Create, Activate, Get from another node, a missing key, a node that
// never answered), recorded as wire exchanges for the wire-view and export tests.
import { handleRequest } from '../kms-handler';
import { InMemoryKeyStore } from '../key-store';
import { encodeRequest, KMIP_1_1, type RequestBatchItem } from '../messages';
import { AES_256_KEK_ATTRIBUTES } from '../sample-messages';
import type { WireExchange } from '../wire-exchange';

const NOW = 1_765_000_000;

export function sampleExchanges(): WireExchange[] {
  const ctx = { store: new InMemoryKeyStore(), now: () => NOW, randomBytes: (n: number) => Uint8Array.from({ length: n }, (_, i) => i + 1) };
  const exchange = (item: RequestBatchItem, node = 'kms-a'): WireExchange => {
    const request = encodeRequest({ protocolVersion: KMIP_1_1, timeStamp: NOW, batchItems: [item] });
    return { at: NOW * 1000, node, request, response: handleRequest(request, ctx) };
  };
  return [
    exchange({ operation: 'Create', payload: { objectType: 'SymmetricKey', attributes: AES_256_KEK_ATTRIBUTES } }),
    exchange({ operation: 'Activate', payload: { uniqueIdentifier: '1' } }),
    exchange({ operation: 'Get', payload: { uniqueIdentifier: '1' } }, 'kms-b'),
    exchange({ operation: 'Get', payload: { uniqueIdentifier: '9' } }, 'kms-b'),
    { at: NOW * 1000, node: 'kms-c', request: encodeRequest({ protocolVersion: KMIP_1_1, batchItems: [{ operation: 'Get', payload: { uniqueIdentifier: '1' } }] }) },
  ];
}
