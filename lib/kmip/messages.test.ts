// The typed message layer without PyKMIP: every sample survives encode → decode unchanged, and messages whose TTLV is
// sound but whose structure is not KMIP are refused with the field at fault.
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, KMIP_1_1, requestToTtlv, responseToTtlv } from './messages';
import { SAMPLE_REQUESTS, SAMPLE_RESPONSES } from './sample-messages';
import { Tag } from './tags';
import { encodeTtlv } from './ttlv-encode';
import { ttlv, type TtlvNode } from './ttlv-node';

describe('KMIP messages round-trip', () => {
  it.each(SAMPLE_REQUESTS)('request: %s', (_, message) => {
    expect(decodeRequest(encodeRequest(message))).toEqual({ ok: true, value: message });
  });
  it.each(SAMPLE_RESPONSES)('response: %s', (_, message) => {
    expect(decodeResponse(encodeResponse(message))).toEqual({ ok: true, value: message });
  });
});

/** A sample request's tree with one structure rewritten, to forge messages that are valid TTLV but not valid KMIP. */
function rewrite(node: TtlvNode, tag: number, change: (children: TtlvNode[]) => TtlvNode[]): TtlvNode {
  if (node.type !== 'Structure') return node;
  const children = node.value.map((c) => rewrite(c, tag, change));
  return { ...node, value: node.tag === tag ? change(children) : children };
}

describe('KMIP messages refused with the field at fault', () => {
  const get = requestToTtlv({ protocolVersion: KMIP_1_1, batchItems: [{ operation: 'Get', payload: { uniqueIdentifier: 'k1' } }] });
  const refusal = (node: TtlvNode, decode: typeof decodeRequest = decodeRequest) => {
    const r = decode(encodeTtlv(node));
    if (r.ok) throw new Error('expected a refusal');
    return r.error;
  };

  it('a Batch Count that does not match the batch items', () => {
    const bad = rewrite(get, Tag.RequestHeader, (c) => c.map((n) => (n.tag === Tag.BatchCount ? ttlv.int(Tag.BatchCount, 2) : n)));
    expect(refusal(bad)).toMatchObject({ code: 'BAD_VALUE', message: expect.stringContaining('Batch Count 2 but carries 1') });
  });

  it('a missing header field, a field twice, a field with no place', () => {
    expect(refusal(rewrite(get, Tag.RequestHeader, (c) => c.filter((n) => n.tag !== Tag.ProtocolVersion)))).toMatchObject({
      code: 'MISSING_FIELD',
      message: 'Request Message › Request Header has no Protocol Version',
    });
    expect(refusal(rewrite(get, Tag.RequestPayload, (c) => [...c, ...c])).code).toBe('UNEXPECTED_FIELD');
    expect(refusal(rewrite(get, Tag.RequestPayload, (c) => [...c, ttlv.int(Tag.CryptographicLength, 256)]))).toMatchObject({
      code: 'UNEXPECTED_FIELD',
      message: expect.stringContaining('Cryptographic Length has no place in'),
    });
  });

  it('an enumeration value KMIP does not define, an attribute the lab does not know', () => {
    const badOp = rewrite(get, Tag.BatchItem, (c) => c.map((n) => (n.tag === Tag.Operation ? ttlv.enumeration(Tag.Operation, 0x99) : n)));
    expect(refusal(badOp)).toMatchObject({ code: 'BAD_VALUE', message: expect.stringContaining('not a Operation value') });
    const locate = requestToTtlv({ protocolVersion: KMIP_1_1, batchItems: [{ operation: 'Locate', payload: { attributes: [] } }] });
    const custom = rewrite(locate, Tag.RequestPayload, () => [
      ttlv.struct(Tag.Attribute, [ttlv.text(Tag.AttributeName, 'x-vendor-flag'), ttlv.int(Tag.AttributeValue, 1)]),
    ]);
    expect(refusal(custom)).toMatchObject({ code: 'BAD_VALUE', message: expect.stringContaining("'x-vendor-flag'") });
  });

  it('a failed batch item without a Result Reason, and a request read as a response', () => {
    const response = responseToTtlv({ protocolVersion: KMIP_1_1, timeStamp: 1, batchItems: [{ operation: 'Get', resultStatus: 'OperationFailed', resultReason: 'ItemNotFound' }] });
    const noReason = rewrite(response, Tag.BatchItem, (c) => c.filter((n) => n.tag !== Tag.ResultReason));
    expect(refusal(noReason, decodeResponse as never).code).toBe('MISSING_FIELD');
    expect(refusal(get, decodeResponse as never)).toMatchObject({ code: 'UNEXPECTED_FIELD', message: 'Expected Response Message, found Request Message' });
  });
});
