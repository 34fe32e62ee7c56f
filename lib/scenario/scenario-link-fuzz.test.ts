// 10,000 mutated links (characters flipped, cut, inserted, doubled, chunks swapped, header bytes rewritten) fed to the
// decoder: each is refused with a ScenarioLinkError that names what is wrong, or opens as a valid scenario; nothing
// else is ever thrown, and nothing takes long. Seeded, so a failure is repeatable.
import { describe, expect, it } from 'vitest';
import { classroomInput, doomsdayInput } from './sample-scenarios';
import { ScenarioLinkError, decodeScenarioFragment, encodeScenarioFragment } from './scenario-link';
import { readScenario } from './scenario-v2';
import { linkMutator } from './link-mutations';

const N = 10_000;

describe('link fuzz', () => {
  it(`refuses or opens each of ${N.toLocaleString('en')} mutated links, never throwing anything else`, async () => {
    const links = [await encodeScenarioFragment(readScenario(doomsdayInput())), await encodeScenarioFragment(readScenario(classroomInput()))];
    const mutate = linkMutator(20261208);
    const codes: Record<string, number> = {};
    let opened = 0;
    let slowest = 0;
    for (let i = 0; i < N; i++) {
      const link = mutate(links[i % 2]!);
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
