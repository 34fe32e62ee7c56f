// Hex-dump rows: 16 bytes a row with their offsets, printable bytes as text and a dot for the others.
import { describe, expect, it } from 'vitest';
import { asciiOf, hexByte, hexRows } from './hex-dump';

describe('hex dump', () => {
  it('cuts bytes into rows of 16 with their offsets, the last one short', () => {
    const rows = hexRows(new Uint8Array(40).map((_, i) => i));
    expect(rows.map((r) => [r.offset, r.bytes.length])).toEqual([
      [0, 16],
      [16, 16],
      [32, 8],
    ]);
    expect(Array.from(rows[2]!.bytes, hexByte).join(' ')).toBe('20 21 22 23 24 25 26 27');
  });

  it('shows printable ASCII as text and everything else as a dot', () => {
    expect(asciiOf(new Uint8Array([0x4b, 0x65, 0x79, 0x00, 0x7f, 0xe2, 0x20]))).toBe('Key... ');
  });
});
