// The PKCS#12 key derivation (RFC 7292 appendix B.2) that turns a .p12 file's password into its MAC key. WebCrypto has
// no such KDF, so it runs in JavaScript; a file may ask for millions of iterations, so it runs in slices that report
// progress and stop when asked (in a worker in the browser: pkcs12-kdf-client.ts), never as one long blocking call.
import { sha1 } from '@noble/hashes/legacy';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2';
import { sha1Chain, sha256Chain } from './hash-chain';

export type KdfHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

type Digest = (data: Uint8Array) => Uint8Array;
type Chain = (value: Uint8Array, rounds: number) => Uint8Array;

/** The same hash `rounds` times, one call each: for the hashes hash-chain.ts has no fast loop for. */
const chainOf =
  (digest: Digest): Chain =>
  (value, rounds) => {
    let a = value;
    for (let i = 0; i < rounds; i++) a = digest(a);
    return a;
  };

/** u: output bytes, v: block bytes (RFC 7292 B.2); chain: the rounds after the first. */
const HASHES: Record<KdfHash, { digest: Digest; chain: Chain; u: number; v: number }> = {
  'SHA-1': { digest: sha1, chain: sha1Chain, u: 20, v: 64 },
  'SHA-256': { digest: sha256, chain: sha256Chain, u: 32, v: 64 },
  'SHA-384': { digest: sha384, chain: chainOf(sha384), u: 48, v: 128 },
  'SHA-512': { digest: sha512, chain: chainOf(sha512), u: 64, v: 128 },
};

export function isKdfHash(name: string): name is KdfHash {
  return Object.hasOwn(HASHES, name);
}

export interface KdfRequest {
  hash: KdfHash;
  /** The password as UTF-8 (keylab's passwords are NFC-normalised first). */
  password: Uint8Array;
  salt: Uint8Array;
  iterations: number;
  /** Bytes of key wanted; the MAC key is one hash output long. */
  keyBytes: number;
}

export interface KdfOptions {
  /** Called after each slice with the iterations done so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between slices; an abort rejects with an AbortError DOMException. */
  signal?: AbortSignal;
  /** How long one slice may run before the loop yields (ms). */
  sliceMs?: number;
}

/** The password as the KDF wants it: UTF-16 big-endian with a two-byte NUL terminator (a PKCS#12 BMPString). */
export function bmpPassword(utf8: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(utf8);
  const out = new Uint8Array(text.length * 2 + 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), false);
  return out;
}

function repeatTo(data: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(v * Math.ceil(data.length / v));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length] as number;
  return out;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function abortError(): DOMException {
  return new DOMException('Opening the backup file was cancelled; nothing was changed.', 'AbortError');
}

/** RFC 7292 B.2 with ID 3 (MAC key). Same bytes as pkijs's makePKCS12B2Key and OpenSSL's PKCS12_key_gen_uni. */
export async function pkcs12Kdf(request: KdfRequest, options: KdfOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const { digest, chain, u, v } = HASHES[request.hash];
  const { iterations, keyBytes } = request;
  const sliceMs = options.sliceMs ?? 10;
  const D = new Uint8Array(v).fill(3);
  const S = request.salt.length ? repeatTo(request.salt, v) : new Uint8Array(0);
  const pwd = bmpPassword(request.password);
  const P = repeatTo(pwd, v);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const blocks = Math.ceil(keyBytes / u);
  const total = blocks * iterations;
  const key = new Uint8Array(blocks * u);
  let done = 0;
  for (let block = 0; block < blocks; block++) {
    const first = new Uint8Array(v + I.length);
    first.set(D);
    first.set(I, v);
    let A = digest(first);
    let left = iterations - 1;
    done += 1;
    while (left > 0) {
      if (options.signal?.aborted) throw abortError();
      const start = performance.now();
      // Check the clock every 256 rounds (a fraction of a millisecond): a slice runs about sliceMs, then the event
      // loop gets its turn.
      while (left > 0 && performance.now() - start < sliceMs) {
        const n = Math.min(left, 256);
        A = chain(A, n);
        left -= n;
        done += n;
      }
      options.onProgress?.(done, total);
      if (left > 0) await yieldToEventLoop();
    }
    key.set(A, block * u);
    if (block + 1 < blocks) addBlock(I, A, v);
  }
  if (options.signal?.aborted) throw abortError();
  options.onProgress?.(total, total);
  return key.slice(0, keyBytes);
}

/** B.2 step 6: each v-byte block of I becomes (I_j + B + 1) mod 2^(8v), where B is A repeated to v bytes. */
function addBlock(I: Uint8Array, A: Uint8Array, v: number): void {
  const B = repeatTo(A, v).subarray(0, v);
  for (let j = 0; j < I.length; j += v) {
    let carry = 1;
    for (let l = v - 1; l >= 0; l--) {
      const sum = (I[j + l] as number) + (B[l] as number) + carry;
      I[j + l] = sum & 0xff;
      carry = sum >>> 8;
    }
  }
}
