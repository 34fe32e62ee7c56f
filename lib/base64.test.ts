// The lab's one base64 codec: exact round trips, and anything damaged or non-canonical refused rather than guessed at.
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';

describe('base64', () => {
  it('round-trips every length, large inputs included', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 33, 65_536]) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    }
    expect(bytesToBase64(new TextEncoder().encode('keylab'))).toBe('a2V5bGFi');
  });

  it('refuses missing padding, whitespace, the URL-safe alphabet and non-zero padding bits', () => {
    for (const text of ['a2V5bGFiYQ', 'a2V5 bGFi', 'a2V5bGFi\n', '-_-_', 'a2V5bGFiYR==']) expect(base64ToBytes(text), text).toBeNull();
  });
});
