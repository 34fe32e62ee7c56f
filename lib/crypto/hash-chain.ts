// A = H(A), n times over: the inner loop of the PKCS#12 KDF (pkcs12-kdf.ts), where a .p12 may ask for millions of
// rounds. After the first round A is one hash long, so every later round hashes a single padded block: for SHA-1 and
// SHA-256 (what OpenSSL and keylab write) that block is built in place and compressed without any allocation, several
// times faster than a general-purpose hash call per round. Other hashes take the general path.

const SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const SHA256_IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const SHA1_IV = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);

function toWords(bytes: Uint8Array, words: Int32Array): void {
  for (let i = 0; i < words.length; i++) {
    words[i] = ((bytes[i * 4] as number) << 24) | ((bytes[i * 4 + 1] as number) << 16) | ((bytes[i * 4 + 2] as number) << 8) | (bytes[i * 4 + 3] as number);
  }
}

function toBytes(words: Int32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) view.setInt32(i * 4, words[i] as number, false);
  return out;
}

/** A hash as a chain needs it: its length and its message schedule's, in 32-bit words, and its compression. */
interface ChainedHash {
  name: string;
  hashWords: number;
  scheduleWords: number;
  /** Hashes the block in w's first 16 words into h from the hash's initial state, expanding the schedule in w. */
  compress(h: Int32Array, w: Int32Array): void;
}

const SHA256: ChainedHash = { name: 'sha256Chain', hashWords: 8, scheduleWords: 64, compress: sha256Compress };
const SHA1: ChainedHash = { name: 'sha1Chain', hashWords: 5, scheduleWords: 80, compress: sha1Compress };

/**
 * The chain both hashes share: `rounds` times, the value (held as words in h) becomes the one block the next round
 * hashes: the value, the 0x80 pad byte, zeros, and its bit length.
 */
function chainOneBlock({ name, hashWords, scheduleWords, compress }: ChainedHash, value: Uint8Array, rounds: number): Uint8Array {
  if (value.length !== hashWords * 4) throw new RangeError(`${name} hashes a ${hashWords * 4}-byte value`);
  const h = new Int32Array(hashWords);
  toWords(value, h);
  const w = new Int32Array(scheduleWords);
  for (let r = 0; r < rounds; r++) {
    w.set(h);
    w[hashWords] = 0x80000000 | 0;
    w.fill(0, hashWords + 1, 15);
    w[15] = hashWords * 32;
    compress(h, w);
  }
  return toBytes(h);
}

/** SHA-256 applied `rounds` times to a 32-byte value. */
export function sha256Chain(value: Uint8Array, rounds: number): Uint8Array {
  return chainOneBlock(SHA256, value, rounds);
}

/** SHA-1 applied `rounds` times to a 20-byte value. */
export function sha1Chain(value: Uint8Array, rounds: number): Uint8Array {
  return chainOneBlock(SHA1, value, rounds);
}

function sha256Compress(h: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = SHA256_IV[0] as number, b = SHA256_IV[1] as number, c = SHA256_IV[2] as number, d = SHA256_IV[3] as number;
  let e = SHA256_IV[4] as number, f = SHA256_IV[5] as number, g = SHA256_IV[6] as number, hh = SHA256_IV[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + (SHA256_K[i] as number) + (w[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (a + (SHA256_IV[0] as number)) | 0;
  h[1] = (b + (SHA256_IV[1] as number)) | 0;
  h[2] = (c + (SHA256_IV[2] as number)) | 0;
  h[3] = (d + (SHA256_IV[3] as number)) | 0;
  h[4] = (e + (SHA256_IV[4] as number)) | 0;
  h[5] = (f + (SHA256_IV[5] as number)) | 0;
  h[6] = (g + (SHA256_IV[6] as number)) | 0;
  h[7] = (hh + (SHA256_IV[7] as number)) | 0;
}

function sha1Compress(h: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 80; i++) {
    const x = (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number);
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = SHA1_IV[0] as number, b = SHA1_IV[1] as number, c = SHA1_IV[2] as number, d = SHA1_IV[3] as number, e = SHA1_IV[4] as number;
  for (let i = 0; i < 80; i++) {
    const f = i < 20 ? (b & c) | (~b & d) : i < 40 || i >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
    const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc | 0 : 0xca62c1d6 | 0;
    const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = (a + (SHA1_IV[0] as number)) | 0;
  h[1] = (b + (SHA1_IV[1] as number)) | 0;
  h[2] = (c + (SHA1_IV[2] as number)) | 0;
  h[3] = (d + (SHA1_IV[3] as number)) | 0;
  h[4] = (e + (SHA1_IV[4] as number)) | 0;
}
