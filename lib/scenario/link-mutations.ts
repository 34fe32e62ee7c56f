// Seeded link mutations for the fuzz tests (Node and the page in Chromium): characters flipped, the link cut, a
// character inserted, a run doubled, chunks swapped, a header character rewritten, junk appended.
import { sha256 } from '@noble/hashes/sha2';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function generator(seed: number) {
  let n = 0;
  return (below: number) => {
    const b = sha256(new TextEncoder().encode(`fuzz:${seed}:${n++}`));
    return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) % below;
  };
}

function mutate(link: string, r: (n: number) => number): string {
  const data = link.slice(2);
  const at = r(data.length);
  switch (r(7)) {
    case 0:
      return `s=${data.slice(0, at)}${ALPHABET[r(64)]}${data.slice(at + 1)}`;
    case 1:
      return `s=${data.slice(0, at)}`;
    case 2:
      return `s=${data.slice(0, at)}${ALPHABET[r(64)]}${data.slice(at)}`;
    case 3: {
      const len = 1 + r(40);
      return `s=${data.slice(0, at)}${data.slice(at, at + len)}${data.slice(at)}`;
    }
    case 4: {
      const other = r(data.length);
      const [a, b] = at < other ? [at, other] : [other, at];
      return `s=${data.slice(0, a)}${data.slice(b)}${data.slice(a, b)}`;
    }
    case 5:
      // A header character rewritten: format, length or check.
      return `s=${data.slice(0, at % 12)}${ALPHABET[r(64)]}${data.slice((at % 12) + 1)}`;
    default:
      return `${link}${['&learner=', '&s=', '#', '%', '&learner=a b'][r(5)]}`;
  }
}

/** A mutator drawing from `seed`: the same seed gives the same mutations in the same order. */
export function linkMutator(seed: number): (link: string) => string {
  const r = generator(seed);
  return (link) => mutate(link, r);
}
