// 10,000 mutated links (characters flipped, cut, inserted, doubled, chunks swapped, header bytes rewritten) fed to the
// decoder: each is refused with a ScenarioLinkError that names what is wrong, or opens as a valid scenario; nothing
// else is ever thrown, and nothing takes long. Seeded, so a failure is repeatable.
import { sha256 } from '@noble/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { classroomInput, doomsdayInput } from './sample-scenarios';
import { ScenarioLinkError, decodeScenarioFragment, encodeScenarioFragment } from './scenario-link';
import { readScenario } from './scenario-v2';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const N = 10_000;

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

describe('link fuzz', () => {
  it(`refuses or opens each of ${N.toLocaleString('en')} mutated links, never throwing anything else`, async () => {
    const links = [await encodeScenarioFragment(readScenario(doomsdayInput())), await encodeScenarioFragment(readScenario(classroomInput()))];
    const r = generator(20261208);
    const codes: Record<string, number> = {};
    let opened = 0;
    let slowest = 0;
    for (let i = 0; i < N; i++) {
      const link = mutate(links[i % 2]!, r);
      const started = performance.now();
      try {
        const { scenario } = await decodeScenarioFragment(link);
        expect(readScenario(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
        opened++;
      } catch (error) {
        if (!(error instanceof ScenarioLinkError)) throw new Error(`link ${i} threw ${String(error)}: ${link.slice(0, 80)}…`);
        expect(error.message).not.toMatch(/TypeError|SyntaxError|Unexpected|undefined|\[object/);
        codes[error.code] = (codes[error.code] ?? 0) + 1;
      }
      slowest = Math.max(slowest, performance.now() - started);
    }
    console.log(`link fuzz: ${N} links, ${opened} opened as valid scenarios, refused by code ${JSON.stringify(codes)}, slowest ${slowest.toFixed(1)} ms`);
    expect(Object.keys(codes)).toEqual(expect.arrayContaining(['TRUNCATED', 'DAMAGED', 'TAMPERED']));
  }, 120_000);
});
