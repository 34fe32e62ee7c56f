// Per-learner variants: (scenario, learner seed) → the concrete scenario that learner gets, a pure function, so
// neighbours cannot copy answers and an instructor rebuilds any learner's exact world from the seed alone. What
// varies is what the scenario's `variation` asks for: names (hosts, VMs, KMS nodes, and every place the world, the
// prelude, the briefing and the steps name them), which host lacks a TPM, which KMS node fails, the guest data.
// Draws come from SHA-256 of the seeds and a counter, never from Math.random; keys are not made here at all.
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import type { PreludeStep } from './prelude-commands';
import type { ScenarioStep, ScenarioV2 } from './scenario-v2';

/** A deterministic stream of draws from a seed. */
function draws(seed: string) {
  let n = 0;
  const next = () => {
    const b = sha256(utf8ToBytes(`keylab-variant:${seed}:${n++}`));
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  };
  return {
    below: (n: number) => next() % n,
    pick: <T>(list: readonly T[]): T => list[next() % list.length]!,
  };
}
type Draws = ReturnType<typeof draws>;

const SITES = ['oslo', 'lima', 'rome', 'kyiv', 'nara', 'cork', 'bern', 'riga', 'lyon', 'graz', 'pune', 'perth', 'quito', 'turku', 'malmo', 'porto'];
const FIRST = ['Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Niklaus', 'Margaret', 'Dennis', 'Shafi', 'Tony', 'Hedy', 'Leslie', 'Sophie', 'Whitfield'];
const LAST = ['Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Wirth', 'Hamilton', 'Ritchie', 'Goldwasser', 'Hoare', 'Lamarr', 'Lamport', 'Wilson', 'Diffie'];
const WORDS = ['amber', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kelp', 'lagoon', 'mesa', 'nimbus', 'onyx', 'pine'];

/** The database and id seed of a learner's lab: the same scenario and learner seed always give the same one. */
export function variantKey(scenario: ScenarioV2, learnerSeed: string | null): string {
  const digest = sha256(utf8ToBytes(`${stableJson(scenario)}\n${learnerSeed ?? ''}`));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted, so the same scenario always hashes the same whatever order its fields came in. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The concrete scenario one learner gets: no `variation` left, its `seed` the learner's own (so ids are too). Without
 * a variation the world is the scenario's own; the seed still follows the learner, so each learner's key IDs differ.
 */
export function concreteScenario(scenario: ScenarioV2, learnerSeed: string | null): ScenarioV2 {
  const { variation, ...rest } = structuredClone(scenario);
  const concrete: ScenarioV2 = { ...rest, seed: scenario.seed ?? variantKey(scenario, learnerSeed) };
  if (learnerSeed !== null) concrete.seed = variantKey(scenario, learnerSeed);
  if (!variation) return concrete;
  const d = draws(`${scenario.seed ?? ''}:${learnerSeed ?? ''}`);

  if (variation.tpmlessHost) {
    const without = d.pick(variation.tpmlessHost.among);
    for (const h of concrete.world.hosts) if (variation.tpmlessHost.among.includes(h.id)) h.hasTpm = h.id !== without;
  }
  if (variation.failingKmsNode) {
    const kmsId = d.pick(variation.failingKmsNode.among);
    concrete.prelude.push({ kind: 'command', command: { type: variation.failingKmsNode.fault === 'down' ? 'kms.down' : 'kms.hang', kmsId } });
  }
  if (variation.guestData) fillGuestData(concrete, d);
  if (variation.names) rename(concrete, d);
  return concrete;
}

function fillGuestData(s: ScenarioV2, d: Draws) {
  const digits = (n: number) => Array.from({ length: n }, () => String(d.below(10))).join('');
  const fill = (text: string) =>
    text.replace(/\{\{(name|card|number|word)\}\}/g, (_, what: string) => {
      if (what === 'name') return `${d.pick(FIRST)} ${d.pick(LAST)}`;
      if (what === 'card') return `4000-${digits(4)}-${digits(4)}-${digits(4)}`;
      if (what === 'number') return String(1000 + d.below(9000));
      return d.pick(WORDS);
    });
  for (const vm of s.world.vms) for (const f of vm.guestFiles) f.text = fill(f.text);
  for (const step of s.prelude) if (step.kind === 'command' && step.command.type === 'guest.writeFile') step.command.text = fill(step.command.text);
}

/** `db-01` → `db-37`: the same role prefix, a number of the learner's own (distinct within the prefix). */
function renumber(ids: string[], d: Draws): Map<string, string> {
  const map = new Map<string, string>();
  const used = new Set<string>();
  const span = Math.max(90, ids.length * 10);
  for (const id of ids) {
    const prefix = id.replace(/-(\d+|[a-z])$/, '').slice(0, 24) || 'x';
    let next: string;
    do next = `${prefix}-${10 + d.below(span)}`;
    while (used.has(next));
    used.add(next);
    map.set(id, next);
  }
  return map;
}

function rename(s: ScenarioV2, d: Draws) {
  const site = d.pick(SITES);
  const ids = new Map<string, string>([
    ...renumber(s.world.hosts.map((h) => h.id), d),
    ...renumber(s.world.vms.map((v) => v.id), d),
    ...renumber(s.world.kmsNodes.map((k) => k.id), d),
  ]);
  const words = new Map<string, string>();
  const renamed = (oldId: string, oldName: string) => oldName.split(oldId).join(ids.get(oldId)!).replace(/\.lab\.local$/, `.${site}.local`);
  for (const h of s.world.hosts) {
    const name = renamed(h.id, h.name);
    words.set(h.name, name);
    h.name = name;
  }
  for (const k of s.world.kmsNodes) {
    const name = renamed(k.id, k.name);
    words.set(k.name, name);
    words.set(k.address, (k.address = renamed(k.id, k.address)));
    k.name = name;
  }
  for (const v of s.world.vms) {
    const name = renamed(v.id, v.name);
    words.set(v.name, name);
    v.name = name;
  }
  for (const [from, to] of ids) words.set(from, to);
  const id = (x: string) => ids.get(x) ?? x;
  for (const h of s.world.hosts) h.id = id(h.id);
  for (const k of s.world.kmsNodes) k.id = id(k.id);
  for (const v of s.world.vms) {
    v.id = id(v.id);
    v.hostId = id(v.hostId);
  }
  for (const p of s.world.standardProviders) p.kmsNodeIds = p.kmsNodeIds.map(id);
  s.prelude = s.prelude.map((step) => renameStep(step, id, words));
  const text = replaceWords(words);
  s.title = text(s.title);
  s.briefing = text(s.briefing);
  if (s.steps) s.steps = s.steps.map((step) => renameLessonStep(step, text, words));
}

function renameStep(step: PreludeStep, id: (x: string) => string, words: Map<string, string>): PreludeStep {
  if (step.kind !== 'command') return step;
  const c = { ...step.command } as Record<string, unknown>;
  for (const field of ['hostId', 'vmId', 'kmsId']) if (typeof c[field] === 'string') c[field] = id(c[field] as string);
  for (const field of ['vmIds', 'kmsNodeIds']) if (Array.isArray(c[field])) c[field] = (c[field] as string[]).map(id);
  // A VM's folder is named after the VM.
  if (typeof c.folder === 'string') c.folder = words.get(c.folder) ?? c.folder;
  return { kind: 'command', command: c as typeof step.command };
}

/** Every whole-word mention of an old name or id becomes the new one, in one pass (so no name is renamed twice). */
function replaceWords(words: Map<string, string>): (text: string) => string {
  const olds = [...words.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (olds.length === 0) return (t) => t;
  const re = new RegExp(`(?<![A-Za-z0-9-])(${olds.join('|')})(?![A-Za-z0-9-])`, 'g');
  return (text) => text.replace(re, (m) => words.get(m) ?? m);
}

function renameLessonStep(step: ScenarioStep, text: (t: string) => string, words: Map<string, string>): ScenarioStep {
  const json = (v: unknown): unknown =>
    typeof v === 'string' ? (words.get(v) ?? v) : Array.isArray(v) ? v.map(json) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, json(x)])) : v;
  return {
    ...step,
    title: text(step.title),
    instructions: text(step.instructions),
    hints: step.hints.map(text),
    ...(step.why !== undefined ? { why: text(step.why) } : {}),
    check: json(step.check) as ScenarioStep['check'],
  };
}
