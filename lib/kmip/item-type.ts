// The ten TTLV item types of KMIP 1.1 (spec 9.1.1.2) and the byte each is written as.
export const ITEM_TYPES = {
  Structure: 0x01,
  Integer: 0x02,
  LongInteger: 0x03,
  BigInteger: 0x04,
  Enumeration: 0x05,
  Boolean: 0x06,
  TextString: 0x07,
  ByteString: 0x08,
  DateTime: 0x09,
  Interval: 0x0a,
} as const;

export type ItemType = keyof typeof ITEM_TYPES;

const BY_CODE = new Map<number, ItemType>(Object.entries(ITEM_TYPES).map(([name, code]) => [code, name as ItemType]));

export function itemTypeOfCode(code: number): ItemType | undefined {
  return BY_CODE.get(code);
}

/** The specification's spelling, for the wire view ("Text String", "Date-Time"). */
export const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  Structure: 'Structure',
  Integer: 'Integer',
  LongInteger: 'Long Integer',
  BigInteger: 'Big Integer',
  Enumeration: 'Enumeration',
  Boolean: 'Boolean',
  TextString: 'Text String',
  ByteString: 'Byte String',
  DateTime: 'Date-Time',
  Interval: 'Interval',
};

/** Value lengths fixed by the type (spec 9.1.1.3); the others vary (Big Integer: a multiple of 8). */
export const FIXED_LENGTH: Partial<Record<ItemType, number>> = {
  Integer: 4,
  LongInteger: 8,
  Enumeration: 4,
  Boolean: 8,
  DateTime: 8,
  Interval: 4,
};
