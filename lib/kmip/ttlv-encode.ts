// TTLV encoding (spec 9.1): a 3-byte tag, a 1-byte type, a 4-byte length, the value, then zeros to the next multiple
// of 8. Sizes are worked out first so the whole message is written into one buffer, with no copying of parts.
import { ITEM_TYPES } from './item-type';
import type { TtlvNode } from './ttlv-node';

const utf8 = new TextEncoder();

/** Bytes of the value itself, before padding; text strings are measured in UTF-8. */
function valueLength(node: TtlvNode, texts: Map<TtlvNode, Uint8Array>): number {
  switch (node.type) {
    case 'Structure': {
      let total = 0;
      for (const child of node.value) total += encodedLength(child, texts);
      return total;
    }
    case 'Integer':
    case 'Enumeration':
    case 'Interval':
      return 4;
    case 'LongInteger':
    case 'Boolean':
    case 'DateTime':
      return 8;
    case 'BigInteger':
      return bigIntegerBytes(node.value).length;
    case 'TextString': {
      const bytes = utf8.encode(node.value);
      texts.set(node, bytes);
      return bytes.length;
    }
    case 'ByteString':
      return node.value.length;
  }
}

function padded(length: number): number {
  return (length + 7) & ~7;
}

function encodedLength(node: TtlvNode, texts: Map<TtlvNode, Uint8Array>): number {
  return 8 + padded(valueLength(node, texts));
}

/**
 * Two's complement, big-endian, sign-extended to a multiple of 8 bytes (spec 9.1.1.4: "padded with leading sign
 * extension bytes").
 */
export function bigIntegerBytes(value: bigint): Uint8Array {
  let bytes = 8;
  while (value < -(1n << BigInt(bytes * 8 - 1)) || value >= 1n << BigInt(bytes * 8 - 1)) bytes += 8;
  const out = new Uint8Array(bytes);
  let v = BigInt.asUintN(bytes * 8, value);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function checkInt32(node: TtlvNode, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${node.type} 0x${node.tag.toString(16)} cannot hold ${value}`);
  }
}

function write(node: TtlvNode, view: DataView, bytes: Uint8Array, at: number, texts: Map<TtlvNode, Uint8Array>): number {
  if (!Number.isInteger(node.tag) || node.tag < 0 || node.tag > 0xffffff) throw new RangeError(`Tag ${node.tag} does not fit 3 bytes`);
  view.setUint8(at, node.tag >>> 16);
  view.setUint16(at + 1, node.tag & 0xffff);
  view.setUint8(at + 3, ITEM_TYPES[node.type]);
  const start = at + 8;
  let length: number;
  switch (node.type) {
    case 'Structure': {
      let p = start;
      for (const child of node.value) p = write(child, view, bytes, p, texts);
      length = p - start;
      break;
    }
    case 'Integer':
      checkInt32(node, node.value, -0x80000000, 0x7fffffff);
      view.setInt32(start, node.value);
      length = 4;
      break;
    case 'Enumeration':
      checkInt32(node, node.value, 0, 0xffffffff);
      view.setUint32(start, node.value);
      length = 4;
      break;
    case 'Interval':
      checkInt32(node, node.value, 0, 0xffffffff);
      view.setUint32(start, node.value);
      length = 4;
      break;
    case 'LongInteger':
      view.setBigInt64(start, BigInt.asIntN(64, node.value));
      length = 8;
      break;
    case 'DateTime': {
      if (!Number.isSafeInteger(node.value)) throw new RangeError(`Date-Time ${node.value} is not a whole number of seconds`);
      const high = Math.floor(node.value / 0x100000000);
      view.setInt32(start, high);
      view.setUint32(start + 4, node.value - high * 0x100000000);
      length = 8;
      break;
    }
    case 'Boolean':
      view.setUint32(start + 4, node.value ? 1 : 0);
      length = 8;
      break;
    case 'BigInteger': {
      const b = bigIntegerBytes(node.value);
      bytes.set(b, start);
      length = b.length;
      break;
    }
    case 'TextString': {
      const b = texts.get(node) ?? utf8.encode(node.value);
      bytes.set(b, start);
      length = b.length;
      break;
    }
    case 'ByteString':
      bytes.set(node.value, start);
      length = node.value.length;
      break;
  }
  view.setUint32(at + 4, length);
  // The buffer starts zeroed, so the padding is already zeros.
  return start + padded(length);
}

/** Encodes a TTLV tree; throws RangeError only for a tree no valid message could hold (a caller's bug, not input). */
export function encodeTtlv(node: TtlvNode): Uint8Array {
  const texts = new Map<TtlvNode, Uint8Array>();
  const bytes = new Uint8Array(encodedLength(node, texts));
  write(node, new DataView(bytes.buffer), bytes, 0, texts);
  return bytes;
}
