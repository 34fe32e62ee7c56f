// TTLV decoding with every fault named: the tree decoder checks each item's tag against the table, its type against
// the tag, its length against the type, its padding for zeros, and keeps nesting, size and item count within limits,
// so hostile bytes cost bounded time and memory. It reports a KmipError and never throws past itself.
import { guard, KmipError, type KmipResult } from './errors';
import { FIXED_LENGTH, ITEM_TYPE_LABELS, itemTypeOfCode } from './item-type';
import { tagInfo, tagLabel } from './tags';
import type { TtlvNode } from './ttlv-node';

export interface DecodeLimits {
  /** Structures inside structures; a KMIP 1.1 message needs 7 (Response > Batch Item > Payload > Key > Block > Value). */
  maxDepth: number;
  /** Whole message, in bytes. */
  maxBytes: number;
  /** Items in the whole tree. */
  maxItems: number;
  /**
   * For a wire view of foreign bytes (and the specification's own encoding examples, which use tags with no regard
   * to their types): read any tag, and take each item's type as it says. Messages are never decoded this way.
   */
  acceptUnknownTags?: boolean;
}

export const DEFAULT_LIMITS: DecodeLimits = { maxDepth: 16, maxBytes: 1 << 20, maxItems: 20_000 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  items = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly view: DataView,
    readonly limits: DecodeLimits,
  ) {}

  /** Reads one item at `at` that must end by `end`; returns it and where the next one starts. */
  item(at: number, end: number, depth: number): [TtlvNode, number] {
    if (++this.items > this.limits.maxItems) {
      throw new KmipError('TOO_LARGE', `More than ${this.limits.maxItems} items in one message`, at);
    }
    if (end - at < 8) {
      throw new KmipError('TRUNCATED', `An item header needs 8 bytes; only ${end - at} remain`, at);
    }
    const tag = (this.view.getUint8(at) << 16) | this.view.getUint16(at + 1);
    const typeCode = this.view.getUint8(at + 3);
    const length = this.view.getUint32(at + 4);
    const info = this.limits.acceptUnknownTags ? { label: tagLabel(tag), type: 'any' as const } : tagInfo(tag);
    if (!info) throw new KmipError('UNKNOWN_TAG', `${tagLabel(tag)} is not a KMIP 1.1 tag this lab knows`, at);
    const type = itemTypeOfCode(typeCode);
    if (!type) throw new KmipError('UNKNOWN_TYPE', `Type 0x${typeCode.toString(16).padStart(2, '0')} of ${info.label} is not a TTLV type`, at + 3);
    if (info.type !== 'any' && info.type !== type) {
      throw new KmipError('WRONG_TYPE', `${info.label} must be a ${ITEM_TYPE_LABELS[info.type]}, not a ${ITEM_TYPE_LABELS[type]}`, at + 3);
    }
    const fixed = FIXED_LENGTH[type];
    if (fixed !== undefined && length !== fixed) {
      throw new KmipError('BAD_LENGTH', `${info.label} is a ${ITEM_TYPE_LABELS[type]} of ${fixed} bytes, but its length says ${length}`, at + 4);
    }
    if (type === 'BigInteger' && (length === 0 || length % 8 !== 0)) {
      throw new KmipError('BAD_LENGTH', `${info.label} is a Big Integer, whose length must be a non-zero multiple of 8, not ${length}`, at + 4);
    }
    if (type === 'Structure' && length % 8 !== 0) {
      throw new KmipError('BAD_LENGTH', `${info.label} is a Structure of ${length} bytes; its items always fill a multiple of 8`, at + 4);
    }
    const start = at + 8;
    const paddedLength = length + ((8 - (length % 8)) % 8);
    if (paddedLength > end - start) {
      throw new KmipError('TRUNCATED', `${info.label} declares ${length} bytes (${paddedLength} with padding) but only ${end - start} remain`, at + 4);
    }
    const next = start + paddedLength;
    for (let p = start + length; p < next; p++) {
      if (this.bytes[p] !== 0) throw new KmipError('BAD_PADDING', `Padding after ${info.label} must be zeros`, p);
    }
    return [this.value(tag, type, info.label, start, length, depth), next];
  }

  private value(tag: number, type: TtlvNode['type'], label: string, start: number, length: number, depth: number): TtlvNode {
    const v = this.view;
    switch (type) {
      case 'Structure': {
        if (depth >= this.limits.maxDepth) {
          throw new KmipError('TOO_DEEP', `${label} nests structures deeper than ${this.limits.maxDepth}`, start - 8);
        }
        const children: TtlvNode[] = [];
        const end = start + length;
        let p = start;
        while (p < end) {
          const [child, next] = this.item(p, end, depth + 1);
          children.push(child);
          p = next;
        }
        return { tag, type, value: children };
      }
      case 'Integer':
        return { tag, type, value: v.getInt32(start) };
      case 'Enumeration':
        return { tag, type, value: v.getUint32(start) };
      case 'Interval':
        return { tag, type, value: v.getUint32(start) };
      case 'LongInteger':
        return { tag, type, value: v.getBigInt64(start) };
      case 'BigInteger': {
        let n = 0n;
        for (let i = 0; i < length; i++) n = (n << 8n) | BigInt(this.bytes[start + i]!);
        return { tag, type, value: BigInt.asIntN(length * 8, n) };
      }
      case 'Boolean': {
        const high = v.getUint32(start);
        const low = v.getUint32(start + 4);
        if (high !== 0 || low > 1) throw new KmipError('BAD_VALUE', `${label} is a Boolean, 0 or 1, not ${v.getBigUint64(start)}`, start);
        return { tag, type, value: low === 1 };
      }
      case 'DateTime': {
        // Two 32-bit halves instead of a BigInt: the same value, several times faster in a hot decoder.
        const high = v.getInt32(start);
        if (high >= 0x200000 || high < -0x200000) {
          throw new KmipError('BAD_VALUE', `${label} (${v.getBigInt64(start)} s) is outside any date this lab can show`, start);
        }
        return { tag, type, value: high * 0x100000000 + v.getUint32(start + 4) };
      }
      case 'TextString':
        return { tag, type, value: this.text(start, length, label) };
      case 'ByteString':
        return { tag, type, value: this.bytes.slice(start, start + length) };
    }
  }

  /** KMIP's strings are nearly all ASCII (names, identifiers): those skip the TextDecoder call. */
  private text(start: number, length: number, label: string): string {
    const b = this.bytes;
    let ascii = true;
    for (let p = start; p < start + length; p++) {
      if (b[p]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii && length <= 4096) return String.fromCharCode.apply(null, b.subarray(start, start + length) as unknown as number[]);
    try {
      return utf8.decode(b.subarray(start, start + length));
    } catch {
      throw new KmipError('BAD_VALUE', `${label} is not valid UTF-8`, start);
    }
  }
}

/** Decodes exactly one TTLV item filling `bytes`, or says what is wrong with them. */
export function decodeTtlv(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): KmipResult<TtlvNode> {
  return guard(() => {
    if (bytes.length > limits.maxBytes) {
      throw new KmipError('TOO_LARGE', `A message of ${bytes.length} bytes is over the limit of ${limits.maxBytes}`);
    }
    const reader = new Reader(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits);
    const [node, end] = reader.item(0, bytes.length, 0);
    if (end !== bytes.length) {
      throw new KmipError('TRAILING_BYTES', `${bytes.length - end} bytes follow the end of the message`, end);
    }
    return node;
  });
}
