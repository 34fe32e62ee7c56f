// The lab's one base64 codec: standard, padded and canonical, for the wrapped keys and encrypted blobs in VMware's
// text files, the journal and key material. Strict on reading, so a damaged value is refused, never guessed at.

// btoa/atob exist in browsers and in Node 16+, unlike Buffer, so the same code runs in the lab and in tests.
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked because String.fromCharCode(...bigArray) overflows the call stack on large inputs.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Returns null instead of throwing so each caller can name its own format in the error. */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!BASE64_RE.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Non-zero padding bits would decode but not re-encode identically; refusing them keeps round trips exact.
  return bytesToBase64(bytes) === text ? bytes : null;
}
