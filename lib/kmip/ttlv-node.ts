// The generic TTLV tree (tag, type, value): what the decoder yields before any message meaning is given to it, what
// the encoder writes, and what the wire view shows.

export type TtlvNode =
  | { tag: number; type: 'Structure'; value: TtlvNode[] }
  | { tag: number; type: 'Integer'; value: number }
  | { tag: number; type: 'LongInteger'; value: bigint }
  | { tag: number; type: 'BigInteger'; value: bigint }
  | { tag: number; type: 'Enumeration'; value: number }
  | { tag: number; type: 'Boolean'; value: boolean }
  | { tag: number; type: 'TextString'; value: string }
  | { tag: number; type: 'ByteString'; value: Uint8Array }
  /** Seconds since 1970-01-01 UTC (the specification's POSIX time). */
  | { tag: number; type: 'DateTime'; value: number }
  /** Seconds. */
  | { tag: number; type: 'Interval'; value: number };

export type TtlvType = TtlvNode['type'];

/** Builders that keep call sites short: `ttlv.text(Tag.UniqueIdentifier, id)`. */
export const ttlv = {
  struct: (tag: number, value: TtlvNode[]): TtlvNode => ({ tag, type: 'Structure', value }),
  int: (tag: number, value: number): TtlvNode => ({ tag, type: 'Integer', value }),
  long: (tag: number, value: bigint): TtlvNode => ({ tag, type: 'LongInteger', value }),
  big: (tag: number, value: bigint): TtlvNode => ({ tag, type: 'BigInteger', value }),
  enumeration: (tag: number, value: number): TtlvNode => ({ tag, type: 'Enumeration', value }),
  bool: (tag: number, value: boolean): TtlvNode => ({ tag, type: 'Boolean', value }),
  text: (tag: number, value: string): TtlvNode => ({ tag, type: 'TextString', value }),
  bytes: (tag: number, value: Uint8Array): TtlvNode => ({ tag, type: 'ByteString', value }),
  date: (tag: number, value: number): TtlvNode => ({ tag, type: 'DateTime', value }),
  interval: (tag: number, value: number): TtlvNode => ({ tag, type: 'Interval', value }),
};
