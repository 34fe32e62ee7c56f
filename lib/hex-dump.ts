// Bytes as hex-dump rows (offset, 16 bytes in hex, the printable ones as text), for the sector view and the
// diagnostics page alike: a learner spots readable text in plaintext and sees there is none in ciphertext.
export const BYTES_PER_ROW = 16;

export function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** The bytes as ASCII, a dot for each unprintable one. */
export function asciiOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return s;
}

export interface HexRow {
  /** Offset of the row's first byte within the bytes given. */
  offset: number;
  bytes: Uint8Array;
}

export function hexRows(bytes: Uint8Array): HexRow[] {
  const rows: HexRow[] = [];
  for (let at = 0; at < bytes.length; at += BYTES_PER_ROW) rows.push({ offset: at, bytes: bytes.subarray(at, at + BYTES_PER_ROW) });
  return rows;
}
