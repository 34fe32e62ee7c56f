import { describe, expect, it } from 'vitest';
import { newLabSeed, seededUuid } from './lab-ids';

describe('seeded lab ids', () => {
  it('gives the same UUID for the same seed and position, a different one otherwise', () => {
    expect(seededUuid('s', 0)).toBe(seededUuid('s', 0));
    expect(seededUuid('s', 0)).not.toBe(seededUuid('s', 1));
    expect(seededUuid('s', 0)).not.toBe(seededUuid('t', 0));
    expect(new Set(Array.from({ length: 1000 }, (_, i) => seededUuid('s', i))).size).toBe(1000);
  });

  it('is a version-4 UUID, as vSphere key IDs are', () => {
    expect(seededUuid(newLabSeed(), 7)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
