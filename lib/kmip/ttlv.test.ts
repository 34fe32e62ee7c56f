// The TTLV layer on its own: the KMIP 1.1 specification's encoding examples (section 9.1.2) byte for byte, and each
// kind of malformed input refused with its own code.
import { describe, expect, it } from 'vitest';
import { decodeTtlv, DEFAULT_LIMITS } from './ttlv-decode';
import { encodeTtlv } from './ttlv-encode';
import { Tag } from './tags';
import { ttlv, type TtlvNode } from './ttlv-node';

const bytes = (spaced: string) => Uint8Array.from(Buffer.from(spaced.replace(/[\s|]/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const SPEC_EXAMPLES = { ...DEFAULT_LIMITS, acceptUnknownTags: true };

// KMIP 1.1 specification, 9.1.2 "Examples": each uses tag 0x420020 whatever its type, and one structure of 420004/420005.
const EXAMPLES: [string, TtlvNode, string][] = [
  ['an Integer of 8', ttlv.int(0x420020, 8), '42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00'],
  ['a Long Integer of 123456789000000000', ttlv.long(0x420020, 123456789000000000n), '42 00 20 | 03 | 00 00 00 08 | 01 B6 9B 4B A5 74 92 00'],
  [
    'a Big Integer of 1234567890000000000000000000',
    ttlv.big(0x420020, 1234567890000000000000000000n),
    '42 00 20 | 04 | 00 00 00 10 | 00 00 00 00 03 FD 35 EB 6B C2 DF 46 18 08 00 00',
  ],
  ['an Enumeration of 255', ttlv.enumeration(0x420020, 255), '42 00 20 | 05 | 00 00 00 04 | 00 00 00 FF 00 00 00 00'],
  ['a Boolean True', ttlv.bool(0x420020, true), '42 00 20 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 01'],
  ['a Text String "Hello World"', ttlv.text(0x420020, 'Hello World'), '42 00 20 | 07 | 00 00 00 0B | 48 65 6C 6C 6F 20 57 6F 72 6C 64 00 00 00 00 00'],
  ['a Byte String 0x010203', ttlv.bytes(0x420020, Uint8Array.of(1, 2, 3)), '42 00 20 | 08 | 00 00 00 03 | 01 02 03 00 00 00 00 00'],
  ['a Date-Time of Friday, March 14, 2008, 11:56:40 GMT', ttlv.date(0x420020, 0x47da67f8), '42 00 20 | 09 | 00 00 00 08 | 00 00 00 00 47 DA 67 F8'],
  ['an Interval of 10 days', ttlv.interval(0x420020, 864000), '42 00 20 | 0A | 00 00 00 04 | 00 0D 2F 00 00 00 00 00'],
  [
    'a Structure of an Enumeration 254 and an Integer 255',
    ttlv.struct(0x420020, [ttlv.enumeration(0x420004, 254), ttlv.int(0x420005, 255)]),
    '42 00 20 | 01 | 00 00 00 20 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00 | 42 00 05 | 02 | 00 00 00 04 | 00 00 00 FF 00 00 00 00',
  ],
];

describe('TTLV encoding, against the KMIP 1.1 specification examples (9.1.2)', () => {
  it.each(EXAMPLES)('encodes %s byte for byte, and decodes it back', (_, node, spaced) => {
    expect(hex(encodeTtlv(node))).toBe(hex(bytes(spaced)));
    expect(decodeTtlv(bytes(spaced), SPEC_EXAMPLES)).toEqual({ ok: true, value: node });
  });

  it('sign-extends negative Big Integers and Integers', () => {
    const node = ttlv.big(0x420020, -1n);
    expect(hex(encodeTtlv(node))).toBe('4200200400000008ffffffffffffffff');
    expect(decodeTtlv(encodeTtlv(node), SPEC_EXAMPLES)).toEqual({ ok: true, value: node });
    expect(decodeTtlv(encodeTtlv(ttlv.int(Tag.CryptographicLength, -5)))).toEqual({ ok: true, value: ttlv.int(Tag.CryptographicLength, -5) });
  });

  it('writes multi-byte UTF-8 text by its byte length', () => {
    const node = ttlv.text(Tag.NameValue, 'clé');
    expect(hex(encodeTtlv(node)).slice(8, 16)).toBe('00000004');
    expect(decodeTtlv(encodeTtlv(node))).toEqual({ ok: true, value: node });
  });
});

function refusal(b: Uint8Array, limits = DEFAULT_LIMITS) {
  const result = decodeTtlv(b, limits);
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('TTLV decoding refuses malformed input with a named fault', () => {
  const uid = encodeTtlv(ttlv.text(Tag.UniqueIdentifier, 'abc'));

  it('truncated: a header cut short, or a value shorter than its length', () => {
    expect(refusal(uid.slice(0, 5)).code).toBe('TRUNCATED');
    expect(refusal(uid.slice(0, 12))).toMatchObject({ code: 'TRUNCATED', message: expect.stringContaining('Unique Identifier declares 3 bytes') });
  });

  it('bad length: a fixed-size type with another length, a structure not a multiple of 8', () => {
    expect(refusal(bytes('42 00 2A | 02 | 00 00 00 08 | 00 00 01 00 00 00 00 00')).code).toBe('BAD_LENGTH');
    expect(refusal(bytes('42 00 78 | 01 | 00 00 00 04 | 00 00 00 00 00 00 00 00')).code).toBe('BAD_LENGTH');
  });

  it('bad padding: non-zero bytes after a value', () => {
    const padded = uid.slice();
    padded[13] = 0x20;
    expect(refusal(padded)).toMatchObject({ code: 'BAD_PADDING', offset: 13 });
  });

  it('unknown tag, unknown type, wrong type for a tag', () => {
    expect(refusal(bytes('42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00'))).toMatchObject({
      code: 'WRONG_TYPE',
      message: expect.stringContaining('Compromise Date must be a Date-Time'),
    });
    expect(refusal(bytes('42 FF FF | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00')).code).toBe('UNKNOWN_TAG');
    expect(refusal(bytes('42 00 94 | 0B | 00 00 00 04 | 00 00 00 08 00 00 00 00')).code).toBe('UNKNOWN_TYPE');
  });

  it('bad value: a Boolean of 2, text that is not UTF-8', () => {
    expect(refusal(bytes('42 00 10 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 02')).code).toBe('BAD_VALUE');
    expect(refusal(bytes('42 00 94 | 07 | 00 00 00 02 | C3 28 00 00 00 00 00 00')).code).toBe('BAD_VALUE');
  });

  it('too deep, too large, trailing bytes', () => {
    let node: TtlvNode = ttlv.text(Tag.UniqueIdentifier, 'x');
    for (let i = 0; i < 40; i++) node = ttlv.struct(Tag.Attribute, [node]);
    expect(refusal(encodeTtlv(node)).code).toBe('TOO_DEEP');
    expect(refusal(new Uint8Array(DEFAULT_LIMITS.maxBytes + 8)).code).toBe('TOO_LARGE');
    const many = encodeTtlv(ttlv.struct(Tag.TemplateAttribute, Array.from({ length: 50 }, () => ttlv.int(Tag.CryptographicLength, 1))));
    expect(refusal(many, { ...DEFAULT_LIMITS, maxItems: 20 }).code).toBe('TOO_LARGE');
    expect(refusal(new Uint8Array([...uid, 0, 0, 0, 0, 0, 0, 0, 0])).code).toBe('TRAILING_BYTES');
  });
});

describe('framing a TLS byte stream into messages', () => {
  it('needs the 8 header bytes, then gives header plus declared length, and refuses an oversized one', async () => {
    const { messageLength } = await import('./framing');
    const message = encodeTtlv(ttlv.struct(Tag.RequestMessage, [ttlv.int(Tag.BatchCount, 1)]));
    expect(messageLength(message.slice(0, 7), 1 << 20)).toBeUndefined();
    expect(messageLength(message.slice(0, 8), 1 << 20)).toBe(message.length);
    expect(() => messageLength(bytes('42 00 78 01 FF FF FF F0'), 1 << 20)).toThrow(/over the limit/);
  });
});
