// Generation stamps for extent records: a fresh random one on every write, so a read-modify-write can tell whether
// the extent it read is still the one stored when its transaction commits.

/** A random 53-bit number (a collision between two writes of one extent is a 1 in 2^53 chance). */
export function newGeneration(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high! & 0x1fffff) * 2 ** 32 + low!;
}
