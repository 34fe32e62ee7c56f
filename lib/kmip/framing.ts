// Cutting whole TTLV messages out of a byte stream (KMIP over TLS has no other framing): a message's length is its
// 8-byte header plus the length field the header carries.
import { KmipError } from './errors';

export const TTLV_HEADER_BYTES = 8;

/** The total length of the message starting at `bytes[0]`, or undefined until the 8 header bytes have arrived. */
export function messageLength(bytes: Uint8Array, maxBytes: number): number | undefined {
  if (bytes.length < TTLV_HEADER_BYTES) return undefined;
  const length = new DataView(bytes.buffer, bytes.byteOffset, TTLV_HEADER_BYTES).getUint32(4);
  const total = TTLV_HEADER_BYTES + length;
  if (total > maxBytes) throw new KmipError('TOO_LARGE', `A message declaring ${total} bytes is over the limit of ${maxBytes}`);
  return total;
}
