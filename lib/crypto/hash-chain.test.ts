// The PKCS#12 KDF's fast inner loop computes exactly what a general-purpose hash computes, round after round.
import { sha1 } from '@noble/hashes/legacy';
import { sha256 } from '@noble/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { sha1Chain, sha256Chain } from './hash-chain';

function slowChain(digest: (b: Uint8Array) => Uint8Array, value: Uint8Array, rounds: number) {
  let a = value;
  for (let i = 0; i < rounds; i++) a = digest(a);
  return a;
}

describe('hash chains', () => {
  it.each([0, 1, 2, 3, 1000])('SHA-256 and SHA-1, %i rounds, match the general hash', (rounds) => {
    for (let trial = 0; trial < 5; trial++) {
      const v32 = crypto.getRandomValues(new Uint8Array(32));
      expect(sha256Chain(v32, rounds)).toEqual(slowChain(sha256, v32, rounds));
      const v20 = crypto.getRandomValues(new Uint8Array(20));
      expect(sha1Chain(v20, rounds)).toEqual(slowChain(sha1, v20, rounds));
    }
  });

  it('gives the same digest over 100,000 rounds as a hash call per round (times printed, not asserted)', () => {
    const v = new Uint8Array(32).fill(7);
    const time = (work: () => void) => {
      const t = performance.now();
      work();
      return performance.now() - t;
    };
    let general: Uint8Array = new Uint8Array(0);
    let inPlace: Uint8Array = new Uint8Array(0);
    const slow = time(() => (general = slowChain(sha256, v, 100_000)));
    const fast = time(() => (inPlace = sha256Chain(v, 100_000)));
    console.info(`SHA-256 chain of 100,000: ${fast.toFixed(0)} ms in place, ${slow.toFixed(0)} ms with a hash call per round`);
    expect(inPlace).toEqual(general);
  });
});
