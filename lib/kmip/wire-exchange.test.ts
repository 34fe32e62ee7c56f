// An exchange as the wire view lists and exports it; the export's hex must decode (here with the lab's codec; the
// PyKMIP interop test reads it with PyKMIP too).
import { describe, expect, it } from 'vitest';
import { decodeResponse } from './messages';
import { sampleExchanges } from './test-support/sample-exchanges';
import { exportExchanges, summarizeExchange } from './wire-exchange';

describe('wire exchanges', () => {
  it('summarises each exchange by operation, result and unique identifier', () => {
    expect(sampleExchanges().map(summarizeExchange)).toEqual([
      { operation: 'Create', result: 'Success', uniqueIdentifier: '1' },
      { operation: 'Activate', result: 'Success', uniqueIdentifier: '1' },
      { operation: 'Get', result: 'Success', uniqueIdentifier: '1' },
      { operation: 'Get', result: 'OperationFailed: ItemNotFound', uniqueIdentifier: '9' },
      { operation: 'Get', result: 'no answer', uniqueIdentifier: '1' },
    ]);
    expect(summarizeExchange({ at: 0, node: 'x', request: Uint8Array.of(1, 2, 3) })).toMatchObject({ operation: 'unreadable request' });
  });

  it('exports JSON whose hex decodes, the key zeroed unless the learner asks for it', () => {
    const exchanges = sampleExchanges();
    const keyOf = (json: string) => {
      const get = JSON.parse(json).exchanges[2];
      const decoded = decodeResponse(Uint8Array.from(Buffer.from(get.responseHex, 'hex')));
      if (!decoded.ok) throw decoded.error;
      const item = decoded.value.batchItems[0]!;
      return item.operation === 'Get' ? item.payload!.symmetricKey.keyMaterial : undefined;
    };
    const masked = exportExchanges(exchanges);
    expect(JSON.parse(masked)).toMatchObject({ keyMaterial: 'zeroed', exchanges: [{ node: 'kms-a', operation: 'Create', time: '2025-12-06T05:46:40.000Z' }, {}, {}, {}, {}] });
    expect(keyOf(masked)).toEqual(new Uint8Array(32));
    expect(keyOf(exportExchanges(exchanges, { revealKeyMaterial: true }))).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
    expect(JSON.parse(masked).exchanges[4].responseHex).toBeUndefined();
  });
});
