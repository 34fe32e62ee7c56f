// What the /scenario URL asks for, read on the client: a link (#s=…), a scenario lab opened before (?lab=<key>, what
// the page leaves in the address bar once a scenario is open, so a reload opens the same lab), or nothing.
import type { ScenarioV2 } from '@/lib/scenario';

export type ScenarioRequest =
  | { kind: 'link'; fragment: string }
  | { kind: 'stored'; key: string }
  | { kind: 'none' };

export function readRequest(location: Pick<Location, 'hash' | 'search'>): ScenarioRequest {
  const hash = location.hash.replace(/^#/, '');
  // The workspace's own routes (#/vm/db-01) follow ?lab=…; anything else after the # is a link, good or broken.
  if (hash && !hash.startsWith('/')) return { kind: 'link', fragment: hash };
  const key = new URLSearchParams(location.search).get('lab');
  if (key && /^[0-9a-f]{24}$/.test(key)) return { kind: 'stored', key };
  return { kind: 'none' };
}

const LEARNER_KEY = (baseKey: string) => `keylab.scenarioLearner.${baseKey}`;

/**
 * The learner's seed: the link's, or for a varying scenario a link gives none, one chosen here once and remembered,
 * so opening the same link again finds the same lab instead of a new variant.
 */
export function learnerSeedFor(scenario: ScenarioV2, fromLink: string | null, baseKey: string): string | null {
  if (fromLink) return fromLink;
  if (!scenario.variation) return null;
  try {
    const kept = localStorage.getItem(LEARNER_KEY(baseKey));
    if (kept && /^[a-z0-9]{1,32}$/.test(kept)) return kept;
  } catch {
    /* storage refused: a seed for this visit only */
  }
  const seed = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => (b % 36).toString(36)).join('');
  try {
    localStorage.setItem(LEARNER_KEY(baseKey), seed);
  } catch {
    /* as above */
  }
  return seed;
}
