// Seeded mutations of valid TTLV messages for the decoder's fuzz test: each draw picks one way a message can be
// damaged on the wire or forged (flipped bits, cut or padded bytes, lengths and types rewritten, nesting piled up).
import { encodeTtlv } from '../ttlv-encode';
import { Tag } from '../tags';
import { ttlv } from '../ttlv-node';

/** mulberry32: small, fast and reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets where an item header starts, found by walking the valid message. */
function itemOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  const walk = (at: number, end: number) => {
    while (at + 8 <= end) {
      offsets.push(at);
      const type = bytes[at + 3]!;
      const length = view.getUint32(at + 4);
      if (type === 0x01) walk(at + 8, at + 8 + length);
      at += 8 + ((length + 7) & ~7);
    }
  };
  walk(0, bytes.length);
  return offsets;
}

export type Mutation = 'flip' | 'byte' | 'truncate' | 'extend' | 'length' | 'type' | 'tag' | 'padding' | 'splice' | 'nest';
const MUTATIONS: Mutation[] = ['flip', 'byte', 'truncate', 'extend', 'length', 'type', 'tag', 'padding', 'splice', 'nest'];

export function mutate(valid: Uint8Array, random: () => number): { kind: Mutation; bytes: Uint8Array } {
  const int = (n: number) => Math.floor(random() * n);
  const kind = MUTATIONS[int(MUTATIONS.length)]!;
  const b = valid.slice();
  const view = new DataView(b.buffer);
  const items = itemOffsets(valid);
  const item = items[int(items.length)]!;
  switch (kind) {
    case 'flip':
      for (let i = 1 + int(4); i > 0; i--) {
        const at = int(b.length);
        b[at]! ^= 1 << int(8);
      }
      return { kind, bytes: b };
    case 'byte':
      b[int(b.length)] = int(256);
      return { kind, bytes: b };
    case 'truncate':
      return { kind, bytes: b.slice(0, int(b.length)) };
    case 'extend': {
      const extra = Uint8Array.from({ length: 1 + int(24) }, () => int(256));
      return { kind, bytes: new Uint8Array([...b, ...extra]) };
    }
    case 'length': {
      const choices = [0, 1, 3, 7, 0xffffffff, 0x7fffffff, view.getUint32(item + 4) + 8, view.getUint32(item + 4) - 8, int(0x10000)];
      view.setUint32(item + 4, choices[int(choices.length)]! >>> 0);
      return { kind, bytes: b };
    }
    case 'type':
      b[item + 3] = int(16);
      return { kind, bytes: b };
    case 'tag':
      b[item + 1] = int(256);
      b[item + 2] = int(256);
      if (random() < 0.3) b[item] = int(256);
      return { kind, bytes: b };
    case 'padding': {
      const length = view.getUint32(item + 4);
      const pad = ((length + 7) & ~7) - length;
      const at = item + 8 + length + (pad > 0 ? int(pad) : 0);
      if (at < b.length) b[at] = 1 + int(255);
      return { kind, bytes: b };
    }
    case 'splice': {
      const from = int(b.length);
      const to = Math.min(b.length, from + int(32));
      return { kind, bytes: random() < 0.5 ? new Uint8Array([...b.slice(0, from), ...b.slice(to)]) : new Uint8Array([...b.slice(0, to), ...b.slice(from)]) };
    }
    case 'nest': {
      let node = ttlv.text(Tag.UniqueIdentifier, 'deep');
      for (let i = 10 + int(200); i > 0; i--) node = ttlv.struct(Tag.Attribute, [node]);
      const deep = encodeTtlv(node);
      return { kind, bytes: new Uint8Array([...b.slice(0, item), ...deep, ...b.slice(item)]) };
    }
  }
}
