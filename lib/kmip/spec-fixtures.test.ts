// Byte-for-byte fixtures from the OASIS "KMIP Test Cases Version 1.1" (Committee Note 01, 27 July 2012): test case
// 3.1.1 (Create / Destroy of an AES-128 key) and 3.1.3 (Locate by Object Type and Name). The values are the test
// cases'; the bytes are written out here in the document's notation (tag | type | length | value). The lab must
// write exactly these bytes, read them back into the same message, and PyKMIP must read the same fields.
import { describe, expect, it } from 'vitest';
import { attr } from './attributes';
import { UsageMask } from './enums';
import { Fields } from './fields';
import { decodeRequest, encodeRequest, KMIP_1_1, type RequestMessage } from './messages';
import { decodeResponsePayload, encodeResponsePayload } from './payloads';
import { decodeTtlv } from './ttlv-decode';
import { encodeTtlv } from './ttlv-encode';
import { neutralRequest } from './test-support/neutral';
import { pykmipAvailable, runBridge } from './test-support/pykmip';

const bytes = (spaced: string) => Uint8Array.from(Buffer.from(spaced.replace(/[\s|]/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const HEADER_1_1 = `42 00 77 | 01 | 00 00 00 38
    42 00 69 | 01 | 00 00 00 20
      42 00 6A | 02 | 00 00 00 04 | 00 00 00 01 00 00 00 00
      42 00 6B | 02 | 00 00 00 04 | 00 00 00 01 00 00 00 00
    42 00 0D | 02 | 00 00 00 04 | 00 00 00 01 00 00 00 00`;
const UID_3_1_1 = 'fb4b5b9c-6188-4c63-8142-fe9c328129fc';
const UID_3_1_1_HEX = '66 62 34 62 35 62 39 63 2D 36 31 38 38 2D 34 63 36 33 2D 38 31 34 32 2D 66 65 39 63 33 32 38 31 32 39 66 63 00 00 00 00';

const REQUESTS: [string, RequestMessage, string][] = [
  [
    '3.1.1 Create request',
    {
      protocolVersion: KMIP_1_1,
      batchItems: [
        {
          operation: 'Create',
          payload: {
            objectType: 'SymmetricKey',
            attributes: [
              attr('Cryptographic Algorithm', 'AES'),
              attr('Cryptographic Length', 128),
              attr('Cryptographic Usage Mask', UsageMask.Encrypt | UsageMask.Decrypt),
            ],
          },
        },
      ],
    },
    `42 00 78 | 01 | 00 00 01 20
      ${HEADER_1_1}
      42 00 0F | 01 | 00 00 00 D8
        42 00 5C | 05 | 00 00 00 04 | 00 00 00 01 00 00 00 00
        42 00 79 | 01 | 00 00 00 C0
          42 00 57 | 05 | 00 00 00 04 | 00 00 00 02 00 00 00 00
          42 00 91 | 01 | 00 00 00 A8
            42 00 08 | 01 | 00 00 00 30
              42 00 0A | 07 | 00 00 00 17 | 43 72 79 70 74 6F 67 72 61 70 68 69 63 20 41 6C 67 6F 72 69 74 68 6D 00
              42 00 0B | 05 | 00 00 00 04 | 00 00 00 03 00 00 00 00
            42 00 08 | 01 | 00 00 00 30
              42 00 0A | 07 | 00 00 00 14 | 43 72 79 70 74 6F 67 72 61 70 68 69 63 20 4C 65 6E 67 74 68 00 00 00 00
              42 00 0B | 02 | 00 00 00 04 | 00 00 00 80 00 00 00 00
            42 00 08 | 01 | 00 00 00 30
              42 00 0A | 07 | 00 00 00 18 | 43 72 79 70 74 6F 67 72 61 70 68 69 63 20 55 73 61 67 65 20 4D 61 73 6B
              42 00 0B | 02 | 00 00 00 04 | 00 00 00 0C 00 00 00 00`,
  ],
  [
    '3.1.1 Destroy request',
    { protocolVersion: KMIP_1_1, batchItems: [{ operation: 'Destroy', payload: { uniqueIdentifier: UID_3_1_1 } }] },
    `42 00 78 | 01 | 00 00 00 90
      ${HEADER_1_1}
      42 00 0F | 01 | 00 00 00 48
        42 00 5C | 05 | 00 00 00 04 | 00 00 00 14 00 00 00 00
        42 00 79 | 01 | 00 00 00 30
          42 00 94 | 07 | 00 00 00 24 | ${UID_3_1_1_HEX}`,
  ],
  [
    '3.1.3 Locate request',
    {
      protocolVersion: KMIP_1_1,
      batchItems: [
        {
          operation: 'Locate',
          payload: { attributes: [attr('Object Type', 'SymmetricKey'), attr('Name', { value: 'Key1', type: 'UninterpretedTextString' })] },
        },
      ],
    },
    `42 00 78 | 01 | 00 00 00 D0
      ${HEADER_1_1}
      42 00 0F | 01 | 00 00 00 88
        42 00 5C | 05 | 00 00 00 04 | 00 00 00 08 00 00 00 00
        42 00 79 | 01 | 00 00 00 70
          42 00 08 | 01 | 00 00 00 28
            42 00 0A | 07 | 00 00 00 0B | 4F 62 6A 65 63 74 20 54 79 70 65 00 00 00 00 00
            42 00 0B | 05 | 00 00 00 04 | 00 00 00 02 00 00 00 00
          42 00 08 | 01 | 00 00 00 38
            42 00 0A | 07 | 00 00 00 04 | 4E 61 6D 65 00 00 00 00
            42 00 0B | 01 | 00 00 00 20
              42 00 55 | 07 | 00 00 00 04 | 4B 65 79 31 00 00 00 00
              42 00 54 | 05 | 00 00 00 04 | 00 00 00 01 00 00 00 00`,
  ],
];

describe('KMIP 1.1 test-case fixtures, byte for byte', () => {
  it.each(REQUESTS)('%s: the lab writes exactly these bytes and reads them back', (_, message, spaced) => {
    expect(hex(encodeRequest(message))).toBe(hex(bytes(spaced)));
    expect(decodeRequest(bytes(spaced))).toEqual({ ok: true, value: message });
  });

  it('3.1.1 Create response payload (Object Type, Unique Identifier)', () => {
    const spaced = `42 00 7C | 01 | 00 00 00 40
      42 00 57 | 05 | 00 00 00 04 | 00 00 00 02 00 00 00 00
      42 00 94 | 07 | 00 00 00 24 | ${UID_3_1_1_HEX}`;
    const payload = { objectType: 'SymmetricKey' as const, uniqueIdentifier: UID_3_1_1 };
    expect(hex(encodeTtlv(encodeResponsePayload('Create', payload)))).toBe(hex(bytes(spaced)));
    const tree = decodeTtlv(bytes(spaced));
    if (!tree.ok) throw tree.error;
    expect(decodeResponsePayload('Create', Fields.of(tree.value, 'ResponsePayload'))).toEqual(payload);
  });

  it.skipIf(!pykmipAvailable())('PyKMIP reads the same fields from each fixture', () => {
    const answers = runBridge(REQUESTS.map(([, , spaced]) => ({ job: 'decode-request' as const, hex: hex(bytes(spaced)) })));
    REQUESTS.forEach(([label, message], i) => {
      const a = answers[i]!;
      expect(a.ok && a.fields, label).toEqual(neutralRequest(message));
    });
  });
});
